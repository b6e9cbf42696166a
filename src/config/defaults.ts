/** Every default in one place. */
export const defaults = {
  workDir: 'outputs/default',
  maxOutLen: 256,
  concurrency: 16,
  /** seconds */
  timeout: 600,
  retry: 3,
  /** seconds */
  lmdeployStartupTimeout: 600,
  openaiMode: 'chat',
  lmdeployPromptStyle: 'completion',
  /** How often progress lines are printed when stdout is not a terminal, in ms. */
  progressIntervalMs: 5000,
} as const;
