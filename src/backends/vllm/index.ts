export * from './vllm-backend.js';
