export * from './read-csv-records.js';
export * from './resolve-data-root.js';
