import { BackendCallError, type ModelBackend } from '../spec/index.js';
import { AdaptiveLimit } from './adaptive-limit.js';

/** One endpoint of a model: a backend, its in-flight count and limit, and its health. */
export interface PoolEndpoint {
  readonly backend: ModelBackend;
  readonly label: string;
  readonly limit: AdaptiveLimit;
  inFlight: number;
  consecutiveFailures: number;
  /** While set and in the future, the endpoint is out of rotation; after it, one probe request may go. */
  downUntil: number;
  downCount: number;
}

/** What became of a request on an endpoint. */
export type EndpointOutcome =
  | { readonly kind: 'success'; readonly latencyMs: number }
  | { readonly kind: 'failure'; readonly error: unknown };

/** Failures in a row that take an endpoint out of rotation. */
const failuresBeforeDown = 3;

/**
 * The endpoints of one model. Requests go to the least-loaded healthy endpoint with room under its limit; an
 * endpoint that fails repeatedly (unreachable, 5xx, timeouts) is taken out for a growing pause and then probed
 * with a single request; a run survives losing all endpoints but one.
 */
export class EndpointPool {
  private readonly waiters: Array<() => void> = [];
  private wakeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly endpoints: readonly PoolEndpoint[],
    private readonly onEvent: (message: string) => void = () => undefined,
  ) {}

  static create(options: {
    backends: ReadonlyArray<{ backend: ModelBackend; label: string }>;
    fixedConcurrency?: number;
    maxConcurrency: number;
    onEvent?: (message: string) => void;
  }): EndpointPool {
    const endpoints = options.backends.map(({ backend, label }) => ({
      backend,
      label,
      limit: new AdaptiveLimit({ max: options.maxConcurrency, ...(options.fixedConcurrency !== undefined ? { fixed: options.fixedConcurrency } : {}) }),
      inFlight: 0,
      consecutiveFailures: 0,
      downUntil: 0,
      downCount: 0,
    }));
    return new EndpointPool(endpoints, options.onEvent);
  }

  /** Total limit across endpoints that are in rotation (what the dispatcher keeps in flight). */
  get capacity(): number {
    const now = Date.now();
    return this.endpoints.reduce((total, endpoint) => total + (endpoint.downUntil > now ? 0 : endpoint.limit.value), 0);
  }

  /** Wait for an endpoint with room and reserve a slot on it. */
  async acquire(signal?: AbortSignal): Promise<PoolEndpoint> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const endpoint = this.pick();
      if (endpoint) {
        endpoint.inFlight += 1;
        return endpoint;
      }
      await new Promise<void>((resolveWait) => {
        this.waiters.push(resolveWait);
        this.scheduleWake();
        signal?.addEventListener('abort', () => resolveWait(), { once: true });
      });
    }
  }

  /** Give the slot back and learn from the outcome. */
  release(endpoint: PoolEndpoint, outcome: EndpointOutcome): void {
    endpoint.inFlight -= 1;
    if (outcome.kind === 'success') {
      if (endpoint.downCount > 0 && endpoint.consecutiveFailures > 0) this.onEvent(`endpoint ${endpoint.label} is back`);
      endpoint.consecutiveFailures = 0;
      endpoint.downCount = 0;
      endpoint.limit.onSuccess(outcome.latencyMs);
    } else {
      const error = outcome.error;
      const status = BackendCallError.isInstance(error) ? error.statusCode : undefined;
      if (status === 429 || status === 503) endpoint.limit.onOverload();
      const endpointFault = BackendCallError.isInstance(error) && error.isRetryable && status !== 429;
      if (endpointFault) {
        endpoint.consecutiveFailures += 1;
        if (endpoint.consecutiveFailures >= failuresBeforeDown) this.takeOut(endpoint, error as Error);
      }
    }
    this.wake();
  }

  private takeOut(endpoint: PoolEndpoint, error: Error): void {
    endpoint.downCount += 1;
    const pauseMs = Math.min(30_000, 500 * 2 ** (endpoint.downCount - 1));
    endpoint.downUntil = Date.now() + pauseMs;
    endpoint.consecutiveFailures = 0;
    this.onEvent(`endpoint ${endpoint.label} taken out of rotation for ${(pauseMs / 1000).toFixed(1)} s: ${error.message}`);
  }

  private pick(): PoolEndpoint | undefined {
    const now = Date.now();
    let best: PoolEndpoint | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const endpoint of this.endpoints) {
      // A paused endpoint whose pause is over gets one probe request at a time until it succeeds.
      const probing = endpoint.downCount > 0;
      const limit = probing ? 1 : endpoint.limit.value;
      if (endpoint.downUntil > now || endpoint.inFlight >= limit) continue;
      const load = endpoint.inFlight / limit;
      if (load < bestLoad) {
        best = endpoint;
        bestLoad = load;
      }
    }
    return best;
  }

  private wake(): void {
    const waiters = this.waiters.splice(0);
    for (const resolveWait of waiters) resolveWait();
  }

  /** When every endpoint is paused, wake the waiters when the first pause ends. */
  private scheduleWake(): void {
    if (this.wakeTimer) return;
    const now = Date.now();
    const nextUp = Math.min(...this.endpoints.map((endpoint) => (endpoint.downUntil > now ? endpoint.downUntil : Number.POSITIVE_INFINITY)));
    const delay = Number.isFinite(nextUp) ? nextUp - now + 5 : 250;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wake();
    }, delay);
    this.wakeTimer.unref();
  }
}
