import { DataError, EvalError, type DatasetTask } from '../spec/index.js';

export interface CheckDatasetRowsOptions {
  readonly tasks: readonly DatasetTask[];
  readonly dataRoot: string;
  readonly limit?: number;
  /** Yield to the event loop before each dataset, so that a check running in the background lets requests go out. */
  readonly yieldEach?: boolean;
  /** Called once, as soon as the first bad dataset is found (the other datasets are still checked, to list them all). */
  readonly onProblem?: () => void;
  /**
   * What was requested before the check ended, for the message: nothing (the default; the check ran before any
   * request), or the samples of this dataset (the check ran in the background while it was being sent).
   */
  readonly sentDataset?: string;
}

/**
 * Read every dataset's rows, so that a bad row fails the run naming its file and line. Each loader validates all
 * its rows before it applies `limit`, so asking for one sample checks every row while rendering a single prompt
 * (which also proves the dataset's templates render); nothing is kept. Every dataset with a bad row is reported in
 * one {@link DataError} (a loader stops at its first bad row).
 */
export async function checkDatasetRows(options: CheckDatasetRowsOptions): Promise<void> {
  const limit = Math.min(1, options.limit ?? 1);
  const problems = new Map<string, DataError>();
  for (const task of options.tasks) {
    if (options.yieldEach) await new Promise<void>((resolve) => setImmediate(resolve));
    await task.loadSamples({ dataRoot: options.dataRoot, limit }).catch((error: unknown) => {
      if (!DataError.isInstance(error) && !EvalError.isInstance(error)) throw error;
      if (problems.size === 0) options.onProblem?.();
      // Datasets that share a file (few-shot dev rows) give the same message once.
      if (!problems.has(error.message)) problems.set(error.message, error as DataError);
    });
  }
  const found = [...problems.values()];
  if (found.length === 0) return;
  if (found.length === 1) throw found[0];
  const first = found[0] as DataError;
  const sent = options.sentDataset === undefined ? 'nothing was requested' : `nothing was requested beyond ${options.sentDataset}, the first dataset`;
  throw new DataError({
    path: 'path' in first ? first.path : options.dataRoot,
    message: `${found.length} datasets have rows that cannot be used; ${sent}:\n  - ${found.map((error) => error.message).join('\n  - ')}`,
    cause: first,
  });
}

/** A row check of a run's datasets that does not delay its first request: see {@link checkRowsWhileSending}. */
export interface BackgroundRowCheck {
  /** Aborted as soon as a bad row is found in a dataset after the first: dispatch stops at once. */
  readonly signal: AbortSignal;
  /** Settles when every dataset has been checked: rejects with the message that lists every bad dataset. */
  readonly done: Promise<void>;
}

/**
 * Check the first dataset's rows now (so a bad row in it fails the run before any request; then every dataset is
 * checked, to list them all), and the other datasets' rows in the background, one at a time with the event loop
 * free between them, while the first dataset is being sent. The caller gates every dataset after the first on
 * `done` (so requests beyond the first dataset wait for the whole check) and passes `signal` to the dispatch.
 */
export async function checkRowsWhileSending(options: Omit<CheckDatasetRowsOptions, 'yieldEach' | 'onProblem' | 'sentDataset'>): Promise<BackgroundRowCheck> {
  const [first, ...rest] = options.tasks;
  const controller = new AbortController();
  if (!first) return { signal: controller.signal, done: Promise.resolve() };
  await checkDatasetRows({ ...options, tasks: [first] }).catch(async (error: unknown) => {
    await checkDatasetRows(options);
    throw error;
  });
  const done = checkDatasetRows({
    ...options,
    tasks: rest,
    yieldEach: true,
    onProblem: () => controller.abort(),
    sentDataset: first.abbr,
  }).catch((error: unknown) => {
    controller.abort();
    throw error;
  });
  // Observed by the caller when it awaits `done`; never an unhandled rejection in between.
  done.catch(() => undefined);
  return { signal: controller.signal, done };
}
