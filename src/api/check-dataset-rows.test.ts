import { describe, expect, it } from 'vitest';
import { DataError, type DatasetTask, type TaskSample } from '../spec/index.js';
import { checkDatasetRows, checkRowsWhileSending } from './check-dataset-rows.js';

/** A dataset whose loader records the limit it was asked for and fails with `problem` when given one. */
function dataset(abbr: string, problem?: string): DatasetTask & { limits: Array<number | undefined> } {
  const limits: Array<number | undefined> = [];
  return {
    abbr,
    limits,
    async loadSamples({ limit }: { limit?: number }): Promise<TaskSample[]> {
      limits.push(limit);
      if (problem) throw new DataError({ path: `/data/${abbr}.csv`, message: problem });
      return [];
    },
  } as unknown as DatasetTask & { limits: Array<number | undefined> };
}

describe('checkDatasetRows', () => {
  it('asks every loader for one sample (every row validated, one prompt rendered) and passes when none fails', async () => {
    const tasks = [dataset('a'), dataset('b')];
    await checkDatasetRows({ tasks, dataRoot: '/data' });
    expect(tasks.map((task) => task.limits)).toEqual([[1], [1]]);
  });

  it('reports every dataset with a bad row in one DataError, a shared file once; a single problem keeps its own message', async () => {
    const shared = '/data/dev.csv:3: expected 6 columns';
    const tasks = [dataset('a', '/data/a.csv:7: field answer must be one of A, B'), dataset('b', shared), dataset('c'), dataset('d', shared)];
    const error = await checkDatasetRows({ tasks, dataRoot: '/data' }).catch((caught: unknown) => caught);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toBe(
      `2 datasets have rows that cannot be used; nothing was requested:\n  - /data/a.csv:7: field answer must be one of A, B\n  - ${shared}`,
    );
    // Every loader ran, also after the first failure.
    expect(tasks.map((task) => task.limits.length)).toEqual([1, 1, 1, 1]);
    await expect(checkDatasetRows({ tasks: [dataset('x', shared)], dataRoot: '/data' })).rejects.toThrow(/^\/data\/dev\.csv:3: expected 6 columns$/);
  });

  it('keeps a run limit of 0 (nothing rendered) and does not swallow errors that are not data errors', async () => {
    const task = dataset('a');
    await checkDatasetRows({ tasks: [task], dataRoot: '/data', limit: 0 });
    expect(task.limits).toEqual([0]);
    const broken = { abbr: 'z', loadSamples: async () => Promise.reject(new TypeError('bug')) } as unknown as DatasetTask;
    await expect(checkDatasetRows({ tasks: [broken], dataRoot: '/data' })).rejects.toThrow(TypeError);
  });
});

describe('checkRowsWhileSending', () => {
  it('checks the first dataset before it returns and the others in the background; a bad later row aborts and lists every bad one', async () => {
    const tasks = [dataset('a'), dataset('b', '/data/b.csv:2: bad'), dataset('c'), dataset('d', '/data/d.csv:9: bad')];
    const check = await checkRowsWhileSending({ tasks, dataRoot: '/data' });
    // Only the first dataset was read before the caller may send; the rest waits for the event loop.
    expect(tasks.map((task) => task.limits.length)).toEqual([1, 0, 0, 0]);
    expect(check.signal.aborted).toBe(false);
    const error = await check.done.catch((caught: unknown) => caught);
    expect(check.signal.aborted).toBe(true);
    expect((error as DataError).message).toBe(
      '2 datasets have rows that cannot be used; nothing was requested beyond a, the first dataset:\n  - /data/b.csv:2: bad\n  - /data/d.csv:9: bad',
    );
    expect(tasks.map((task) => task.limits.length)).toEqual([1, 1, 1, 1]);
  });

  it('a bad first dataset fails before any request, with every bad dataset listed; good rows leave the signal alone', async () => {
    const tasks = [dataset('a', '/data/a.csv:2: bad'), dataset('b'), dataset('c', '/data/c.csv:4: bad')];
    await expect(checkRowsWhileSending({ tasks, dataRoot: '/data' })).rejects.toThrow(
      '2 datasets have rows that cannot be used; nothing was requested:\n  - /data/a.csv:2: bad\n  - /data/c.csv:4: bad',
    );
    const good = await checkRowsWhileSending({ tasks: [dataset('x'), dataset('y')], dataRoot: '/data' });
    await good.done;
    expect(good.signal.aborted).toBe(false);
  });
});
