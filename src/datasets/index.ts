export * from './read-csv-records.js';
export * from './resolve-data-root.js';
export * from './read-csv-rows.js';
export * from './read-text-lines.js';
export * from './csv-record-line.js';
export * from './check-data-files.js';
