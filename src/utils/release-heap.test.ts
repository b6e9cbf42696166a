import { describe, expect, it } from 'vitest';
import { enableHeapRelease, releaseHeap } from './release-heap.js';

describe('releaseHeap', () => {
  it('is a no-op until enabled; once enabled it runs a full collection (an unreachable object is gone)', async () => {
    expect(() => releaseHeap()).not.toThrow();
    enableHeapRelease();
    enableHeapRelease();
    // Nothing but the WeakRef refers to the object once this returns.
    const ref = new WeakRef({ payload: Array.from({ length: 1000 }, (_, index) => index) });
    // A WeakRef's target stays alive until the current job ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    releaseHeap();
    expect(ref.deref()).toBeUndefined();
  });
});
