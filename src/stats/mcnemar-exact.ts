import { logGamma } from './log-gamma.js';
import { validateCount } from './_validate-options.js';

/**
 * Up to 53 trials, every Pascal-triangle entry and S = Σ_{i ≤ k} C(n, i) ≤ 2^(n−1) (k < n/2) are exact doubles, so
 * the p-value S / 2^(n−1) involves no rounding at all.
 */
const exactTrialLimit = 53;

function exactSmallTwoSidedPValue(trials: number, smaller: number): number {
  const row = new Float64Array(smaller + 1);
  row[0] = 1;
  for (let rowIndex = 1; rowIndex <= trials; rowIndex += 1) {
    for (let column = Math.min(rowIndex, smaller); column > 0; column -= 1) row[column]! += row[column - 1]!;
  }
  let tailCount = 0;
  for (const binomialCoefficient of row) tailCount += binomialCoefficient;
  return tailCount / 2 ** (trials - 1);
}

/** Options for {@link mcnemarExact}: the two discordant-pair counts of a paired comparison. */
export interface McnemarExactOptions {
  /** Pairs where run A is right and run B is wrong, a non-negative integer. */
  b: number;
  /** Pairs where run A is wrong and run B is right, a non-negative integer. */
  c: number;
}

/**
 * The exact (binomial) McNemar test for paired binary outcomes. Under the null hypothesis each of the n = b + c
 * discordant pairs is equally likely to favour either run, so min(b, c) ~ Binomial(n, 1/2) and the two-sided
 * p-value is min(1, 2 · P(X ≤ min(b, c))). Concordant pairs carry no information and are not needed.
 *
 * Up to 53 discordant pairs (a C-Eval subject has at most 55 questions) the result is exact: the binomial
 * coefficients are summed as exact integers. Beyond that the terms are summed relative to the largest one, walking
 * down with term(i − 1)/term(i) = i / (n − i + 1) ≤ 1, and scaled by that term computed in log space, so no count
 * overflows; the relative error is about 1e-15 × ln(n!) from {@link logGamma} (≈1e-11 for n in the thousands).
 *
 * @returns a p-value in [0, 1]; exactly 1 when |b − c| ≤ 1 (including b + c = 0).
 * @throws {StatisticsInputError} when a count is negative or not an integer.
 */
export function mcnemarExact({ b, c }: McnemarExactOptions): number {
  validateCount(b, 'b');
  validateCount(c, 'c');
  const trials = b + c;
  const smaller = Math.min(b, c);
  // With |b − c| ≤ 1, P(X ≤ min) ≥ 1/2 by symmetry, so the doubled tail is at least 1.
  if (trials - 2 * smaller <= 1) return 1;
  if (trials <= exactTrialLimit) return exactSmallTwoSidedPValue(trials, smaller);

  // Σ_{i ≤ smaller} C(n, i) / C(n, smaller), accumulated until the terms stop mattering.
  let ratio = 1;
  let relativeSum = 1;
  for (let index = smaller; index > 0; index -= 1) {
    ratio *= index / (trials - index + 1);
    relativeSum += ratio;
    if (ratio < 1e-17 * relativeSum) break;
  }
  const logLargestTerm = logGamma(trials + 1) - logGamma(smaller + 1) - logGamma(trials - smaller + 1) - trials * Math.LN2;
  return Math.min(1, Math.exp(Math.LN2 + logLargestTerm + Math.log(relativeSum)));
}
