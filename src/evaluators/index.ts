export * from './acc-evaluator.js';
export * from './python-str.js';
export * from './acc-with-details-evaluator.js';
export { createMatchEvaluator } from './match-evaluator.js';
