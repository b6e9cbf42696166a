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
  /** Called when a failed attempt starts waiting for its retry, and when the retry begins. */
  onBackoff?: (waiting: boolean) => void;
}): Promise<{ value: Value; attempts: number }> {
  let attempts = 0;
  const value = await pRetry(
    async () => {
      attempts += 1;
      if (attempts > 1) options.onBackoff?.(false);
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
        if (retriesLeft > 0 && BackendCallError.isInstance(error) && error.isRetryable && !options.signal.aborted) options.onBackoff?.(true);
        const wait = BackendCallError.isInstance(error) ? error.retryAfterSeconds : undefined;
        if (wait !== undefined && retriesLeft > 0 && !options.signal.aborted) {
          await new Promise((resolveWait) => setTimeout(resolveWait, Math.min(wait, 60) * 1000));
        }
      },
    },
  );
  return { value, attempts };
}

/**
 * `signal`, also aborted after `timeoutMs` (a per-request timeout that starts now). Call `clear` when the request
 * ends. (An AbortController and a plain timer, not `AbortSignal.timeout`: on Node 20 a combined signal can lose an
 * otherwise unreferenced timeout signal to garbage collection, and the request would then never time out.)
 */
export function withTimeout(signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`request timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
