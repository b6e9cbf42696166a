export * from './acc-evaluator.js';
export * from './python-str.js';
export { createMatchEvaluator } from './match-evaluator.js';
