import { join } from 'node:path';
import {
  compareModelRunsInParallel,
  formatComparisonMarkdown,
  IntervalWorker,
  openRunInfo,
  readModelRun,
  selectComparedModels,
  type RunComparison,
} from '../compare/index.js';
import { ConfigError } from '../spec/index.js';
import { formatJsonFile, writeFileAtomic } from '../utils/index.js';

export { formatComparisonMarkdown, formatComparisonText, type FormatComparisonTextOptions } from '../compare/index.js';
export type * from '../compare/run-comparison.js';
export type { ConfigDifference, ConfigDifferenceKind, PairingSummary, PromptVersionMismatch } from '../compare/index.js';

/** Options for {@link compareRuns}. */
export interface CompareRunsOptions {
  /** Run A (the baseline): a run folder, or a work dir (its newest run). */
  a: string;
  /** Run B (the candidate). Omitted: compare two models of run A, named by `models`. */
  b?: string;
  /**
   * Model abbrs. Two runs: none (each run holds one model), one (the same abbr in both) or two (A's, then B's).
   * One run: exactly two.
   */
  models?: readonly string[];
  /** Family-wise significance level of the Holm-adjusted per-dataset McNemar tests. @default 0.05 */
  alpha?: number;
  /** Bootstrap resamples per interval. @default 2000 */
  iterations?: number;
  /** Bootstrap seed, an integer in [0, 2^32 − 1]. @default 0 */
  seed?: number;
  /** Points ≥ 0: report in `gate` whether B is significantly worse than A by more than this anywhere. */
  failIfWorse?: number;
  /** When set, `compare.md` and `compare.json` are written to this folder (created if needed). */
  outDir?: string;
}

/**
 * `sextant compare`: a paired comparison of run B against run A (or of two models of one run), sample by sample.
 * Samples pair by (dataset, index) under the same prompt version. Per dataset: both accuracies, B − A in points
 * with a seeded paired-bootstrap interval, the exact McNemar test on the discordant pairs with Holm's correction
 * across datasets, and a verdict; per summary group (naive mean, as OpenCompass) the same with the interval
 * deciding. Reports first what changed besides the deployment (prompt versions, rendered prompts, templates,
 * generation parameters), then backend agreement and every discordant sample.
 *
 * @throws {ConfigError} when a path is not a run folder (the message names it), a model is missing or ambiguous, or
 *   a setting is invalid.
 */
export async function compareRuns(options: CompareRunsOptions): Promise<RunComparison> {
  if (options.failIfWorse !== undefined && !(options.failIfWorse >= 0)) {
    throw new ConfigError({ field: '--fail-if-worse', message: `expected points ≥ 0, got ${options.failIfWorse}` });
  }
  if (options.alpha !== undefined && !(options.alpha > 0 && options.alpha < 1)) {
    throw new ConfigError({ field: '--alpha', message: `expected a level between 0 and 1, got ${options.alpha}` });
  }
  if (options.seed !== undefined && !(Number.isInteger(options.seed) && options.seed >= 0 && options.seed <= 0xffffffff)) {
    throw new ConfigError({ field: '--seed', message: `expected an integer from 0 to 4294967295, got ${options.seed}` });
  }
  if (options.iterations !== undefined && !(Number.isSafeInteger(options.iterations) && options.iterations > 0)) {
    throw new ConfigError({ field: '--iterations', message: `expected a whole number above 0, got ${options.iterations}` });
  }
  // The bootstrap thread loads while the runs are read.
  const worker = IntervalWorker.start();
  try {
    const [infoA, infoB] = await Promise.all([
      openRunInfo({ path: options.a, argument: options.b === undefined ? 'RUN' : 'A' }),
      options.b === undefined ? undefined : openRunInfo({ path: options.b, argument: 'B' }),
    ]);
    const models = selectComparedModels({ a: infoA, ...(infoB ? { b: infoB } : {}), ...(options.models ? { models: options.models } : {}) });
    const [a, b] = await Promise.all([readModelRun({ info: infoA, model: models.a }), readModelRun({ info: infoB ?? infoA, model: models.b })]);
    const comparison = await compareModelRunsInParallel({
      a,
      b,
      worker,
      ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
      ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.failIfWorse !== undefined ? { failIfWorse: options.failIfWorse } : {}),
    });
    if (options.outDir !== undefined) await writeComparisonFiles({ comparison, outDir: options.outDir });
    return comparison;
  } finally {
    await worker.close();
  }
}

/** Writes `compare.md` and `compare.json` into `outDir` (atomically); returns their paths. */
export async function writeComparisonFiles(options: { comparison: RunComparison; outDir: string }): Promise<{ markdown: string; json: string }> {
  const markdown = join(options.outDir, 'compare.md');
  const json = join(options.outDir, 'compare.json');
  await Promise.all([
    writeFileAtomic(markdown, formatComparisonMarkdown(options.comparison)),
    writeFileAtomic(json, formatJsonFile(options.comparison)),
  ]);
  return { markdown, json };
}
