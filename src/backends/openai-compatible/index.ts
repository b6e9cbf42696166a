export * from './openai-compatible-backend.js';
export * from './read-server-sent-events.js';
