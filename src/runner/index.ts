export * from './check-capabilities.js';
export * from './dispatch-with-retries.js';
export * from './infer-model.js';
export * from './notify-reporters.js';
export * from './run-pool.js';
export * from './score-task.js';
export * from './adaptive-limit.js';
export * from './endpoint-pool.js';
