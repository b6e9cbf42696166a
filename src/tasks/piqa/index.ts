export * from './piqa-benchmark.js';
export * from './piqa-templates.js';
