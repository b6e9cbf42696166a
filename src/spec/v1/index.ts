export * from './backend.js';
export * from './errors.js';
export * from './prompt.js';
export * from './run-events.js';
export * from './task.js';
export * from './warning.js';
