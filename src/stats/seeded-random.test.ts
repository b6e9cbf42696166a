import { describe, expect, it } from 'vitest';
import { createRandom, randomInt, xoshiro128StarStar } from './seeded-random.js';
import { StatisticsInputError } from './statistics-input-error.js';

const take = (seed: number, count: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random());
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs between seeds', () => {
    expect(take(42, 1000)).toEqual(take(42, 1000));
    expect(take(0, 10)).not.toEqual(take(1, 10));
    expect(take(0xffffffff, 10)).not.toEqual(take(0, 10));
  });

  it('returns multiples of 2^-32 in [0, 1) with the moments of a uniform distribution', () => {
    const values = take(7, 200_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(values.every((value) => Number.isInteger(value * 2 ** 32))).toBe(true);
    // Uniform(0,1): mean 1/2, variance 1/12; standard errors ≈ 6.5e-4 and 3e-4 at n = 200,000.
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('has no visible lag-1 correlation between adjacent seeds or adjacent draws', () => {
    // Correlation of independent uniforms is ~N(0, 1/n); |r| < 0.02 at n = 50,000 is a > 4-sigma bound.
    const correlation = (left: number[], right: number[]): number => {
      const n = left.length;
      const meanLeft = left.reduce((sum, value) => sum + value, 0) / n;
      const meanRight = right.reduce((sum, value) => sum + value, 0) / n;
      let covariance = 0;
      let varianceLeft = 0;
      let varianceRight = 0;
      for (let index = 0; index < n; index += 1) {
        covariance += (left[index]! - meanLeft) * (right[index]! - meanRight);
        varianceLeft += (left[index]! - meanLeft) ** 2;
        varianceRight += (right[index]! - meanRight) ** 2;
      }
      return covariance / Math.sqrt(varianceLeft * varianceRight);
    };
    const stream = take(3, 50_001);
    expect(Math.abs(correlation(stream.slice(0, -1), stream.slice(1)))).toBeLessThan(0.02);
    expect(Math.abs(correlation(take(100, 50_000), take(101, 50_000)))).toBeLessThan(0.02);
  });

  it('implements xoshiro128** exactly', () => {
    // Known answer for state (1, 2, 3, 4): the first two follow by hand from the definition (rotl(2·5, 7)·9 = 11520;
    // the update makes state1 = 0, so 0), and all six match the test vector of the Rust rand_xoshiro crate and an
    // independent Python transcription of Blackman & Vigna's reference code.
    const next = xoshiro128StarStar(Uint32Array.of(1, 2, 3, 4));
    expect(Array.from({ length: 6 }, next)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('pins the seeding so an accidental change to the seeded streams is noticed', () => {
    // Recorded from this implementation and reproduced by the same independent Python transcription, seeding included.
    expect(take(0, 3).map((value) => value * 2 ** 32)).toEqual([3809008728, 1133695204, 53579671]);
  });

  it('rejects seeds that are not integers in [0, 2^32 - 1]', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => createRandom(seed)).toThrow(StatisticsInputError);
    }
  });
});

describe('randomInt', () => {
  it('covers [0, n) roughly uniformly', () => {
    const random = createRandom(11);
    const counts = new Array<number>(7).fill(0);
    for (let draw = 0; draw < 70_000; draw += 1) counts[randomInt(random, 7)]! += 1;
    // Each count is Binomial(70,000, 1/7): mean 10,000, sd ≈ 93.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('returns 0 for n = 1 and rejects n that is not a positive integer', () => {
    const random = createRandom(1);
    expect(randomInt(random, 1)).toBe(0);
    for (const n of [0, -3, 2.5, Number.POSITIVE_INFINITY]) expect(() => randomInt(random, n)).toThrow(StatisticsInputError);
  });
});
