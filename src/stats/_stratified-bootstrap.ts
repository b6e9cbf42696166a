import { createRandom } from './seeded-random.js';
import type { SubsetWeighting } from './bootstrap-settings.js';
import { StatisticsInputError } from './statistics-input-error.js';
import { validateConfidence } from './_validate-options.js';

/** Per-question values of all subsets, concatenated; subset s occupies values[offsets[s] .. offsets[s + 1]). */
export interface StratifiedValues {
  values: Int8Array;
  offsets: Int32Array;
}

/** Resolved bootstrap settings, validated. */
export interface ResolvedBootstrapSettings {
  iterations: number;
  seed: number;
  confidence: number;
  weighting: SubsetWeighting;
}

/** Applies defaults and validates; the seed is checked by `createRandom`. */
export function resolveBootstrapSettings(settings: {
  iterations?: number | undefined;
  seed?: number | undefined;
  confidence?: number | undefined;
  weighting?: SubsetWeighting | undefined;
}): ResolvedBootstrapSettings {
  const { iterations = 2000, seed = 0, confidence = 0.95, weighting = 'naive' } = settings;
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new StatisticsInputError({ parameter: 'iterations', message: `must be a positive integer, got ${iterations}` });
  }
  validateConfidence(confidence);
  if (weighting !== 'naive' && weighting !== 'questions') {
    throw new StatisticsInputError({ parameter: 'weighting', message: `must be 'naive' or 'questions', got ${String(weighting)}` });
  }
  return { iterations, seed, confidence, weighting };
}

/**
 * Score = Σ_s weight[s] · (sum of subset s's values), in percent: weight = 100 / (subsets · size) for `naive` and
 * 100 / (all questions) for `questions`.
 */
export function subsetWeights(offsets: Int32Array, weighting: SubsetWeighting): Float64Array {
  const subsetCount = offsets.length - 1;
  const totalSize = offsets[subsetCount] ?? 0;
  const weights = new Float64Array(subsetCount);
  for (let subset = 0; subset < subsetCount; subset += 1) {
    const size = (offsets[subset + 1] ?? 0) - (offsets[subset] ?? 0);
    weights[subset] = weighting === 'naive' ? 100 / (subsetCount * size) : 100 / totalSize;
  }
  return weights;
}

/** The weighted score of the data as observed (no resampling). */
export function weightedScore({ values, offsets }: StratifiedValues, weights: Float64Array): number {
  let total = 0;
  for (let subset = 0; subset < weights.length; subset += 1) {
    let sum = 0;
    for (let index = offsets[subset]!; index < offsets[subset + 1]!; index += 1) sum += values[index]!;
    total += sum * weights[subset]!;
  }
  return total;
}

/**
 * Draws `iterations` stratified resamples: within each subset, `size` question indices uniformly with replacement,
 * subsets in order, all from one seeded stream. Returns the weighted score of each resample.
 */
export function resampleWeightedScores(
  { values, offsets }: StratifiedValues,
  weights: Float64Array,
  settings: { iterations: number; seed: number },
): Float64Array {
  const random = createRandom(settings.seed);
  const scores = new Float64Array(settings.iterations);
  const subsetCount = weights.length;
  for (let iteration = 0; iteration < settings.iterations; iteration += 1) {
    let total = 0;
    for (let subset = 0; subset < subsetCount; subset += 1) {
      const start = offsets[subset]!;
      const size = offsets[subset + 1]! - start;
      let sum = 0;
      for (let draw = 0; draw < size; draw += 1) sum += values[start + Math.floor(random() * size)]!;
      total += sum * weights[subset]!;
    }
    scores[iteration] = total;
  }
  return scores;
}

/**
 * The equal-tailed percentile interval of bootstrap scores: the (1 − confidence)/2 and (1 + confidence)/2 sample
 * quantiles with linear interpolation between order statistics (Hyndman–Fan type 7). Sorts `scores` in place.
 */
export function percentileInterval(scores: Float64Array, confidence: number): { lower: number; upper: number } {
  scores.sort();
  const quantile = (probability: number): number => {
    const position = (scores.length - 1) * probability;
    const below = Math.floor(position);
    const above = Math.min(below + 1, scores.length - 1);
    const lowerValue = scores[below]!;
    return lowerValue + (position - below) * (scores[above]! - lowerValue);
  };
  return { lower: quantile((1 - confidence) / 2), upper: quantile((1 + confidence) / 2) };
}

/** Throws unless there is at least one subset and every subset has at least one question. */
export function validateSubsetSizes(sizes: readonly number[]): void {
  if (sizes.length === 0) throw new StatisticsInputError({ parameter: 'subsets', message: 'must contain at least one subset' });
  sizes.forEach((size, subset) => {
    if (size === 0) throw new StatisticsInputError({ parameter: `subsets[${subset}]`, message: 'must contain at least one question' });
  });
}

/** Reads a 0/1 outcome, throwing on anything else (so NaN or 0.5 never silently skews an accuracy). */
export function readOutcome(outcomes: ArrayLike<number>, index: number, parameter: string): 0 | 1 {
  const value = outcomes[index];
  if (value !== 0 && value !== 1) {
    throw new StatisticsInputError({ parameter: `${parameter}[${index}]`, message: `must be 0 or 1, got ${String(value)}` });
  }
  return value;
}
