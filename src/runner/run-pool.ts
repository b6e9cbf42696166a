/**
 * Run `worker` over `items` continuously: a new item starts the moment one ends, keeping at most `capacity()`
 * running (re-read as the limit adapts). No batches wait for their slowest member, and no dataset boundary stalls
 * the stream. Stops taking new items once `signal` aborts.
 */
export async function dispatchContinuously<Item>(options: {
  items: Iterable<Item>;
  capacity: () => number;
  worker: (item: Item) => Promise<void>;
  signal?: AbortSignal;
}): Promise<void> {
  const running = new Set<Promise<void>>();
  let firstError: unknown;
  for (const item of options.items) {
    if (options.signal?.aborted || firstError !== undefined) break;
    while (running.size >= Math.max(1, options.capacity())) await Promise.race(running);
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
  if (firstError !== undefined) throw firstError;
}
