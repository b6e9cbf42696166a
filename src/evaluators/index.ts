export * from './acc-evaluator.js';
export * from './python-str.js';
