import { describe, expect, it } from 'vitest';
import { bootstrapGroupMean } from './group-bootstrap.js';
import { pairedBootstrapDifference, type PairedOutcomeSubset } from './paired-bootstrap.js';
import { createRandom, type RandomSource } from './seeded-random.js';
import { StatisticsInputError } from './statistics-input-error.js';

/** Fisher–Yates shuffle of 0..n−1, driven by the seeded source. */
function shuffledIndices(random: RandomSource, n: number): number[] {
  const indices = Array.from({ length: n }, (_, index) => index);
  for (let index = n - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [indices[index], indices[other]] = [indices[other]!, indices[index]!];
  }
  return indices;
}

/**
 * 52 subjects × 30 questions; run A gets exactly 18 right (60%) in random positions. Run B equals A except that
 * `wrongToRight` of A's wrong answers become right and `rightToWrong` of A's right answers become wrong.
 */
function plantedRuns(options: { seed: number; wrongToRight: number; rightToWrong: number }): PairedOutcomeSubset[] {
  const random = createRandom(options.seed);
  return Array.from({ length: 52 }, () => {
    const order = shuffledIndices(random, 30);
    const a = new Uint8Array(30);
    for (const index of order.slice(0, 18)) a[index] = 1;
    const b = a.slice();
    for (const index of order.slice(18, 18 + options.wrongToRight)) b[index] = 1;
    for (const index of order.slice(0, options.rightToWrong)) b[index] = 0;
    return { a, b };
  });
}

const width = ({ lower, upper }: { lower: number; upper: number }) => upper - lower;

describe('pairedBootstrapDifference', () => {
  it('finds a planted 10-point improvement: the interval excludes 0 and covers 10', () => {
    // B flips 3 of 30 questions (10%) from wrong to right in every subject, so B − A = 10 points exactly.
    for (const seed of [0, 1, 2]) {
      const subsets = plantedRuns({ seed, wrongToRight: 3, rightToWrong: 0 });
      const result = pairedBootstrapDifference({ subsets, seed });
      expect(result.difference).toBeCloseTo(10, 12);
      expect(result.lower).toBeGreaterThan(0);
      expect(result.lower).toBeLessThan(10);
      expect(result.upper).toBeGreaterThan(10);
      expect(pairedBootstrapDifference({ subsets, seed, weighting: 'questions' }).difference).toBeCloseTo(10, 12);
    }
  });

  it('gives exactly [0, 0] for identical runs', () => {
    const subsets = plantedRuns({ seed: 3, wrongToRight: 0, rightToWrong: 0 });
    expect(pairedBootstrapDifference({ subsets })).toEqual({ difference: 0, lower: 0, upper: 0 });
  });

  it('covers 0 when changes cancel out, for several seeds', () => {
    // 3 wrong→right and 3 right→wrong per subject: observed difference exactly 0.
    const subsets = plantedRuns({ seed: 4, wrongToRight: 3, rightToWrong: 3 });
    for (const seed of [0, 1, 2, 3, 4]) {
      const result = pairedBootstrapDifference({ subsets, seed });
      expect(result.difference).toBe(0);
      expect(result.lower).toBeLessThan(0);
      expect(result.upper).toBeGreaterThan(0);
    }
  });

  it('covers 0 for about 95% of independent runs with equal true accuracy', () => {
    // A and B answer independently with the same per-subject accuracy, so the true difference is 0 and a 95%
    // interval should contain it ~95% of the time (binomial sd over 200 datasets ≈ 1.5%). Fixed seeds: deterministic.
    const dataRandom = createRandom(2024);
    let covered = 0;
    const datasets = 200;
    for (let dataset = 0; dataset < datasets; dataset += 1) {
      const subsets = Array.from({ length: 10 }, () => {
        const accuracy = 0.4 + 0.4 * dataRandom();
        const draw = () => (dataRandom() < accuracy ? 1 : 0);
        return { a: Uint8Array.from({ length: 30 }, draw), b: Uint8Array.from({ length: 30 }, draw) };
      });
      const result = pairedBootstrapDifference({ subsets, iterations: 500, seed: dataset });
      if (result.lower <= 0 && result.upper >= 0) covered += 1;
    }
    expect(covered / datasets).toBeGreaterThan(0.88);
    expect(covered / datasets).toBeLessThan(0.99);
  });

  it('is deterministic for a seed and much narrower than an unpaired interval for correlated runs', () => {
    const subsets = plantedRuns({ seed: 5, wrongToRight: 2, rightToWrong: 1 });
    const paired = pairedBootstrapDifference({ subsets, seed: 9 });
    expect(pairedBootstrapDifference({ subsets, seed: 9 })).toEqual(paired);
    // Per question, Var(A) = 0.6·0.4 = 0.24, so treating the runs as independent gives Var(B − A) ≈ 0.48, i.e. an
    // unpaired width ≈ √2 × A's width. Paired, only the 3 in 30 discordant questions vary: Var ≈ 0.1 − (1/30)² ≈ 0.099,
    // so the paired width should be about √(0.099/0.48) ≈ 0.45 of the unpaired one.
    const single = bootstrapGroupMean({ subsets: subsets.map(({ a }) => ({ outcomes: a })), seed: 9 });
    const ratio = width(paired) / (Math.SQRT2 * width(single));
    expect(ratio).toBeGreaterThan(0.35);
    expect(ratio).toBeLessThan(0.55);
  });

  it('weights subsets naively or by questions', () => {
    // By hand: subset 1 (2 questions) B − A = +1 question → +50 points; subset 2 (4 questions) −1 → −25 points.
    // Naive: (50 − 25)/2 = 12.5. Question-weighted: (1 − 1)/6 = 0.
    const subsets = [
      { a: [0, 1], b: [1, 1] },
      { a: [1, 1, 0, 0], b: [1, 0, 0, 0] },
    ];
    expect(pairedBootstrapDifference({ subsets, iterations: 20 }).difference).toBeCloseTo(12.5, 12);
    expect(pairedBootstrapDifference({ subsets, iterations: 20, weighting: 'questions' }).difference).toBe(0);
  });

  it('rejects unpaired or malformed outcomes', () => {
    const invalid: Array<Parameters<typeof pairedBootstrapDifference>[0]> = [
      { subsets: [] },
      { subsets: [{ a: [1, 0], b: [1] }] },
      { subsets: [{ a: [], b: [] }] },
      { subsets: [{ a: [1, 0], b: [1, -1] }] },
      { subsets: [{ a: [1, 0], b: [1, 0] }], confidence: 0 },
    ];
    for (const options of invalid) expect(() => pairedBootstrapDifference(options)).toThrow(StatisticsInputError);
  });

  it('compares two 14,000-question runs in 52 subsets with 2,000 iterations (duration logged, not asserted)', () => {
    const random = createRandom(14_000);
    const sizes = Array.from({ length: 52 }, (_, subject) => 269 + (subject < 12 ? 1 : 0)); // 12·270 + 40·269 = 14,000
    const subsets = sizes.map((size) => {
      const a = Uint8Array.from({ length: size }, () => (random() < 0.6 ? 1 : 0));
      const b = a.map((value) => (random() < 0.05 ? 1 - value : value));
      return { a, b };
    });
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(14_000);

    const pairedStart = performance.now();
    const paired = pairedBootstrapDifference({ subsets, iterations: 2000, seed: 1 });
    const pairedMilliseconds = performance.now() - pairedStart;
    const groupStart = performance.now();
    const group = bootstrapGroupMean({ subsets: subsets.map(({ a }) => ({ outcomes: a })), iterations: 2000, seed: 1 });
    const groupMilliseconds = performance.now() - groupStart;
    console.log(
      `stats performance: pairedBootstrapDifference 2×14,000 questions × 2,000 iterations: ${pairedMilliseconds.toFixed(1)} ms; ` +
        `bootstrapGroupMean 14,000 questions × 2,000 iterations: ${groupMilliseconds.toFixed(1)} ms`,
    );

    expect(paired.lower).toBeLessThanOrEqual(paired.difference);
    expect(paired.upper).toBeGreaterThanOrEqual(paired.difference);
    expect(group.lower).toBeLessThan(group.estimate);
    expect(group.upper).toBeGreaterThan(group.estimate);
  });
});
