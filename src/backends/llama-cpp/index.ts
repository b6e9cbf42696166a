export * from './llama-cpp-backend.js';
export * from './llama-cpp-settings.js';
export * from './default-thread-count.js';
