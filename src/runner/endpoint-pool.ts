import { BackendCallError, BackendUnavailableError, type ModelBackend } from '../spec/index.js';
import { AdaptiveLimit } from './adaptive-limit.js';

/** One endpoint of a model: a backend, its in-flight count and limit, and its health. */
export interface PoolEndpoint {
  readonly backend: ModelBackend;
  readonly label: string;
  readonly limit: AdaptiveLimit;
  inFlight: number;
  /** Failures since the last success: the distinct prompts that failed (connection-level failures each count once). */
  consecutiveFailures: number;
  readonly failedKeys: Set<string>;
  /** When a request last succeeded here (0: never). */
  lastSuccessAt: number;
  /** While set and in the future, the endpoint is out of rotation; after it, one probe request may go. */
  downUntil: number;
  downCount: number;
}

/** What became of a request on an endpoint. */
export type EndpointOutcome =
  { readonly kind: 'success'; readonly latencyMs: number } | { readonly kind: 'failure'; readonly error: unknown; readonly requestKey?: string };

/** A 503 within this long of a success on the same endpoint is overload, not a sick endpoint. */
const recentSuccessMs = 5_000;

/** Failures in a row, on distinct prompts, that take an endpoint out of rotation. */
const failuresBeforeDown = 3;

/**
 * The endpoints of one model. Requests go to the least-loaded healthy endpoint with room under its limit; an
 * endpoint that fails repeatedly (unreachable, 5xx, timeouts) is taken out for a growing pause and then probed
 * with a single request; a run survives losing all endpoints but one.
 *
 * What counts against an endpoint's health: retryable failures (not 429) that are not explained by particular
 * prompts, i.e. failures of `failuresBeforeDown` distinct prompts in a row with no success between (a prompt that
 * fails on each retry counts once), and connection-level failures (refused, unreachable host), each of which counts.
 * A prompt that fails again after other prompts were answered since its first failure is explained by itself: that
 * failure does not count, and it brings a paused endpoint back (the server answers). Non-retryable failures (400,
 * 404, 413, 422, a prompt too long) are the prompt's, never the endpoint's. So a server that fails 1% of prompts
 * keeps serving the rest to the end, and one that is down (refusing connections, or failing every prompt) is taken
 * out after three failures and, with no other endpoint, stops the run.
 */
export class EndpointPool {
  private readonly waiters: Array<() => void> = [];
  private wakeTimer: NodeJS.Timeout | undefined;
  /** When every endpoint went out of rotation (reset by any success). */
  private allDownSince: number | undefined;
  private lastError: Error | undefined;
  private failureCounter = 0;
  /** Successes on this pool so far. */
  private successes = 0;
  /** Prompts (request keys) that failed, with the success count at their first failure. */
  private readonly promptFailures = new Map<string, number>();

  constructor(
    readonly endpoints: readonly PoolEndpoint[],
    private readonly onEvent: (message: string) => void = () => undefined,
    private readonly unavailableAfterMs = 8_000,
  ) {}

  static create(options: {
    backends: ReadonlyArray<{ backend: ModelBackend; label: string }>;
    fixedConcurrency?: number;
    maxConcurrency: number;
    onEvent?: (message: string) => void;
    /** Stop when every endpoint has been out of rotation this long. @default 8000 */
    unavailableAfterMs?: number;
  }): EndpointPool {
    const endpoints = options.backends.map(({ backend, label }) => ({
      backend,
      label,
      limit: new AdaptiveLimit({ max: options.maxConcurrency, ...(options.fixedConcurrency !== undefined ? { fixed: options.fixedConcurrency } : {}) }),
      inFlight: 0,
      consecutiveFailures: 0,
      failedKeys: new Set<string>(),
      lastSuccessAt: 0,
      downUntil: 0,
      downCount: 0,
    }));
    return new EndpointPool(endpoints, options.onEvent, options.unavailableAfterMs);
  }

  /** Total limit across endpoints that are in rotation (what the dispatcher keeps in flight). */
  get capacity(): number {
    const now = Date.now();
    return this.endpoints.reduce((total, endpoint) => total + (endpoint.downUntil > now ? 0 : endpoint.limit.value), 0);
  }

  /**
   * Wait for an endpoint with room and reserve a slot on it. `avoid` (the endpoint a retry just failed on) is only
   * chosen when no other endpoint has room. Throws {@link BackendUnavailableError} once every endpoint has been out
   * of rotation for longer than the pool's `unavailableAfterMs`: the run should stop rather than wait forever.
   */
  async acquire(signal?: AbortSignal, options: { avoid?: PoolEndpoint } = {}): Promise<PoolEndpoint> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      this.checkAvailable();
      const endpoint = this.pick(options.avoid);
      if (endpoint) {
        endpoint.inFlight += 1;
        return endpoint;
      }
      await new Promise<void>((resolveWait) => {
        const onAbort = () => resolveWait();
        this.waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolveWait();
        });
        this.scheduleWake();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** Every endpoint out of rotation for too long: give up with the last error seen. */
  private checkAvailable(now = Date.now()): void {
    if (this.allDownSince === undefined || now - this.allDownSince < this.unavailableAfterMs) return;
    const urls = this.endpoints.map((endpoint) => endpoint.label).join(', ');
    throw new BackendUnavailableError({
      message:
        `no endpoint answered for ${Math.round((now - this.allDownSince) / 1000)} s (${urls}): ${this.lastError?.message ?? 'unreachable'}. ` +
        'Finished samples are saved; continue with --reuse once the server is back.',
      cause: this.lastError,
    });
  }

  /** Give the slot back and learn from the outcome. */
  release(endpoint: PoolEndpoint, outcome: EndpointOutcome): void {
    endpoint.inFlight -= 1;
    if (outcome.kind === 'success') {
      if (endpoint.downCount > 0) this.onEvent(`endpoint ${endpoint.label} is back`);
      this.successes += 1;
      endpoint.lastSuccessAt = Date.now();
      this.restore(endpoint);
      endpoint.limit.onSuccess(outcome.latencyMs);
    } else {
      const error = outcome.error;
      const status = BackendCallError.isInstance(error) ? error.statusCode : undefined;
      if (status === 429 || status === 503) endpoint.limit.onOverload();
      // 429 is the server pacing us; 503 is overload too while the endpoint keeps answering other requests (it
      // lowers the limit instead), and counts only once nothing has succeeded there for a while (a proxy whose
      // upstream is gone answers 503 to everything).
      const overloadedButAnswering = status === 503 && Date.now() - endpoint.lastSuccessAt < recentSuccessMs;
      const endpointFault = BackendCallError.isInstance(error) && error.isRetryable && status !== 429 && !overloadedButAnswering;
      // Failures of requests sent before the endpoint was taken out say nothing new: don't count them again.
      const alreadyOut = endpoint.downUntil > Date.now();
      if (endpointFault && !alreadyOut) {
        const connectionLevel = isConnectionLevel(error) || outcome.requestKey === undefined;
        const key = connectionLevel ? `connection#${(this.failureCounter += 1)}` : (outcome.requestKey as string);
        const firstFailedAt = this.promptFailures.get(key);
        if (!connectionLevel && firstFailedAt !== undefined && this.successes > firstFailedAt) {
          // This prompt failed before and other prompts were answered since: the failure is the prompt's. The server
          // answered, so a paused endpoint is back in rotation.
          if (endpoint.downCount > 0) this.onEvent(`endpoint ${endpoint.label} answers again (what failed is one prompt)`);
          this.restore(endpoint);
        } else {
          if (!connectionLevel && firstFailedAt === undefined) this.promptFailures.set(key, this.successes);
          this.lastError = error as Error;
          endpoint.failedKeys.add(key);
          endpoint.consecutiveFailures = endpoint.failedKeys.size;
          // A failed probe (the endpoint was out before) pauses it again at once.
          if (endpoint.consecutiveFailures >= failuresBeforeDown || endpoint.downCount > 0) this.takeOut(endpoint, error as Error);
        }
      }
    }
    this.wake();
  }

  private restore(endpoint: PoolEndpoint): void {
    endpoint.consecutiveFailures = 0;
    endpoint.failedKeys.clear();
    endpoint.downCount = 0;
    endpoint.downUntil = 0;
    this.allDownSince = undefined;
  }

  private takeOut(endpoint: PoolEndpoint, error: Error): void {
    endpoint.downCount += 1;
    const pauseMs = Math.min(30_000, 500 * 2 ** (endpoint.downCount - 1));
    endpoint.downUntil = Date.now() + pauseMs;
    endpoint.consecutiveFailures = 0;
    endpoint.failedKeys.clear();
    if (this.allDownSince === undefined && this.endpoints.every((candidate) => candidate.downCount > 0)) this.allDownSince = Date.now();
    this.onEvent(`endpoint ${endpoint.label} taken out of rotation for ${(pauseMs / 1000).toFixed(1)} s: ${error.message}`);
  }

  private pick(avoid?: PoolEndpoint): PoolEndpoint | undefined {
    const preferred = this.pickFrom(this.endpoints.filter((endpoint) => endpoint !== avoid));
    return preferred ?? (avoid ? this.pickFrom([avoid]) : undefined);
  }

  private pickFrom(candidates: readonly PoolEndpoint[]): PoolEndpoint | undefined {
    const now = Date.now();
    let best: PoolEndpoint | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const endpoint of candidates) {
      // A paused endpoint whose pause is over gets one probe request at a time until it succeeds.
      const probing = endpoint.downCount > 0;
      const limit = probing ? 1 : endpoint.limit.value;
      if (endpoint.downUntil > now || endpoint.inFlight >= limit) continue;
      // A probe only goes where no healthy endpoint has room at least as good.
      const load = endpoint.inFlight / limit + (probing ? 1 : 0);
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

  /** When every endpoint is paused, wake the waiters when the first pause ends (or when the pool gives up). */
  private scheduleWake(): void {
    if (this.wakeTimer) return;
    const now = Date.now();
    const nextUp = Math.min(...this.endpoints.map((endpoint) => (endpoint.downUntil > now ? endpoint.downUntil : Number.POSITIVE_INFINITY)));
    const giveUpAt = this.allDownSince === undefined ? Number.POSITIVE_INFINITY : this.allDownSince + this.unavailableAfterMs;
    const wakeAt = Math.min(nextUp, giveUpAt);
    const delay = Number.isFinite(wakeAt) ? Math.max(0, wakeAt - now) + 5 : 250;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wake();
    }, delay);
  }
}

/** A failure to connect at all (refused, unreachable, unknown host): the endpoint's, whatever the prompt. */
function isConnectionLevel(error: unknown): boolean {
  if (!BackendCallError.isInstance(error) || error.statusCode !== undefined) return false;
  const cause = error.cause as { code?: string; cause?: { code?: string } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}
