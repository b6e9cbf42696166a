export * from './huggingface-backend.js';
export { workerProtocolVersion, type WorkerHello } from './worker-process.js';
