export * from './list-configs.js';
export * from './render-prompts.js';
export * from './run-evaluation.js';
export * from './version.js';
export * from './write-report.js';
export * from './compare-runs.js';
export * from './audit-extraction.js';
export * from './start-viewer.js';
