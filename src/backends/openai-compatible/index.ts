export * from './openai-compatible-backend.js';
export * from './read-server-sent-events.js';
export * from './launch-openai-server.js';
export { HttpJsonClient, malformedResponseError } from './http-json-client.js';
export { parseResponse } from './parse-response.js';
export * from './prompt-logprobs.js';
