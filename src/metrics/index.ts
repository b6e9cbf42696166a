export * from './accuracy.js';
export * from './result-metrics.js';
