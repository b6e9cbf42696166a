/** Every default in one place. */
export const defaults = {
  workDir: 'outputs/default',
  maxOutLen: 256,
  /** In flight per endpoint when `concurrency` is 'auto': where the adaptive limit starts, and its ceiling. */
  initialConcurrency: 16,
  maxConcurrency: 128,
  /** seconds */
  timeout: 600,
  retry: 3,
  /** seconds: the longest `Retry-After` waited out; a server asking for longer stops the run (resumable with -r). */
  maxRetryWait: 300,
  /** seconds */
  lmdeployStartupTimeout: 600,
  openaiMode: 'chat',
  /** llama.cpp context size in tokens. */
  llamaCppContextSize: 8192,
  lmdeployPromptStyle: 'completion',
  /** `huggingface` requests per worker call: OpenCompass's batch_size, and what continuous batching takes at once. */
  huggingfaceBatchSize: 8,
  huggingfaceContinuousBatchSize: 1024,
  /** How often progress lines are printed when stdout is not a terminal, in ms. */
  progressIntervalMs: 5000,
} as const;
