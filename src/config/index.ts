export * from './defaults.js';
export * from './load-config-file.js';
export * from './resolve-config.js';
export * from './user-config.js';
