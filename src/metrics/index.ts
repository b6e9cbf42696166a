export * from './accuracy.js';
export * from './acc-evaluator.js';
