/**
 * Run `worker` over `items` with at most `concurrency` calls in flight, continuously: a slot is refilled the moment
 * a call ends (no batches waiting for their slowest member). Stops taking new items once `signal` aborts.
 */
export async function runPool<Item>(options: {
  items: Iterable<Item>;
  concurrency: number;
  worker: (item: Item) => Promise<void>;
  signal?: AbortSignal;
}): Promise<void> {
  const iterator = options.items[Symbol.iterator]();
  const next = (): IteratorResult<Item> => (options.signal?.aborted ? { done: true, value: undefined } : iterator.next());
  const lanes = Array.from({ length: Math.max(1, options.concurrency) }, async () => {
    for (let entry = next(); !entry.done; entry = next()) await options.worker(entry.value);
  });
  await Promise.all(lanes);
}
