export * from './ceval-datasets.js';
export * from './ceval-subjects.js';
export * from './ceval-templates.js';
export * from './ceval-benchmark.js';
