import type { BootstrapSettings } from './bootstrap-settings.js';
import { StatisticsInputError } from './statistics-input-error.js';
import {
  percentileInterval,
  readOutcome,
  resampleWeightedScores,
  resolveBootstrapSettings,
  subsetWeights,
  validateSubsetSizes,
  weightedScore,
  type StratifiedValues,
} from './_stratified-bootstrap.js';

/** One subset of two paired runs: `a[i]` and `b[i]` are the 0/1 outcomes (1 = correct) of the same question. */
export interface PairedOutcomeSubset {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
}

/** Options for {@link pairedBootstrapDifference}. */
export interface PairedBootstrapDifferenceOptions extends BootstrapSettings {
  /** Subsets (e.g. C-Eval subjects), each with a and b of equal, non-zero length. Order is part of the seeded result. */
  subsets: readonly PairedOutcomeSubset[];
}

/** Score of run B minus score of run A with its bootstrap confidence interval, all in percentage points. */
export interface PairedDifferenceInterval {
  /** The observed B − A difference of the group scores. */
  difference: number;
  lower: number;
  upper: number;
}

/**
 * A paired, stratified bootstrap confidence interval for the difference between two runs over the same questions
 * (e.g. one model served by two backends), matched by (subset, question index). Each resample draws question indices
 * with replacement within every subset and uses the same index for both runs, so the per-question correlation
 * between the runs is kept and the interval is much narrower than comparing two independent intervals.
 *
 * Scores are combined by `weighting` exactly as in {@link bootstrapGroupMean}. Identical runs give exactly
 * `{ difference: 0, lower: 0, upper: 0 }`. Pure and deterministic for a given seed; O(iterations × questions).
 *
 * @throws {StatisticsInputError} for an empty group or subset, a and b of different lengths, an outcome other than
 *   0 or 1, or invalid settings.
 */
export function pairedBootstrapDifference(options: PairedBootstrapDifferenceOptions): PairedDifferenceInterval {
  const settings = resolveBootstrapSettings(options);
  const data = packDifferences(options.subsets);
  const weights = subsetWeights(data.offsets, settings.weighting);
  const scores = resampleWeightedScores(data, weights, settings);
  return { difference: weightedScore(data, weights), ...percentileInterval(scores, settings.confidence) };
}

/** Stores b[i] − a[i] ∈ {−1, 0, 1} per question: the difference of the scores is the score of the differences. */
function packDifferences(subsets: readonly PairedOutcomeSubset[]): StratifiedValues {
  subsets.forEach(({ a, b }, subset) => {
    if (a.length !== b.length) {
      throw new StatisticsInputError({ parameter: `subsets[${subset}]`, message: `a has ${a.length} outcomes but b has ${b.length}` });
    }
  });
  validateSubsetSizes(subsets.map((subset) => subset.a.length));
  const offsets = new Int32Array(subsets.length + 1);
  subsets.forEach((subset, index) => {
    offsets[index + 1] = offsets[index]! + subset.a.length;
  });
  const values = new Int8Array(offsets[subsets.length]!);
  subsets.forEach(({ a, b }, subset) => {
    const start = offsets[subset]!;
    for (let index = 0; index < a.length; index += 1) {
      values[start + index] = readOutcome(b, index, `subsets[${subset}].b`) - readOutcome(a, index, `subsets[${subset}].a`);
    }
  });
  return { values, offsets };
}
