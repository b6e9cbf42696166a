import { describe, expect, it } from 'vitest';
import { BackendCallError } from '../../spec/index.js';
import { SequencePool } from './sequence-pool.js';
import { commonPrefixLength } from './token-scorer.js';

interface FakeSlot {
  readonly name: string;
  tokens: number[];
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('SequencePool', () => {
  it('runs calls on one slot one at a time, in arrival order', async () => {
    const pool = new SequencePool<FakeSlot>([{ name: 'a', tokens: [] }], () => 0);
    const events: string[] = [];
    const gate = deferred();
    const first = pool.run({ work: async () => (events.push('first start'), await gate.promise, events.push('first end')) });
    const second = pool.run({ work: async () => events.push('second') });
    const third = pool.run({ work: async () => events.push('third') });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual(['first start']);
    gate.resolve();
    await Promise.all([first, second, third]);
    expect(events).toEqual(['first start', 'first end', 'second', 'third']);
  });

  it('keeps serving after a call fails', async () => {
    const pool = new SequencePool<FakeSlot>([{ name: 'a', tokens: [] }], () => 0);
    await expect(pool.run({ work: async () => Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
    await expect(pool.run({ work: async (slot) => slot.name })).resolves.toBe('a');
  });

  it('gives an idle slot whose cached tokens share the longest prefix', async () => {
    const slots: FakeSlot[] = [
      { name: 'a', tokens: [1, 5, 6] },
      { name: 'b', tokens: [1, 2, 3, 4] },
      { name: 'c', tokens: [] },
    ];
    const pool = new SequencePool(slots, (slot, tokens) => commonPrefixLength(slot.tokens, tokens));
    await expect(pool.run({ tokens: [1, 2, 3, 9], work: async (slot) => slot.name })).resolves.toBe('b');
    await expect(pool.run({ tokens: [1, 5], work: async (slot) => slot.name })).resolves.toBe('a');
  });

  it('uses every slot at once when calls pile up', async () => {
    const pool = new SequencePool<FakeSlot>(
      [
        { name: 'a', tokens: [] },
        { name: 'b', tokens: [] },
      ],
      () => 0,
    );
    let running = 0;
    let peak = 0;
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, () => pool.run({ work })));
    expect(peak).toBe(2);
  });

  it('fails a waiting call with a retryable error when its signal aborts', async () => {
    const pool = new SequencePool<FakeSlot>([{ name: 'a', tokens: [] }], () => 0);
    const gate = deferred();
    const holder = pool.run({ work: () => gate.promise });
    const controller = new AbortController();
    const waiting = pool.run({ signal: controller.signal, work: async () => 'ran' });
    controller.abort();
    const error = await waiting.catch((caught: unknown) => caught);
    expect(BackendCallError.isInstance(error) && error.isRetryable).toBe(true);
    gate.resolve();
    await holder;
    await expect(pool.run({ work: async () => 'next' })).resolves.toBe('next');
  });

  it('refuses calls after close and fails the waiting ones', async () => {
    const pool = new SequencePool<FakeSlot>([{ name: 'a', tokens: [] }], () => 0);
    const gate = deferred();
    const holder = pool.run({ work: () => gate.promise });
    const waiting = pool.run({ work: async () => 'ran' });
    pool.close('closed');
    await expect(waiting).rejects.toThrow('closed');
    await expect(pool.run({ work: async () => 'ran' })).rejects.toThrow('closed');
    gate.resolve();
    await holder;
  });
});
