export * from './mmlu-benchmark.js';
export * from './mmlu-subjects.js';
export * from './mmlu-templates.js';
