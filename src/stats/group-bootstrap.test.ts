import { describe, expect, it } from 'vitest';
import { bootstrapGroupMean, type OutcomeSubset } from './group-bootstrap.js';
import { createRandom } from './seeded-random.js';
import { StatisticsInputError } from './statistics-input-error.js';

/** A C-Eval-like group: `subjectCount` subjects of 12–55 questions, each with its own accuracy in 35–85%. */
function cevalLikeGroup(seed: number, subjectCount = 52): OutcomeSubset[] {
  const random = createRandom(seed);
  return Array.from({ length: subjectCount }, () => {
    const size = 12 + Math.floor(random() * 44);
    const accuracy = 0.35 + 0.5 * random();
    return { outcomes: Uint8Array.from({ length: size }, () => (random() < accuracy ? 1 : 0)) };
  });
}

const accuracyOf = (outcomes: ArrayLike<number>) => Array.from(outcomes).reduce((sum, value) => sum + value, 0) / outcomes.length;
const width = ({ lower, upper }: { lower: number; upper: number }) => upper - lower;

describe('bootstrapGroupMean', () => {
  it('estimates the naive mean of subset accuracies, or the question-weighted accuracy', () => {
    // By hand: subset accuracies 1/2 = 50% and 9/10 = 90%; naive mean 70; question-weighted 10/12 = 83.33%.
    const subsets = [{ outcomes: [1, 0] }, { outcomes: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0] }];
    expect(bootstrapGroupMean({ subsets, iterations: 10 }).estimate).toBeCloseTo(70, 12);
    expect(bootstrapGroupMean({ subsets, iterations: 10, weighting: 'questions' }).estimate).toBeCloseTo(250 / 3, 12);
  });

  it('is deterministic for a seed and varies with the seed', () => {
    const subsets = cevalLikeGroup(1);
    const first = bootstrapGroupMean({ subsets, seed: 5 });
    expect(bootstrapGroupMean({ subsets, seed: 5 })).toEqual(first);
    const other = bootstrapGroupMean({ subsets, seed: 6 });
    expect(other.estimate).toBe(first.estimate);
    expect([other.lower, other.upper]).not.toEqual([first.lower, first.upper]);
  });

  it('covers the naive mean with the width normal theory predicts', () => {
    // The bootstrap variance of a resampled subset accuracy is p̂(1 − p̂)/n, so the naive mean has standard error
    // (100/S)·√Σ p̂(1 − p̂)/n and a 95% interval about 2 · 1.96 standard errors wide.
    for (const seed of [1, 2, 3]) {
      const subsets = cevalLikeGroup(seed);
      const interval = bootstrapGroupMean({ subsets, iterations: 4000, seed });
      const naiveMean = (100 * subsets.reduce((sum, subset) => sum + accuracyOf(subset.outcomes), 0)) / subsets.length;
      expect(interval.estimate).toBeCloseTo(naiveMean, 10);
      expect(interval.lower).toBeLessThan(naiveMean);
      expect(interval.upper).toBeGreaterThan(naiveMean);
      const variance = subsets.reduce((sum, { outcomes }) => {
        const accuracy = accuracyOf(outcomes);
        return sum + (accuracy * (1 - accuracy)) / outcomes.length;
      }, 0);
      const standardError = (100 / subsets.length) * Math.sqrt(variance);
      expect(width(interval) / (2 * 1.959964 * standardError)).toBeGreaterThan(0.9);
      expect(width(interval) / (2 * 1.959964 * standardError)).toBeLessThan(1.1);
    }
  });

  it('question weighting matches its own normal-theory width', () => {
    // Total correct is a sum of independent binomials: standard error 100·√Σ n p̂(1 − p̂) / N.
    const subsets = cevalLikeGroup(4);
    const interval = bootstrapGroupMean({ subsets, iterations: 4000, weighting: 'questions' });
    const questions = subsets.reduce((sum, { outcomes }) => sum + outcomes.length, 0);
    const variance = subsets.reduce((sum, { outcomes }) => sum + outcomes.length * accuracyOf(outcomes) * (1 - accuracyOf(outcomes)), 0);
    const standardError = (100 * Math.sqrt(variance)) / questions;
    expect(width(interval) / (2 * 1.959964 * standardError)).toBeGreaterThan(0.9);
    expect(width(interval) / (2 * 1.959964 * standardError)).toBeLessThan(1.1);
  });

  it('more iterations shrink the Monte Carlo spread of the bounds but not the interval itself', () => {
    const subsets = cevalLikeGroup(5);
    const spread = (iterations: number) => {
      const lowers = [0, 1, 2, 3, 4, 5].map((seed) => bootstrapGroupMean({ subsets, iterations, seed }).lower);
      return Math.max(...lowers) - Math.min(...lowers);
    };
    expect(spread(4000)).toBeLessThan(spread(100) / 2);
    const few = bootstrapGroupMean({ subsets, iterations: 200 });
    const many = bootstrapGroupMean({ subsets, iterations: 5000 });
    expect(width(few) / width(many)).toBeGreaterThan(0.75);
    expect(width(few) / width(many)).toBeLessThan(1.25);
  });

  it('widens with the confidence level', () => {
    const subsets = cevalLikeGroup(6);
    const narrow = bootstrapGroupMean({ subsets, confidence: 0.8 });
    const standard = bootstrapGroupMean({ subsets });
    const wide = bootstrapGroupMean({ subsets, confidence: 0.99 });
    expect(width(narrow)).toBeLessThan(width(standard));
    expect(width(standard)).toBeLessThan(width(wide));
  });

  it('collapses to a point when every subset is all right or all wrong', () => {
    const subsets = [{ outcomes: [1, 1, 1] }, { outcomes: [0, 0] }];
    expect(bootstrapGroupMean({ subsets, iterations: 50 })).toEqual({ estimate: 50, lower: 50, upper: 50 });
  });

  it('rejects malformed groups and settings', () => {
    const subsets = [{ outcomes: [1, 0, 1] }];
    const invalid: Array<Parameters<typeof bootstrapGroupMean>[0]> = [
      { subsets: [] },
      { subsets: [{ outcomes: [] }] },
      { subsets: [{ outcomes: [1, 2] }] },
      { subsets: [{ outcomes: [1, Number.NaN] }] },
      { subsets, iterations: 0 },
      { subsets, iterations: 2.5 },
      { subsets, confidence: 1 },
      { subsets, seed: -1 },
      { subsets, weighting: 'subjects' as 'naive' },
    ];
    for (const options of invalid) expect(() => bootstrapGroupMean(options)).toThrow(StatisticsInputError);
  });
});
