/**
 * Run `worker` over `items` continuously: a new item starts the moment one ends, keeping at most `capacity()`
 * running (re-read as the limit adapts). No batches wait for their slowest member, and no dataset boundary stalls
 * the stream. Stops taking new items once `signal` aborts.
 */
export async function dispatchContinuously<Item>(options: {
  /** Items, possibly produced lazily (an async iterable is pulled only as capacity frees up). */
  items: Iterable<Item> | AsyncIterable<Item>;
  capacity: () => number;
  worker: (item: Item) => Promise<void>;
  signal?: AbortSignal;
}): Promise<void> {
  const running = new Set<Promise<void>>();
  let firstError: unknown;
  const iterator = Symbol.asyncIterator in options.items ? options.items[Symbol.asyncIterator]() : undefined;
  const syncIterator = iterator ? undefined : (options.items as Iterable<Item>)[Symbol.iterator]();
  for (;;) {
    if (options.signal?.aborted || firstError !== undefined) break;
    while (running.size >= Math.max(1, options.capacity())) await Promise.race(running);
    if (options.signal?.aborted || firstError !== undefined) break;
    let next: IteratorResult<Item>;
    try {
      next = iterator ? await iterator.next() : (syncIterator as Iterator<Item>).next();
    } catch (error) {
      firstError ??= error;
      break;
    }
    if (next.done) break;
    const item = next.value;
    const task: Promise<void> = options.worker(item).then(
      () => {
        running.delete(task);
      },
      (error: unknown) => {
        running.delete(task);
        firstError ??= error;
      },
    );
    running.add(task);
  }
  await Promise.all(running);
  await iterator?.return?.();
  if (firstError !== undefined) throw firstError;
}
