import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveLimit } from './adaptive-limit.js';

// Every call gets an explicit `now`; Date is pinned to T0 only so that whatever the limit reads from the clock at
// construction time agrees with the simulated timeline.
const T0 = 1_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
});

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A simulated server: each completion takes `latencyMs(limit)` and the server completes `throughputPerMs(limit)`
 * requests per ms. Feeds `count` completions one at a time and returns the limit's value after each.
 */
function simulate(
  limit: AdaptiveLimit,
  options: { count: number; start: number; latencyMs: (limit: number) => number; throughputPerMs: (limit: number) => number },
): { values: number[]; end: number } {
  const values: number[] = [];
  let now = options.start;
  for (let completion = 0; completion < options.count; completion += 1) {
    now += 1 / options.throughputPerMs(limit.value);
    limit.onSuccess(options.latencyMs(limit.value), now);
    values.push(limit.value);
  }
  return { values, end: now };
}

/** The distinct changes of a value sequence, e.g. [16, 16, 20, 20, 24] → [+4, +4]. */
function changes(start: number, values: readonly number[]): number[] {
  const result: number[] = [];
  let previous = start;
  for (const value of values) {
    if (value !== previous) result.push(value - previous);
    previous = value;
  }
  return result;
}

describe('AdaptiveLimit', () => {
  it('a fixed limit never moves: not on success, rising throughput, latency collapse or overload', () => {
    const limit = new AdaptiveLimit({ fixed: 5, max: 128 });
    expect(limit.isAdaptive).toBe(false);
    expect(limit.value).toBe(5);
    // Throughput that keeps rising (the server scales with the limit)…
    simulate(limit, { count: 500, start: T0, latencyMs: () => 10, throughputPerMs: (value) => value / 10 });
    expect(limit.value).toBe(5);
    // …then latency collapsing…
    simulate(limit, { count: 200, start: T0 + 10_000, latencyMs: () => 5_000, throughputPerMs: () => 0.001 });
    expect(limit.value).toBe(5);
    // …then overload answers, spaced well past any cooldown.
    for (let step = 0; step < 5; step += 1) limit.onOverload(T0 + 1_000_000 + step * 60_000);
    expect(limit.value).toBe(5);
  });

  it('starts at the initial value (16 by default), never above max', () => {
    expect(new AdaptiveLimit({ max: 128 }).value).toBe(16);
    expect(new AdaptiveLimit({ max: 128, initial: 4 }).value).toBe(4);
    expect(new AdaptiveLimit({ max: 10 }).value).toBe(10);
    expect(new AdaptiveLimit({ max: 20, initial: 50 }).value).toBe(20);
    expect(new AdaptiveLimit({ max: 128 }).isAdaptive).toBe(true);
  });

  it('grows by exactly its step after windows whose throughput rose, up to max and never beyond', () => {
    const limit = new AdaptiveLimit({ max: 40, initial: 8, step: 4 });
    // A server with spare capacity: throughput proportional to the limit, constant latency (Little's law).
    const { values } = simulate(limit, { count: 2_000, start: T0, latencyMs: () => 20, throughputPerMs: (value) => value / 20 });
    const steps = changes(8, values);
    expect(steps.length).toBeGreaterThan(0);
    // Every change is one step up (the last one may be clamped to max).
    for (const [index, change] of steps.entries()) {
      if (index < steps.length - 1) expect(change).toBe(4);
      else expect(change).toBeGreaterThan(0);
    }
    expect(Math.max(...values)).toBe(40);
    expect(limit.value).toBe(40);
  });

  it('uses a custom step', () => {
    const limit = new AdaptiveLimit({ max: 64, initial: 10, step: 2 });
    const { values } = simulate(limit, { count: 300, start: T0, latencyMs: () => 20, throughputPerMs: (value) => value / 20 });
    const steps = changes(10, values);
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps)).toEqual(new Set([2]));
  });

  it('does not grow while throughput is flat (a saturated server)', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 16 });
    // First let it learn a throughput, then keep the throughput exactly flat.
    const { end } = simulate(limit, { count: 200, start: T0, latencyMs: () => 10, throughputPerMs: () => 1 });
    const settled = limit.value;
    const { values } = simulate(limit, { count: 2_000, start: end, latencyMs: () => 10, throughputPerMs: () => 1 });
    expect(Math.max(...values)).toBe(settled);
    expect(settled).toBeLessThanOrEqual(24);
  });

  it('halves on sustained overload (a window of answers all 429/503), once per burst, and again after the cooldown', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 32 });
    // A window is max(8, limit) = 32 outcomes: nothing moves before the window is full.
    for (let answer = 0; answer < 31; answer += 1) limit.onOverload(T0 + 10 + answer);
    expect(limit.value).toBe(32);
    limit.onOverload(T0 + 41);
    expect(limit.value).toBe(16);
    // The next full window of overloads inside the cooldown does not halve again.
    for (let answer = 0; answer < 16; answer += 1) limit.onOverload(T0 + 50 + answer);
    expect(limit.value).toBe(16);
    // Well after the cooldown, another overloaded window halves again.
    for (let answer = 0; answer < 16; answer += 1) limit.onOverload(T0 + 5_000 + answer);
    expect(limit.value).toBe(8);
  });

  it('isolated overload answers (10% of outcomes) never lower the limit; 25% or more of a window does', () => {
    const isolated = new AdaptiveLimit({ max: 128, initial: 32 });
    let now = T0;
    for (let outcome = 0; outcome < 2000; outcome += 1) {
      now += 3;
      if (outcome % 10 === 3) isolated.onOverload(now);
      else isolated.onSuccess(20, now);
    }
    expect(isolated.value).toBeGreaterThanOrEqual(32);
    const sustained = new AdaptiveLimit({ max: 128, initial: 32 });
    now = T0;
    for (let outcome = 0; outcome < 64; outcome += 1) {
      now += 3;
      if (outcome % 2 === 0) sustained.onOverload(now);
      else sustained.onSuccess(20, now);
    }
    expect(sustained.value).toBeLessThan(32);
  });

  it('does not grow during the cooldown that follows an overload', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 32, step: 4 });
    for (let answer = 0; answer < 32; answer += 1) limit.onOverload(T0);
    expect(limit.value).toBe(16);
    // A burst of fast completions with rising throughput right after the overload (within 100 ms).
    let now = T0;
    for (let completion = 0; completion < 64; completion += 1) {
      now += 1;
      limit.onSuccess(5, now);
    }
    expect(now - T0).toBeLessThan(100);
    expect(limit.value).toBe(16);
  });

  it('overload alone stops at a quarter of the initial limit (a server shedding at random must not drive it to 1)', () => {
    const limit = new AdaptiveLimit({ max: 128 });
    for (let burst = 0; burst < 10; burst += 1) for (let answer = 0; answer < 16; answer += 1) limit.onOverload(T0 + burst * 60_000 + answer);
    expect(limit.value).toBe(4);
  });

  it('never goes below 1, however many overloads', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 5 });
    const seen: number[] = [];
    for (let burst = 0; burst < 12; burst += 1) {
      // A full window (8 outcomes at a limit below 8) of overloads per burst.
      for (let answer = 0; answer < 8; answer += 1) limit.onOverload(T0 + burst * 60_000 + answer);
      seen.push(limit.value);
    }
    expect(seen.slice(0, 3)).toEqual([2, 1, 1]);
    expect(Math.min(...seen)).toBe(1);
    // A fresh limit of 1 stays at 1.
    const one = new AdaptiveLimit({ max: 1 });
    for (let answer = 0; answer < 8; answer += 1) one.onOverload(T0 + answer);
    expect(one.value).toBe(1);
  });

  it('never exceeds max, even when it starts at max and throughput keeps rising', () => {
    const limit = new AdaptiveLimit({ max: 3 });
    expect(limit.value).toBe(3);
    const { values } = simulate(limit, { count: 1_000, start: T0, latencyMs: () => 10, throughputPerMs: (value) => value / 10 });
    expect(Math.max(...values)).toBe(3);
  });

  it('decreases (halves) when latency collapses while throughput stops growing', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 16, collapseFactor: 4 });
    // Healthy phase: 10 ms latency, throughput 1/ms (saturated, so the limit settles).
    const healthy = simulate(limit, { count: 200, start: T0, latencyMs: () => 10, throughputPerMs: () => 1 });
    const before = limit.value;
    // Collapse: latency 20x the best median seen, throughput falls. Spread over more than any cooldown.
    const collapsed = simulate(limit, { count: 400, start: healthy.end + 5_000, latencyMs: () => 200, throughputPerMs: () => 0.05 });
    expect(Math.min(...collapsed.values)).toBeLessThan(before);
    // Each decrease is a halving (floor), never below 1.
    let previous = before;
    for (const value of collapsed.values) {
      if (value < previous) expect(value).toBe(Math.max(1, Math.floor(previous / 2)));
      expect(value).toBeGreaterThanOrEqual(1);
      previous = value;
    }
  });

  it('a latency increase below the collapse factor is not a collapse', () => {
    const limit = new AdaptiveLimit({ max: 128, initial: 16, collapseFactor: 4 });
    const healthy = simulate(limit, { count: 200, start: T0, latencyMs: () => 10, throughputPerMs: () => 1 });
    const before = limit.value;
    // 3x the best median latency with flat throughput: no decrease.
    const slower = simulate(limit, { count: 400, start: healthy.end + 5_000, latencyMs: () => 30, throughputPerMs: () => 1 });
    expect(Math.min(...slower.values)).toBe(before);
  });
});
