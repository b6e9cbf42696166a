export * from './cmmlu-benchmark.js';
export * from './cmmlu-subjects.js';
export * from './cmmlu-templates.js';
