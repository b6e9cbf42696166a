import { holmCorrection, mcnemarExact, newcombePairedInterval, signFlipTest, StatisticsInputError, type SignFlipMethod } from '../stats/index.js';
import { comparisonVerdict } from './comparison-verdict.js';
import type { ComparisonSettings, ComparisonTestMethod, ComparisonVerdict } from './run-comparison.js';

/** The paired 2×2 counts of one dataset: all a comparison's statistics are functions of these. */
export interface PairedCounts {
  /** Paired samples (> 0). */
  readonly samples: number;
  /** Pairs both runs got right. */
  readonly both: number;
  /** A right, B wrong. */
  readonly b: number;
  /** B right, A wrong. */
  readonly c: number;
}

/** The statistics of one row, in points (B − A). */
export interface RowStatistics {
  readonly accuracyA: number;
  readonly accuracyB: number;
  readonly difference: number;
  readonly lower: number;
  readonly upper: number;
  readonly pValue: number;
  readonly testMethod: ComparisonTestMethod;
  readonly verdict: ComparisonVerdict;
}

/** A dataset row's statistics: {@link RowStatistics} plus the Holm-adjusted p-value its verdict uses. */
export interface DatasetStatistics extends RowStatistics {
  readonly adjustedPValue: number;
}

/** A group row's statistics, with Kish's effective sample size of its pooled interval. */
export interface GroupStatistics extends RowStatistics {
  readonly effectiveSamples: number;
}

/**
 * Per-dataset statistics of a comparison: Newcombe's paired score interval of B − A, the exact McNemar test, Holm's
 * correction across all the given datasets, and the verdict (on the adjusted p-value). Pure; O(datasets).
 */
export function datasetStatistics(datasets: readonly PairedCounts[], settings: ComparisonSettings): DatasetStatistics[] {
  const pValues = datasets.map((counts) => mcnemarExact({ b: counts.b, c: counts.c }));
  const adjusted = holmCorrection(pValues);
  return datasets.map((counts, position) => {
    const interval = newcombePairedInterval({ table: pairedTable(counts), confidence: settings.confidence });
    const pValue = pValues[position]!;
    const adjustedPValue = adjusted[position]!;
    const scores = {
      accuracyA: (100 * (counts.both + counts.b)) / counts.samples,
      accuracyB: (100 * (counts.both + counts.c)) / counts.samples,
      difference: (100 * (counts.c - counts.b)) / counts.samples,
      lower: 100 * interval.lower,
      upper: 100 * interval.upper,
    };
    const verdict = comparisonVerdict({
      samples: counts.samples,
      minimumPairs: settings.minimumPairs,
      pValue: adjustedPValue,
      alpha: settings.alpha,
      ...scores,
    });
    return { ...scores, pValue, adjustedPValue, testMethod: 'mcnemar-exact', verdict };
  });
}

const signFlipMethods: Record<SignFlipMethod, ComparisonTestMethod> = {
  'exact-mcnemar': 'sign-flip-mcnemar',
  'exact-enumeration': 'sign-flip-exact',
  'monte-carlo': 'sign-flip-monte-carlo',
};

/**
 * How a group's subsets combine into its score: `naive_average` without weights is the mean of subset accuracies
 * (OpenCompass's naive groups); `weighted_average` without weights is accuracy over all pairs (sextant's
 * question-weighted rows); `weighted_average` with `weights` (one per subset, in order, ≥ 0, not all 0) is OpenCompass's
 * `weights` group (`mmlu-weighted`): Σ w_k·accuracy_k / Σ w_k.
 */
export interface GroupWeighting {
  readonly metric: 'naive_average' | 'weighted_average';
  readonly weights?: readonly number[];
}

/**
 * A group's statistics over its subsets' paired counts. Each subset k has a share ω_k of the score (1/K for naive,
 * n_k/N per question, w_k/Σw for OpenCompass's weights) and each of its pairs weighs ω_k/n_k. Score: Σ ω_k·accuracy_k
 * over the paired samples. Interval: Newcombe's paired score interval on the subsets pooled into one table weighted
 * so, with Kish's effective sample size 1/Σ(ω_k²/n_k) as n (K²/Σ(1/n_k) for naive, the pair count per question), so
 * subsets of one question never give a zero-width interval. Test: the stratified sign-flip test of the weighted
 * difference (exact under "the two runs are exchangeable on every question"; seeded Monte Carlo only when the null
 * distribution is too large to enumerate); where every pair weighs the same (a question-weighted mean, or weights
 * equal to the subsets' sizes as in a full `mmlu-weighted` run) it is the exact McNemar test of the pooled counts, the
 * per-sample paired test over the pooled questions. No multiplicity correction across groups: each group row answers
 * its own question. O(subsets) plus the sign flips, if any.
 *
 * @throws {StatisticsInputError} when `weights` does not give one non-negative weight per subset, not all 0.
 */
export function groupStatistics(subsets: readonly PairedCounts[], weighting: GroupWeighting, settings: ComparisonSettings): GroupStatistics {
  const samples = subsets.reduce((total, counts) => total + counts.samples, 0);
  const shares = subsetShares(subsets, weighting);
  const naive = weighting.metric === 'naive_average' && weighting.weights === undefined;
  const perQuestion = weighting.metric === 'weighted_average' && weighting.weights === undefined;
  // Naive and per-question scores as sums of counts (exact in floating point for identical runs), weights as shares.
  const weighted = (count: (counts: PairedCounts) => number) =>
    naive
      ? subsets.reduce((total, counts) => total + count(counts) / counts.samples, 0) / subsets.length
      : perQuestion
        ? subsets.reduce((total, counts) => total + count(counts), 0) / samples
        : subsets.reduce((total, counts, index) => total + (shares[index]! * count(counts)) / counts.samples, 0);
  // Kish's 1/Σ(ω_k²/n_k): K²/Σ(1/n_k) for the naive mean of K subsets, the pair count per question.
  const effectiveSamples = naive
    ? subsets.length ** 2 / subsets.reduce((total, counts) => total + 1 / counts.samples, 0)
    : perQuestion
      ? samples
      : 1 / subsets.reduce((total, counts, index) => total + shares[index]! ** 2 / counts.samples, 0);
  const both = weighted((counts) => counts.both);
  const onlyB = weighted((counts) => counts.c);
  const onlyA = weighted((counts) => counts.b);
  const interval = newcombePairedInterval({
    table: {
      both: both * effectiveSamples,
      onlyFirst: onlyB * effectiveSamples,
      onlySecond: onlyA * effectiveSamples,
      neither: Math.max(0, 1 - both - onlyA - onlyB) * effectiveSamples,
    },
    confidence: settings.confidence,
  });
  const b = subsets.reduce((total, counts) => total + counts.b, 0);
  const c = subsets.reduce((total, counts) => total + counts.c, 0);
  // Subsets with weight 0 do not move the score, so they take no part in the test either.
  const strata = subsets.flatMap((counts, index) =>
    shares[index]! > 0 ? [{ size: counts.samples, b: counts.b, c: counts.c, weight: shares[index]! / counts.samples }] : [],
  );
  const test = perQuestion ? undefined : signFlipTest({ strata, draws: settings.draws, seed: settings.seed });
  const pValue = test ? test.pValue : mcnemarExact({ b, c });
  const scores = {
    accuracyA: 100 * weighted((counts) => counts.both + counts.b),
    accuracyB: 100 * weighted((counts) => counts.both + counts.c),
    // From the discordant counts directly (not B − A of two rounded sums), so identical runs give exactly 0.
    difference: 100 * weighted((counts) => counts.c - counts.b),
    lower: 100 * interval.lower,
    upper: 100 * interval.upper,
  };
  const verdict = comparisonVerdict({ samples, minimumPairs: settings.minimumPairs, pValue, alpha: settings.alpha, ...scores });
  return { ...scores, pValue, testMethod: test ? signFlipMethods[test.method] : 'mcnemar-exact', verdict, effectiveSamples };
}

/** Each subset's share ω_k of the group score (they sum to 1). */
function subsetShares(subsets: readonly PairedCounts[], weighting: GroupWeighting): number[] {
  const { weights } = weighting;
  if (weights !== undefined) {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    if (weights.length !== subsets.length || weights.some((weight) => !(Number.isFinite(weight) && weight >= 0)) || !(total > 0)) {
      throw new StatisticsInputError({
        parameter: 'weights',
        message: `must be one finite weight ≥ 0 per subset (${subsets.length}), not all 0, got [${weights.join(', ')}]`,
      });
    }
    return weights.map((weight) => weight / total);
  }
  if (weighting.metric === 'naive_average') return subsets.map(() => 1 / subsets.length);
  const samples = subsets.reduce((total, counts) => total + counts.samples, 0);
  return subsets.map((counts) => counts.samples / samples);
}

/** The 2×2 table with B as the first outcome, so Newcombe's first − second is B − A. */
function pairedTable(counts: PairedCounts) {
  return { both: counts.both, onlyFirst: counts.c, onlySecond: counts.b, neither: counts.samples - counts.both - counts.b - counts.c };
}
