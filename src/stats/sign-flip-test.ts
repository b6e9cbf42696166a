import { logGamma } from './log-gamma.js';
import { mcnemarExact } from './mcnemar-exact.js';
import { createRandom } from './seeded-random.js';
import { StatisticsInputError } from './statistics-input-error.js';
import { validateCount } from './_validate-options.js';

/** One stratum (e.g. a C-Eval subject) of a paired comparison: its pair count and discordant pairs. */
export interface SignFlipStratum {
  /** Paired items in the stratum (> 0); the stratum's pairs weigh 1/size, as in a mean of subject accuracies. */
  size: number;
  /** Pairs where only the first run is right. */
  b: number;
  /** Pairs where only the second run is right. */
  c: number;
  /**
   * Each pair's weight in the statistic (> 0), for a weighted mean of stratum scores (OpenCompass's `weights` groups:
   * weight_k / (Σ weights × size_k)). @default 1 / size (a mean of stratum accuracies)
   */
  weight?: number;
}

/** Options for {@link signFlipTest}. */
export interface SignFlipTestOptions {
  strata: readonly SignFlipStratum[];
  /** Monte Carlo draws when the null distribution is too large to enumerate. @default 10000 */
  draws?: number;
  /** Seed of the Monte Carlo draws, an integer in [0, 2^32 − 1]. @default 0 */
  seed?: number;
}

/** How {@link signFlipTest} computed its p-value. */
export type SignFlipMethod = 'exact-mcnemar' | 'exact-enumeration' | 'monte-carlo';

export interface SignFlipTestResult {
  /** Two-sided p-value in (0, 1]. */
  pValue: number;
  method: SignFlipMethod;
  /** Monte Carlo draws used (`monte-carlo` only). */
  draws?: number;
}

/** Enumerate the null distribution exactly while it has at most this many points. */
const enumerationLimit = 65_536;

/**
 * The stratified sign-flip (randomisation) test of a difference between two paired runs weighted per stratum: the
 * statistic is T = Σ_k (c_k − b_k)·weight_k (weight_k = 1/size_k unless given), proportional to the difference of the
 * mean of per-stratum accuracies (C-Eval's naive group average; with OpenCompass's group `weights`, their weighted
 * average). Under the null hypothesis that the two runs are exchangeable on every item (the same model
 * twice, whatever each question's difficulty and however correlated the runs are), each discordant pair favours either
 * run with probability 1/2 independently, so the test is exact at every sample size, including one pair per stratum.
 * Two-sided: p = P(|T*| ≥ |T|).
 *
 * - All discordant pairs in strata whose pairs weigh the same: T ∝ c − b, and p is the exact McNemar p-value of the
 *   pooled counts (a question-weighted mean's test).
 * - Otherwise, strata of equal pair weight are merged and the distribution of T* is enumerated exactly when it has
 *   at most 65,536 points;
 * - else `draws` Monte Carlo sign flips, with p = (1 + #{|T*| ≥ |T|})/(1 + draws), which is a valid p-value
 *   (P(p ≤ α) ≤ α under the null; Phipson & Smyth 2010). The draws are seeded by `seed`, the stratum sizes and discordant counts, so a result
 *   is reproducible and different data sets do not share one set of draws. Each draw costs one 32-bit word per 32
 *   discordant pairs (a binomial count is the popcount of random bits).
 *
 * @throws {StatisticsInputError} for non-integer or negative counts, b + c > size, a weight ≤ 0, or invalid draws/seed.
 */
export function signFlipTest(options: SignFlipTestOptions): SignFlipTestResult {
  const draws = options.draws ?? 10_000;
  if (!Number.isSafeInteger(draws) || draws < 1) throw new StatisticsInputError({ parameter: 'draws', message: `must be a positive integer, got ${draws}` });
  const seed = options.seed ?? 0;
  // Fails early on a bad seed; the draws themselves use the seed mixed with the data (see below).
  createRandom(seed);
  // Strata whose pairs weigh the same are one class (keyed to 12 digits, so weights equal up to rounding merge).
  const classes = new Map<string, { weight: number; discordant: number; observed: number; b: number; c: number }>();
  options.strata.forEach((stratum, index) => {
    validateCount(stratum.b, `strata[${index}].b`);
    validateCount(stratum.c, `strata[${index}].c`);
    if (!(Number.isSafeInteger(stratum.size) && stratum.size >= stratum.b + stratum.c && stratum.size > 0)) {
      throw new StatisticsInputError({ parameter: `strata[${index}].size`, message: `must be an integer ≥ max(1, b + c), got ${stratum.size}` });
    }
    const weight = stratum.weight ?? 1 / stratum.size;
    if (!(Number.isFinite(weight) && weight > 0)) {
      throw new StatisticsInputError({ parameter: `strata[${index}].weight`, message: `must be a positive finite number, got ${stratum.weight}` });
    }
    if (stratum.b + stratum.c === 0) return;
    const key = weight.toPrecision(12);
    const entry = classes.get(key) ?? { weight, discordant: 0, observed: 0, b: 0, c: 0 };
    entry.discordant += stratum.b + stratum.c;
    entry.observed += stratum.c - stratum.b;
    entry.b += stratum.b;
    entry.c += stratum.c;
    classes.set(key, entry);
  });
  const merged = [...classes.values()];
  if (merged.length <= 1) {
    const only = merged[0] ?? { b: 0, c: 0 };
    return { pValue: mcnemarExact({ b: only.b, c: only.c }), method: 'exact-mcnemar' };
  }
  const weights = merged.map((entry) => entry.weight);
  const counts = merged.map((entry) => entry.discordant);
  const observed = Math.abs(merged.reduce((total, entry) => total + entry.observed * entry.weight, 0));
  // Values of T* that equal |T| up to rounding count as "at least as extreme" (the conservative side).
  const threshold = observed - 1e-9 * counts.reduce((total, count, index) => total + count * weights[index]!, 0);
  const points = counts.reduce((total, count) => total * (count + 1), 1);
  if (points <= enumerationLimit) return { pValue: Math.min(1, enumerate(counts, weights, threshold)), method: 'exact-enumeration' };
  // Seeded by `seed` and the conditioning counts: the same data always give the same p-value, while different data sets get
  // unrelated draws. (One fixed stream for every data set would share its Monte Carlo error across all of them.)
  const random = createRandom(mixSeed(seed, options.strata));
  let extreme = 0;
  for (let draw = 0; draw < draws; draw += 1) {
    let statistic = 0;
    for (let index = 0; index < counts.length; index += 1) {
      const count = counts[index]!;
      let heads = 0;
      let left = count;
      for (; left >= 32; left -= 32) heads += popcount(randomWord(random));
      if (left > 0) heads += popcount(randomWord(random) & ((1 << left) - 1));
      statistic += (2 * heads - count) * weights[index]!;
    }
    if (Math.abs(statistic) >= threshold) extreme += 1;
  }
  return { pValue: (1 + extreme) / (1 + draws), method: 'monte-carlo', draws };
}

/** P(|Σ_i w_i (2X_i − m_i)| ≥ threshold) for independent X_i ~ Binomial(m_i, 1/2), by walking every outcome. */
function enumerate(counts: readonly number[], weights: readonly number[], threshold: number): number {
  const pmfs = counts.map((count) => {
    const logTotal = logGamma(count + 1) - count * Math.LN2;
    return Float64Array.from({ length: count + 1 }, (_, heads) => Math.exp(logTotal - logGamma(heads + 1) - logGamma(count - heads + 1)));
  });
  let probability = 0;
  const walk = (index: number, statistic: number, weight: number): void => {
    if (index === counts.length) {
      if (Math.abs(statistic) >= threshold) probability += weight;
      return;
    }
    const pmf = pmfs[index]!;
    const count = counts[index]!;
    for (let heads = 0; heads <= count; heads += 1) walk(index + 1, statistic + (2 * heads - count) * weights[index]!, weight * pmf[heads]!);
  };
  walk(0, 0, 1);
  return probability;
}

/**
 * FNV-1a over the seed and every stratum's size and discordant count, as a uint32: only what the test conditions on,
 * never the signs, so the draws stay independent of the observed statistic under the null.
 */
function mixSeed(seed: number, strata: readonly SignFlipStratum[]): number {
  let hash = 0x811c9dc5 ^ seed;
  const mix = (value: number) => {
    hash = Math.imul(hash ^ (value >>> 0), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ Math.floor(value / 4294967296), 0x01000193) >>> 0;
  };
  for (const stratum of strata) {
    mix(stratum.size);
    mix(stratum.b + stratum.c);
  }
  return hash >>> 0;
}

function randomWord(random: () => number): number {
  return (random() * 4294967296) >>> 0;
}

function popcount(word: number): number {
  let value = word - ((word >>> 1) & 0x55555555);
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
  return Math.imul((value + (value >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * The fewest pairs with which an exact paired test can reach `alpha` at all: the smallest n whose most extreme outcome
 * (all n pairs discordant in one direction, two-sided p = 2^(1 − n)) has p ≤ alpha. 6 for alpha = 0.05, 8 for 0.01.
 */
export function minimumPairsForSignificance(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new StatisticsInputError({ parameter: 'alpha', message: `must be strictly between 0 and 1, got ${alpha}` });
  let pairs = 1;
  while (2 ** (1 - pairs) > alpha) pairs += 1;
  return pairs;
}
