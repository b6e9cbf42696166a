export * from './list-configs.js';
export * from './render-prompts.js';
export * from './run-evaluation.js';
export * from './version.js';
