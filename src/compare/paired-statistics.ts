import { holmCorrection, mcnemarExact, newcombePairedInterval, signFlipTest, type SignFlipMethod } from '../stats/index.js';
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
 * A group's statistics over its subsets' paired counts. Scores: the naive mean of subset accuracies (OpenCompass's
 * `naive_average`) or accuracy over all pairs (`weighted_average`). Interval: Newcombe's paired score interval on the
 * subsets pooled into one weighted table (each pair weighs as in the score: 1/(K·n_k) for naive) with Kish's
 * effective sample size (Σw)²/Σw² as n, so subsets of one question never give a zero-width interval. Test: for
 * `naive_average` the stratified sign-flip test of the naive difference (exact under "the two runs are exchangeable on
 * every question"; seeded Monte Carlo only when the null distribution is too large to enumerate), for
 * `weighted_average` the exact McNemar test of the pooled counts. No multiplicity correction across groups: each
 * group row answers its own question. O(subsets) plus the sign flips, if any.
 */
export function groupStatistics(subsets: readonly PairedCounts[], metric: 'naive_average' | 'weighted_average', settings: ComparisonSettings): GroupStatistics {
  const samples = subsets.reduce((total, counts) => total + counts.samples, 0);
  const naive = metric === 'naive_average';
  const weighted = (count: (counts: PairedCounts) => number) =>
    naive
      ? subsets.reduce((total, counts) => total + count(counts) / counts.samples, 0) / subsets.length
      : subsets.reduce((total, counts) => total + count(counts), 0) / samples;
  // Kish's (Σw)²/Σw² with Σw = 1: K²/Σ(1/n_k) for the naive mean of K subsets, the pair count per question.
  const effectiveSamples = naive ? subsets.length ** 2 / subsets.reduce((total, counts) => total + 1 / counts.samples, 0) : samples;
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
  const test = naive
    ? signFlipTest({ strata: subsets.map((counts) => ({ size: counts.samples, b: counts.b, c: counts.c })), draws: settings.draws, seed: settings.seed })
    : undefined;
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

/** The 2×2 table with B as the first outcome, so Newcombe's first − second is B − A. */
function pairedTable(counts: PairedCounts) {
  return { both: counts.both, onlyFirst: counts.c, onlySecond: counts.b, neither: counts.samples - counts.both - counts.b - counts.c };
}
