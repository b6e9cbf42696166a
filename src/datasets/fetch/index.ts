export * from './data-manifest-types.js';
export * from './download-file.js';
export * from './fetch-data.js';
export * from './verify-data.js';
export { dataManifest } from './data-manifest.js';
