export * from './custom-dataset.js';
export * from './option-sim-acc-evaluator.js';
