export * from './backend-registry.js';
export * from './dataset-registry.js';
