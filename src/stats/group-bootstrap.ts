import type { BootstrapSettings } from './bootstrap-settings.js';
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

/** One subset (e.g. a C-Eval subject) of a group: a 0/1 outcome per question (1 = correct). */
export interface OutcomeSubset {
  outcomes: ArrayLike<number>;
}

/** Options for {@link bootstrapGroupMean}. */
export interface BootstrapGroupMeanOptions extends BootstrapSettings {
  /** The group's subsets, each with at least one question. Their order is part of the seeded result. */
  subsets: readonly OutcomeSubset[];
}

/** A group score with its bootstrap confidence interval, all in percent (0–100). */
export interface GroupMeanInterval {
  /** The observed score: mean of subset accuracies (`naive`) or overall accuracy (`questions`). */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * A stratified bootstrap confidence interval for a group score such as a C-Eval group average. Each resample draws,
 * independently within every subset, as many questions as it has (with replacement), recomputes each subset's
 * accuracy 100 × correct / n, and combines them by `weighting`; the interval is the percentile interval of the
 * resampled scores. Subset sizes stay fixed, as in the real benchmark.
 *
 * Pure and deterministic for a given seed. Cost is O(iterations × questions) with no per-iteration allocation.
 *
 * @throws {StatisticsInputError} for an empty group or subset, an outcome other than 0 or 1, or invalid settings.
 */
export function bootstrapGroupMean(options: BootstrapGroupMeanOptions): GroupMeanInterval {
  const settings = resolveBootstrapSettings(options);
  const data = packOutcomes(options.subsets);
  const weights = subsetWeights(data.offsets, settings.weighting);
  const scores = resampleWeightedScores(data, weights, settings);
  return { estimate: weightedScore(data, weights), ...percentileInterval(scores, settings.confidence) };
}

function packOutcomes(subsets: readonly OutcomeSubset[]): StratifiedValues {
  validateSubsetSizes(subsets.map((subset) => subset.outcomes.length));
  const offsets = new Int32Array(subsets.length + 1);
  subsets.forEach((subset, index) => {
    offsets[index + 1] = offsets[index]! + subset.outcomes.length;
  });
  const values = new Int8Array(offsets[subsets.length]!);
  subsets.forEach(({ outcomes }, subset) => {
    const start = offsets[subset]!;
    for (let index = 0; index < outcomes.length; index += 1) {
      values[start + index] = readOutcome(outcomes, index, `subsets[${subset}].outcomes`);
    }
  });
  return { values, offsets };
}
