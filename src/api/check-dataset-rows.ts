import { DataError, EvalError, type DatasetTask } from '../spec/index.js';

/**
 * Read every dataset's rows before any request, so that a bad row fails the run naming its file and line with
 * nothing sent. Each loader validates all its rows before it applies `limit`, so asking for one sample checks every
 * row while rendering a single prompt (which also proves the dataset's templates render); nothing is kept. Every
 * dataset with a bad row is reported in one {@link DataError} (a loader stops at its first bad row).
 */
export async function checkDatasetRows(options: { tasks: readonly DatasetTask[]; dataRoot: string; limit?: number }): Promise<void> {
  const limit = Math.min(1, options.limit ?? 1);
  const problems = new Map<string, DataError>();
  for (const task of options.tasks) {
    await task.loadSamples({ dataRoot: options.dataRoot, limit }).catch((error: unknown) => {
      if (!DataError.isInstance(error) && !EvalError.isInstance(error)) throw error;
      // Datasets that share a file (few-shot dev rows) give the same message once.
      if (!problems.has(error.message)) problems.set(error.message, error as DataError);
    });
  }
  const found = [...problems.values()];
  if (found.length === 0) return;
  if (found.length === 1) throw found[0];
  const first = found[0] as DataError;
  throw new DataError({
    path: 'path' in first ? first.path : options.dataRoot,
    message: `${found.length} datasets have rows that cannot be used; nothing was requested:\n  - ${found.map((error) => error.message).join('\n  - ')}`,
    cause: first,
  });
}
