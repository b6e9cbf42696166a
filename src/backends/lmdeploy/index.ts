export * from './lmdeploy-backend.js';
