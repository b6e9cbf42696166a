import { BackendCallError } from '../../spec/index.js';

interface Waiter<Slot> {
  readonly grant: (slot: Slot) => void;
  readonly fail: (error: Error) => void;
}

/**
 * Hands out a fixed set of slots (llama.cpp context sequences) one call at a time each. Calls wait in arrival order
 * when every slot is busy. A call that arrives while several slots are idle gets the one whose cached tokens share the
 * longest prefix with its own, so KV-cache reuse survives concurrency.
 */
export class SequencePool<Slot> {
  private readonly idle: Slot[];
  private readonly waiters: Array<Waiter<Slot>> = [];
  private closedReason: string | undefined;

  constructor(
    slots: readonly Slot[],
    private readonly sharedPrefixLength: (slot: Slot, tokens: readonly number[]) => number,
  ) {
    this.idle = [...slots];
  }

  /** Run `work` with a slot held exclusively. Waiting ends early (with a retryable error) when `signal` aborts. */
  async run<Result>(options: { tokens?: readonly number[]; signal?: AbortSignal; work: (slot: Slot) => Promise<Result> }): Promise<Result> {
    const slot = await this.acquire(options.tokens, options.signal);
    try {
      return await options.work(slot);
    } finally {
      this.release(slot);
    }
  }

  /** Refuse new calls and fail waiting ones; calls holding a slot run on. */
  close(reason: string): void {
    this.closedReason = reason;
    for (const waiter of this.waiters.splice(0)) waiter.fail(closedError(reason));
  }

  private acquire(tokens: readonly number[] | undefined, signal: AbortSignal | undefined): Promise<Slot> {
    if (this.closedReason !== undefined) return Promise.reject(closedError(this.closedReason));
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.idle.length > 0) return Promise.resolve(this.takeIdle(tokens));
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(abortedError(signal as AbortSignal));
      };
      const waiter: Waiter<Slot> = {
        grant: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private takeIdle(tokens: readonly number[] | undefined): Slot {
    let best = 0;
    if (tokens && this.idle.length > 1) {
      let bestLength = -1;
      this.idle.forEach((slot, index) => {
        const length = this.sharedPrefixLength(slot, tokens);
        if (length > bestLength) [best, bestLength] = [index, length];
      });
    }
    return this.idle.splice(best, 1)[0] as Slot;
  }

  private release(slot: Slot): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.grant(slot);
    else this.idle.push(slot);
  }
}

/** The error for a call whose `signal` aborted (per-request timeout or Ctrl-C); the runner decides on retries. */
export function abortedError(signal: AbortSignal): BackendCallError {
  return new BackendCallError({ message: 'llama-cpp call was aborted (timeout or cancel)', isRetryable: true, cause: signal.reason });
}

function closedError(reason: string): BackendCallError {
  return new BackendCallError({ message: reason, isRetryable: false });
}
