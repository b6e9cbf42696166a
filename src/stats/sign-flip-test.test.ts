import { describe, expect, it } from 'vitest';
import { mcnemarExact } from './mcnemar-exact.js';
import { minimumPairsForSignificance, signFlipTest } from './sign-flip-test.js';
import { StatisticsInputError } from './statistics-input-error.js';

/**
 * Independent reference for strata of sizes 2 and 3: 6·T* = 3(2X − m2) + 2(2Y − m3) is an integer, so its exact
 * distribution is a convolution of two binomials on integers (halving at each step keeps every probability a double).
 */
function referencePValue(m2: number, m3: number, observed6: number): number {
  const binomial = (m: number) => {
    const row = [1];
    for (let step = 0; step < m; step += 1) {
      const next = new Array<number>(row.length + 1).fill(0);
      row.forEach((value, index) => {
        next[index]! += value / 2;
        next[index + 1]! += value / 2;
      });
      row.splice(0, row.length, ...next);
    }
    return row;
  };
  const left = binomial(m2);
  const right = binomial(m3);
  let probability = 0;
  left.forEach((pLeft, x) =>
    right.forEach((pRight, y) => {
      if (Math.abs(3 * (2 * x - m2) + 2 * (2 * y - m3)) >= Math.abs(observed6)) probability += pLeft * pRight;
    }),
  );
  return probability;
}

describe('signFlipTest', () => {
  it('is the exact McNemar test of the pooled counts when the discordant pairs lie in strata of one size', () => {
    expect(
      signFlipTest({
        strata: [
          { size: 5, b: 0, c: 3 },
          { size: 5, b: 0, c: 3 },
          { size: 9, b: 0, c: 0 },
        ],
      }),
    ).toEqual({ pValue: mcnemarExact({ b: 0, c: 6 }), method: 'exact-mcnemar' });
    expect(signFlipTest({ strata: [{ size: 1, b: 0, c: 1 }] })).toEqual({ pValue: 1, method: 'exact-mcnemar' });
    expect(signFlipTest({ strata: [{ size: 3, b: 0, c: 0 }] }).pValue).toBe(1);
    expect(signFlipTest({ strata: [] }).pValue).toBe(1);
  });

  it('enumerates small unequal strata exactly: sizes 1 and 2 with c = 1 and c = 2 give p = 1/4', () => {
    // T = 1/1 + 2/2 = 2; T* = ±1 + {−1, 0, +1} with probabilities ½ and ¼, ½, ¼, so P(|T*| ≥ 2) = 2 · ½ · ¼.
    const result = signFlipTest({
      strata: [
        { size: 1, b: 0, c: 1 },
        { size: 2, b: 0, c: 2 },
      ],
    });
    expect(result.method).toBe('exact-enumeration');
    expect(result.pValue).toBeCloseTo(0.25, 12);
    expect(
      signFlipTest({
        strata: [
          { size: 20, b: 3, c: 5 },
          { size: 30, b: 4, c: 1 },
        ],
      }).pValue,
    ).toBeCloseTo(referencePValue(8, 5, 3 * 2 + 2 * -3), 12);
  });

  it('uses seeded Monte Carlo sign flips for large unequal strata, within Monte Carlo error of the exact value', () => {
    // Sizes 1000 = 2·500 and 1500 = 3·500 weigh pairs as sizes 2 and 3 do (T scales by 1/500), so the reference applies.
    const exact = referencePValue(310, 410, 3 * (170 - 140) + 2 * (210 - 200));
    const scaled = signFlipTest({
      strata: [
        { size: 1000, b: 140, c: 170 },
        { size: 1500, b: 200, c: 210 },
      ],
      draws: 20_000,
      seed: 3,
    });
    expect(scaled).toMatchObject({ method: 'monte-carlo', draws: 20_000 });
    // Monte Carlo standard error at p ≈ 0.1 with 20,000 draws is about 0.002.
    expect(Math.abs(scaled.pValue - exact)).toBeLessThan(0.01);
    expect(
      signFlipTest({
        strata: [
          { size: 1000, b: 140, c: 170 },
          { size: 1500, b: 200, c: 210 },
        ],
        draws: 20_000,
        seed: 3,
      }),
    ).toEqual(scaled);
  });

  it('weighs pairs by the given weight: equal pair weights pool into McNemar, unequal ones match the reference', () => {
    // Weights proportional to 1/size in sizes 30 and 20 (pairs weigh 2 : 3 as in strata of sizes 3 and 2, swapped).
    const weighted = signFlipTest({
      strata: [
        { size: 20, b: 3, c: 5, weight: 2 / 60 },
        { size: 30, b: 4, c: 1, weight: 3 / 60 },
      ],
    });
    expect(weighted.method).toBe('exact-enumeration');
    // T·60 = 2·(5 − 3) + 3·(1 − 4): the reference's sizes 2 and 3 weigh as 3 and 2, so its m2 is the 30-pair stratum.
    expect(weighted.pValue).toBeCloseTo(referencePValue(5, 8, 3 * (1 - 4) + 2 * (5 - 3)), 12);
    // Subsets of 40 and 10 questions weighted 40 : 10 (a question-weighted mean): every pair weighs 1/50, one class.
    const pooled = signFlipTest({
      strata: [
        { size: 40, b: 2, c: 7, weight: 40 / 50 / 40 },
        { size: 10, b: 1, c: 3, weight: 10 / 50 / 10 },
      ],
    });
    expect(pooled).toEqual({ pValue: mcnemarExact({ b: 3, c: 10 }), method: 'exact-mcnemar' });
    expect(() => signFlipTest({ strata: [{ size: 2, b: 0, c: 1, weight: 0 }] })).toThrow(/strata\[0\]\.weight/);
  });

  it('rejects bad strata and settings', () => {
    expect(() => signFlipTest({ strata: [{ size: 1, b: 1, c: 1 }] })).toThrow(/strata\[0\]\.size/);
    expect(() => signFlipTest({ strata: [{ size: 2, b: -1, c: 1 }] })).toThrow(StatisticsInputError);
    expect(() => signFlipTest({ strata: [], draws: 0 })).toThrow(/draws/);
    expect(() => signFlipTest({ strata: [], seed: -1 })).toThrow(/seed/);
  });
});

describe('minimumPairsForSignificance', () => {
  it('is the smallest n with 2^(1 − n) ≤ alpha', () => {
    expect(minimumPairsForSignificance(0.05)).toBe(6);
    expect(minimumPairsForSignificance(0.0625)).toBe(5);
    expect(minimumPairsForSignificance(0.01)).toBe(8);
    expect(mcnemarExact({ b: 0, c: 5 })).toBeGreaterThan(0.05);
    expect(mcnemarExact({ b: 0, c: 6 })).toBeLessThanOrEqual(0.05);
    expect(() => minimumPairsForSignificance(0)).toThrow(StatisticsInputError);
  });
});
