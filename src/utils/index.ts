export * from './atomic-write.js';
export * from './closest-names.js';
export * from './hash.js';
export * from './python-json-dumps.js';
export * from './server-process.js';
export * from './timestamp.js';
export * from './cut-at-stop-words.js';
export * from './use-color.js';
