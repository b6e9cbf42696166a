export * from './transformers-backend.js';
