export * from './build-summary.js';
export * from './dataset-score.js';
export * from './console-reporter.js';
export * from './format/index.js';
export * from './write-summary-files.js';
