import pRetry from 'p-retry';
import { BackendCallError, BackendUnavailableError } from '../spec/index.js';

/**
 * Run one sample's backend call with the runner's failure policy: bounded retries of retryable errors with
 * exponential backoff and jitter, and the server's `Retry-After` honoured in full. A `Retry-After` longer than
 * `maxRetryWaitMs` stops the run instead (a {@link BackendUnavailableError} saying how long the server asks to wait:
 * the run is resumable). Every wait ends at once when `signal` aborts. Each attempt calls `call` afresh (so it can
 * pick another endpoint). Resolves with the value and the number of attempts, or rejects with the last error.
 */
export async function callWithRetries<Value>(options: {
  call: (signal: AbortSignal) => Promise<Value>;
  retries: number;
  signal: AbortSignal;
  minBackoffMs?: number;
  /** The longest `Retry-After` waited out. @default Infinity */
  maxRetryWaitMs?: number;
  /** Called when a failed attempt starts waiting for its retry, and when the retry begins. */
  onBackoff?: (waiting: boolean) => void;
  /** Called before waiting out a server's `Retry-After` of `seconds`. */
  onRetryAfter?: (seconds: number, error: BackendCallError) => void;
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
        const retrying = retriesLeft > 0 && BackendCallError.isInstance(error) && error.isRetryable && !options.signal.aborted;
        if (!retrying) return;
        const wait = error.retryAfterSeconds;
        const maxWaitMs = options.maxRetryWaitMs ?? Number.POSITIVE_INFINITY;
        if (wait !== undefined && wait * 1000 > maxWaitMs) {
          throw new BackendUnavailableError({
            message:
              `${error.url ?? 'the server'} asks to wait ${formatSeconds(wait)} before the next request (HTTP ${error.statusCode ?? '?'} with Retry-After), ` +
              `longer than the ${formatSeconds(maxWaitMs / 1000)} sextant waits (maxRetryWait, --max-retry-wait). ` +
              'Finished samples are saved; continue with -r once the server accepts requests again.',
            cause: error,
          });
        }
        options.onBackoff?.(true);
        if (wait !== undefined && wait > 0) {
          options.onRetryAfter?.(wait, error);
          await abortableSleep(wait * 1000, options.signal);
        }
      },
    },
  );
  return { value, attempts };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolveSleep) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveSleep();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `45 s`, `1h00m`, `12m30s`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${hours}h${String(minutes).padStart(2, '0')}m` : `${minutes}m${String(rest).padStart(2, '0')}s`;
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
