import pRetry from 'p-retry';
import { BackendCallError } from '../spec/index.js';

/**
 * Run one sample's backend call with the runner's failure policy: bounded retries of retryable errors with
 * exponential backoff and jitter, and the server's `Retry-After` honoured. Each attempt calls `call` afresh (so it
 * can pick another endpoint). Resolves with the value and the number of attempts, or rejects with the last error.
 */
export async function callWithRetries<Value>(options: {
  call: (signal: AbortSignal) => Promise<Value>;
  retries: number;
  signal: AbortSignal;
  minBackoffMs?: number;
}): Promise<{ value: Value; attempts: number }> {
  let attempts = 0;
  const value = await pRetry(
    async () => {
      attempts += 1;
      return options.call(options.signal);
    },
    {
      retries: options.retries,
      factor: 2,
      minTimeout: options.minBackoffMs ?? 500,
      maxTimeout: 30_000,
      randomize: true,
      signal: options.signal,
      shouldRetry: ({ error }) => !options.signal.aborted && BackendCallError.isInstance(error) && error.isRetryable,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const wait = BackendCallError.isInstance(error) ? error.retryAfterSeconds : undefined;
        if (wait !== undefined && retriesLeft > 0 && !options.signal.aborted) {
          await new Promise((resolveWait) => setTimeout(resolveWait, Math.min(wait, 60) * 1000));
        }
      },
    },
  );
  return { value, attempts };
}

/** `signal`, also aborted after `timeoutMs` (a per-request timeout that starts now). */
export function withTimeout(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}
