import { join } from 'node:path';
import { compareModelRuns, formatComparisonMarkdown, openRunInfo, readModelRun, selectComparedModels, type RunComparison } from '../compare/index.js';
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
  /** Significance level: of each group's test, and family-wise (Holm) over the per-dataset McNemar tests. @default 0.05 */
  alpha?: number;
  /** Monte Carlo sign flips of a naive-average group test too large to enumerate. @default 10000 */
  draws?: number;
  /** Seed of those sign flips, an integer in [0, 2^32 − 1]. @default 0 */
  seed?: number;
  /** Points ≥ 0: report in `gate` whether B is significantly worse than A by more than this anywhere. */
  failIfWorse?: number;
  /** When set, `compare.md` and `compare.json` are written to this folder (created if needed). */
  outDir?: string;
}

/**
 * `sextant compare`: a paired comparison of run B against run A (or of two models of one run), sample by sample,
 * with {@link compareModelRuns} (the viewer's compare page uses the same function). Samples pair by (dataset, index)
 * under the same prompt version and rendered prompt; unpaired and excluded samples are counted first. Per dataset:
 * both accuracies on the paired samples (and each run's own full score), B − A with Newcombe's paired score interval,
 * the exact McNemar test with Holm's correction across datasets; per summary group the same with a pooled Newcombe
 * interval and a stratified sign-flip test. A verdict needs the test to reject and the interval to exclude 0, and
 * enough pairs for significance to be possible at all. Reports first what changed besides the deployment.
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
  if (options.draws !== undefined && !(Number.isSafeInteger(options.draws) && options.draws > 0)) {
    throw new ConfigError({ field: '--draws', message: `expected a whole number above 0, got ${options.draws}` });
  }
  const [infoA, infoB] = await Promise.all([
    openRunInfo({ path: options.a, argument: options.b === undefined ? 'RUN' : 'A' }),
    options.b === undefined ? undefined : openRunInfo({ path: options.b, argument: 'B' }),
  ]);
  const models = selectComparedModels({ a: infoA, ...(infoB ? { b: infoB } : {}), ...(options.models ? { models: options.models } : {}) });
  const [a, b] = await Promise.all([readModelRun({ info: infoA, model: models.a }), readModelRun({ info: infoB ?? infoA, model: models.b })]);
  const comparison = compareModelRuns({
    a,
    b,
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.draws !== undefined ? { draws: options.draws } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.failIfWorse !== undefined ? { failIfWorse: options.failIfWorse } : {}),
  });
  if (options.outDir !== undefined) await writeComparisonFiles({ comparison, outDir: options.outDir });
  return comparison;
}

/** Writes `compare.md` and `compare.json` into `outDir` (atomically); returns their paths. */
export async function writeComparisonFiles(options: { comparison: RunComparison; outDir: string }): Promise<{ markdown: string; json: string }> {
  const markdown = join(options.outDir, 'compare.md');
  const json = join(options.outDir, 'compare.json');
  await Promise.all([writeFileAtomic(markdown, formatComparisonMarkdown(options.comparison)), writeFileAtomic(json, formatJsonFile(options.comparison))]);
  return { markdown, json };
}
