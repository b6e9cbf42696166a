import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendCallError, type ModelBackend } from '../spec/index.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { EndpointPool, type PoolEndpoint } from './endpoint-pool.js';

function backend(name: string): ModelBackend {
  const unused = () => Promise.reject(new Error('not called'));
  return {
    specificationVersion: 'v1',
    provider: 'openai',
    modelId: `openai:${name}`,
    capabilities: { requestKinds: ['generate'], promptKind: 'messages' },
    connectionKey: name,
    doStart: unused,
    doGenerate: unused,
    doLoglikelihood: unused,
    doPerplexity: unused,
    doClose: () => Promise.resolve(),
  };
}

function endpoint(label: string, limit: AdaptiveLimit): PoolEndpoint {
  return {
    backend: backend(label),
    label,
    limit,
    inFlight: 0,
    consecutiveFailures: 0,
    failedKeys: new Set<string>(),
    lastSuccessAt: 0,
    downUntil: 0,
    downCount: 0,
  };
}

/** A pool of endpoints with fixed limits, recording its events. */
function fixedPool(limits: Record<string, number>): { pool: EndpointPool; events: string[]; byLabel: (label: string) => PoolEndpoint } {
  const events: string[] = [];
  const endpoints = Object.entries(limits).map(([label, limit]) => endpoint(label, new AdaptiveLimit({ fixed: limit, max: 128 })));
  const pool = new EndpointPool(endpoints, (message) => events.push(message));
  const byLabel = (label: string) => {
    const found = endpoints.find((entry) => entry.label === label);
    if (!found) throw new Error(`no endpoint ${label}`);
    return found;
  };
  return { pool, events, byLabel };
}

const unreachable = () =>
  new BackendCallError({ message: 'cannot reach http://a/v1/chat/completions: connection refused', url: 'http://a', isRetryable: true });
const serverError = () => new BackendCallError({ message: 'http://a answered HTTP 500: boom', url: 'http://a', statusCode: 500, isRetryable: true });
const rateLimited = () => new BackendCallError({ message: 'http://a answered HTTP 429: slow down', url: 'http://a', statusCode: 429, isRetryable: true });
const badRequest = () => new BackendCallError({ message: 'http://a answered HTTP 400: bad', url: 'http://a', statusCode: 400, isRetryable: false });

/** Whether a promise has settled, after letting pending microtasks and zero-delay timers run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

/** Acquire `count` slots that must be granted at once. */
async function acquireNow(pool: EndpointPool, count: number): Promise<PoolEndpoint[]> {
  const granted: PoolEndpoint[] = [];
  for (let index = 0; index < count; index += 1) {
    const pending = pool.acquire();
    expect(await settled(pending)).toBe(true);
    granted.push(await pending);
  }
  return granted;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('EndpointPool: choosing an endpoint', () => {
  it('alternates between two equal endpoints (least loaded first)', async () => {
    const { pool } = fixedPool({ a: 4, b: 4 });
    const labels = (await acquireNow(pool, 8)).map((entry) => entry.label);
    expect(labels.filter((label) => label === 'a')).toHaveLength(4);
    expect(labels.filter((label) => label === 'b')).toHaveLength(4);
    // Never more than one apart while filling up.
    let a = 0;
    let b = 0;
    for (const label of labels) {
      if (label === 'a') a += 1;
      else b += 1;
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    }
  });

  it('picks by load relative to each limit, and the endpoint that got a slot back', async () => {
    const { pool, byLabel } = fixedPool({ a: 2, b: 6 });
    const labels = (await acquireNow(pool, 8)).map((entry) => entry.label);
    expect(labels.filter((label) => label === 'a')).toHaveLength(2);
    expect(labels.filter((label) => label === 'b')).toHaveLength(6);
    expect(byLabel('a').inFlight).toBe(2);
    expect(byLabel('b').inFlight).toBe(6);
    // Full: the next one waits.
    const waiting = pool.acquire();
    expect(await settled(waiting)).toBe(false);
    // A slot comes back on a: the waiter gets a.
    pool.release(byLabel('a'), { kind: 'success', latencyMs: 5 });
    expect(await settled(waiting)).toBe(true);
    expect((await waiting).label).toBe('a');
  });

  it('capacity is the sum of the limits of endpoints in rotation', () => {
    const { pool } = fixedPool({ a: 3, b: 5 });
    expect(pool.capacity).toBe(8);
  });
});

describe('EndpointPool: waiting and aborting', () => {
  it('acquire waits when every endpoint is full and resumes on release', async () => {
    const { pool, byLabel } = fixedPool({ a: 1 });
    const [first] = await acquireNow(pool, 1);
    const second = pool.acquire();
    const third = pool.acquire();
    expect(await settled(second)).toBe(false);
    expect(await settled(third)).toBe(false);
    pool.release(first as PoolEndpoint, { kind: 'success', latencyMs: 3 });
    // Exactly one waiter gets the freed slot.
    await vi.advanceTimersByTimeAsync(0);
    const secondDone = await settled(second);
    const thirdDone = await settled(third);
    expect([secondDone, thirdDone].filter(Boolean)).toHaveLength(1);
    expect(byLabel('a').inFlight).toBe(1);
    pool.release(byLabel('a'), { kind: 'success', latencyMs: 3 });
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(true);
    expect(byLabel('a').inFlight).toBe(1);
  });

  it('a waiting acquire rejects when its signal aborts, without taking a slot', async () => {
    const { pool, byLabel } = fixedPool({ a: 1 });
    await acquireNow(pool, 1);
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    expect(await settled(waiting)).toBe(false);
    const reason = new Error('run interrupted');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(byLabel('a').inFlight).toBe(1);
    // The freed slot later goes to the next caller, not to the aborted one.
    pool.release(byLabel('a'), { kind: 'success', latencyMs: 3 });
    const next = pool.acquire();
    expect(await settled(next)).toBe(true);
    expect(byLabel('a').inFlight).toBe(1);
  });

  it('acquire with an already aborted signal rejects at once', async () => {
    const { pool } = fixedPool({ a: 4 });
    const controller = new AbortController();
    controller.abort(new Error('already'));
    await expect(pool.acquire(controller.signal)).rejects.toThrow('already');
  });

  it('waiting does not pile up abort listeners on the shared run signal', async () => {
    // The runner passes one run-wide signal to every acquire; waits end by release far more often than by abort.
    const { pool, byLabel } = fixedPool({ a: 1 });
    const controller = new AbortController();
    const [held] = await acquireNow(pool, 1);
    let current = held as PoolEndpoint;
    for (let round = 0; round < 50; round += 1) {
      const waiting = pool.acquire(controller.signal);
      expect(await settled(waiting)).toBe(false);
      pool.release(current, { kind: 'success', latencyMs: 1 });
      current = await waiting;
    }
    expect(byLabel('a').inFlight).toBe(1);
    expect(getEventListeners(controller.signal, 'abort').length, 'abort listeners left on the run signal after 50 waits').toBeLessThanOrEqual(1);
  });
});

describe('EndpointPool: health', () => {
  it('three consecutive retryable failures take an endpoint out; the other one takes the traffic', async () => {
    const { pool, events, byLabel } = fixedPool({ a: 4, b: 4 });
    const a = byLabel('a');
    const held = await acquireNow(pool, 6);
    const onA = held.filter((entry) => entry.label === 'a');
    const onB = held.filter((entry) => entry.label === 'b');
    expect(onA).toHaveLength(3);
    for (const [index, entry] of onA.entries()) pool.release(entry, { kind: 'failure', error: index === 1 ? serverError() : unreachable() });
    for (const entry of onB) pool.release(entry, { kind: 'success', latencyMs: 5 });
    expect(a.downUntil).toBeGreaterThan(Date.now());
    expect(events.some((event) => event.includes('a') && /out of rotation/.test(event))).toBe(true);
    expect(pool.capacity).toBe(4);
    // Everything goes to b now, and once b is full the next caller waits.
    const labels = (await acquireNow(pool, 4)).map((entry) => entry.label);
    expect(labels).toEqual(['b', 'b', 'b', 'b']);
    expect(await settled(pool.acquire())).toBe(false);
  });

  it('a success in between resets the count; 429 and non-retryable errors do not count', () => {
    const { pool, byLabel } = fixedPool({ a: 8 });
    const a = byLabel('a');
    a.inFlight = 8;
    pool.release(a, { kind: 'failure', error: unreachable() });
    pool.release(a, { kind: 'failure', error: serverError() });
    pool.release(a, { kind: 'success', latencyMs: 4 });
    pool.release(a, { kind: 'failure', error: unreachable() });
    pool.release(a, { kind: 'failure', error: rateLimited() });
    pool.release(a, { kind: 'failure', error: badRequest() });
    pool.release(a, { kind: 'failure', error: unreachable() });
    expect(a.downUntil).toBeLessThanOrEqual(Date.now());
    expect(pool.capacity).toBe(8);
  });

  it('failures explained by one prompt (its retries fail again and again) never take the endpoint out', () => {
    const { pool, events, byLabel } = fixedPool({ a: 8 });
    const a = byLabel('a');
    a.inFlight = 8;
    for (let attempt = 0; attempt < 6; attempt += 1) pool.release(a, { kind: 'failure', error: serverError(), requestKey: 'prompt-with-the-word' });
    expect(a.downUntil).toBeLessThanOrEqual(Date.now());
    expect(a.consecutiveFailures).toBe(1);
    // Two more distinct prompts failing in a row: three distinct prompts, the endpoint is sick.
    pool.release(a, { kind: 'failure', error: serverError(), requestKey: 'second' });
    expect(a.downUntil).toBeLessThanOrEqual(Date.now());
    pool.release(a, { kind: 'failure', error: serverError(), requestKey: 'third' });
    expect(a.downUntil).toBeGreaterThan(Date.now());
    expect(events.some((event) => /out of rotation/.test(event))).toBe(true);
  });

  it('connection-level failures count each time, whatever the prompt', () => {
    const { pool, byLabel } = fixedPool({ a: 8 });
    const a = byLabel('a');
    a.inFlight = 8;
    const refused = () =>
      new BackendCallError({
        message: 'cannot reach http://a: connection refused',
        url: 'http://a',
        isRetryable: true,
        cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      });
    for (let attempt = 0; attempt < 3; attempt += 1) pool.release(a, { kind: 'failure', error: refused(), requestKey: 'same' });
    expect(a.downUntil).toBeGreaterThan(Date.now());
  });

  /** a (limit 3) taken out by three failures while b (limit 1) stays in rotation but busy, so callers wait. */
  async function pausedWithBusyNeighbour() {
    const fixture = fixedPool({ a: 3, b: 1 });
    const held = await acquireNow(fixture.pool, 4);
    expect(held.map((entry) => entry.label).sort()).toEqual(['a', 'a', 'a', 'b']);
    for (const entry of held) if (entry.label === 'a') fixture.pool.release(entry, { kind: 'failure', error: unreachable() });
    const a = fixture.byLabel('a');
    expect(a.downUntil).toBeGreaterThan(Date.now());
    expect(a.inFlight).toBe(0);
    return { ...fixture, a };
  }

  it('a paused endpoint is probed with one request at a time and restored (and announced) on success', async () => {
    const { pool, events, a } = await pausedWithBusyNeighbour();
    const takenOut = events.length;
    // While a is paused (and b busy), nothing is handed out.
    const probe = pool.acquire();
    const second = pool.acquire();
    expect(await settled(probe)).toBe(false);
    expect(await settled(second)).toBe(false);
    // After the pause (at most 30 s), exactly one request goes to a.
    await vi.advanceTimersByTimeAsync(30_500);
    const firstDone = await settled(probe);
    const secondDone = await settled(second);
    expect([firstDone, secondDone].filter(Boolean)).toHaveLength(1);
    expect(a.inFlight).toBe(1);
    // The probe succeeds: the waiting request goes at once, and a is back to its full limit.
    pool.release(a, { kind: 'success', latencyMs: 7 });
    expect(await settled(probe)).toBe(true);
    expect(await settled(second)).toBe(true);
    expect(a.inFlight).toBe(1);
    const more = await acquireNow(pool, 2);
    expect(more.map((entry) => entry.label)).toEqual(['a', 'a']);
    expect(a.inFlight).toBe(3);
    expect(pool.capacity).toBe(4);
    // Coming back is announced like going out was.
    expect(
      events.slice(takenOut).some((event) => event.includes('a') && /back/.test(event)),
      `no "back" event after the probe succeeded; events: ${JSON.stringify(events)}`,
    ).toBe(true);
  });

  it('a failed probe pauses the endpoint again instead of sending the next probe at once', async () => {
    const { pool, a } = await pausedWithBusyNeighbour();
    await vi.advanceTimersByTimeAsync(30_500);
    const [probe] = await acquireNow(pool, 1);
    expect(probe?.label).toBe('a');
    const next = pool.acquire();
    expect(await settled(next)).toBe(false);
    pool.release(probe as PoolEndpoint, { kind: 'failure', error: unreachable() });
    expect(a.downUntil, 'a failed probe must start a new pause').toBeGreaterThan(Date.now());
    expect(await settled(next)).toBe(false);
  });

  it('failures of requests already in flight when an endpoint went out do not take it out again (no runaway pause)', () => {
    const { pool, events, byLabel } = fixedPool({ a: 16 });
    const a = byLabel('a');
    // Sixteen requests in flight when the server goes away: they all fail within a few ms.
    a.inFlight = 16;
    for (let failure = 0; failure < 16; failure += 1) pool.release(a, { kind: 'failure', error: unreachable() });
    const takenOut = events.filter((event) => /out of rotation/.test(event));
    expect(takenOut, 'one burst of failures, one take-out').toHaveLength(1);
    // The pause is the first, shortest one (well under the 30 s cap).
    expect(a.downUntil - Date.now()).toBeLessThanOrEqual(1_000);
  });
});

describe('EndpointPool: adaptive limits', () => {
  it('sustained 429s halve the adaptive limit of that endpoint only, and do not take it out; one 429 changes nothing', () => {
    const events: string[] = [];
    const pool = EndpointPool.create({
      backends: [
        { backend: backend('a'), label: 'a' },
        { backend: backend('b'), label: 'b' },
      ],
      maxConcurrency: 128,
      onEvent: (message) => events.push(message),
    });
    const [a, b] = pool.endpoints as [PoolEndpoint, PoolEndpoint];
    expect(a.limit.isAdaptive).toBe(true);
    const before = a.limit.value;
    a.inFlight = before + 5;
    pool.release(a, { kind: 'failure', error: rateLimited() });
    expect(a.limit.value).toBe(before);
    // A window of 429s: halved, still in rotation (429 is the server pacing us, not a broken endpoint).
    for (let answer = 1; answer < before; answer += 1) pool.release(a, { kind: 'failure', error: rateLimited() });
    expect(a.limit.value).toBe(Math.floor(before / 2));
    expect(b.limit.value).toBe(before);
    expect(a.downUntil).toBeLessThanOrEqual(Date.now());
    expect(pool.capacity).toBe(a.limit.value + b.limit.value);
    expect(events.filter((event) => /out of rotation/.test(event))).toEqual([]);
  });

  it('a fixed concurrency is not halved by 429', () => {
    const pool = EndpointPool.create({ backends: [{ backend: backend('a'), label: 'a' }], fixedConcurrency: 6, maxConcurrency: 128 });
    const [a] = pool.endpoints as [PoolEndpoint];
    a.inFlight = 1;
    pool.release(a, { kind: 'failure', error: rateLimited() });
    expect(a.limit.value).toBe(6);
  });
});
