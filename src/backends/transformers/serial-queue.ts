/**
 * Runs async tasks one at a time, in the order they were queued. An in-process model evaluates one call at a time;
 * concurrent calls from the runner wait here instead of interleaving on the ONNX session.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queue `task`; resolves or rejects as `task` does. A failed task does not stop the ones after it. */
  run<Result>(task: () => Promise<Result>): Promise<Result> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
