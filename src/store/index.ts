export * from './opencompass-files.js';
export * from './run-directory.js';
export * from './sample-log.js';
export * from './run-reader.js';
export * from './evaluation-cache.js';
export * from './resolve-run-folder.js';
