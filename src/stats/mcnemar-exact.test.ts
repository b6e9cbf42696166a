import { describe, expect, it } from 'vitest';
import { mcnemarExact } from './mcnemar-exact.js';
import { normalCdf } from './normal-cdf.js';
import { StatisticsInputError } from './statistics-input-error.js';

/** Independent reference: 2·Σ_{i ≤ min(b,c)} C(n, i) / 2^n with exact BigInt integers, rounded once at the end. */
function bigIntTwoSidedPValue(b: number, c: number): number {
  const trials = BigInt(b + c);
  const smaller = Math.min(b, c);
  let coefficient = 1n;
  let tailCount = 0n;
  for (let index = 0; index <= smaller; index += 1) {
    tailCount += coefficient;
    coefficient = (coefficient * (trials - BigInt(index))) / BigInt(index + 1);
  }
  const fractionBits = 256n;
  const scaled = ((2n * tailCount) << fractionBits) / (1n << trials);
  return Math.min(1, Number(scaled) / 2 ** Number(fractionBits));
}

describe('mcnemarExact', () => {
  it('matches hand-computed small cases exactly', () => {
    // (0, 5): 2 · (1/2)^5 = 0.0625. (1, 9): 2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024 = 0.021484375.
    expect(mcnemarExact({ b: 0, c: 5 })).toBe(0.0625);
    expect(mcnemarExact({ b: 5, c: 0 })).toBe(0.0625);
    expect(mcnemarExact({ b: 1, c: 9 })).toBe(0.021484375);
    // Balanced counts: 2 · P(X ≤ n/2) ≥ 1, capped at 1; no discordant pairs gives 1.
    expect(mcnemarExact({ b: 5, c: 5 })).toBe(1);
    expect(mcnemarExact({ b: 0, c: 0 })).toBe(1);
    expect(mcnemarExact({ b: 0, c: 1 })).toBe(1);
  });

  it('(10, 20) → 0.09873714', () => {
    // 2 · Σ_{i ≤ 10} C(30, i) / 2^30 = 2 · 53,009,102 / 1,073,741,824 = 0.0987371467…; also scipy.stats.binomtest.
    expect(Math.abs(mcnemarExact({ b: 10, c: 20 }) - 0.09873714)).toBeLessThan(1e-6);
    expect(mcnemarExact({ b: 10, c: 20 })).toBe(106_018_204 / 1_073_741_824);
  });

  it('equals the exact BigInt computation for every split of up to 80 discordant pairs', () => {
    // Up to 53 pairs the implementation is exact; beyond it the log-space path is within ~1e-15 · ln(n!) (≈3e-13 at 80).
    for (let trials = 1; trials <= 80; trials += 1) {
      for (let b = 0; b <= trials; b += 1) {
        const expected = bigIntTwoSidedPValue(b, trials - b);
        const actual = mcnemarExact({ b, c: trials - b });
        if (trials <= 53) expect(actual).toBe(expected);
        else expect(Math.abs(actual - expected) / expected).toBeLessThan(5e-13);
      }
    }
  });

  it('(1000, 1100) agrees with exact arithmetic and with the continuity-corrected normal approximation', () => {
    const actual = mcnemarExact({ b: 1000, c: 1100 });
    expect(Math.abs(actual - bigIntTwoSidedPValue(1000, 1100)) / actual).toBeLessThan(1e-11);
    // Normal approximation: z = (|b − c| − 1)/√(b + c) = 99/√2100 ≈ 2.1604, p ≈ 2Φ(−z) ≈ 0.03075 (exact ≈ 0.030721).
    const approximation = 2 * normalCdf(-(Math.abs(1000 - 1100) - 1) / Math.sqrt(2100));
    expect(Math.abs(actual - approximation) / actual).toBeLessThan(1e-3);
    expect(actual).toBeCloseTo(0.030720707864, 11);
  });

  it('stays finite and accurate for counts far beyond a double’s factorial range', () => {
    // scipy.stats.binomtest(1_000_000, 2_010_000).pvalue = 1.7539685614366628e-12 (regularised incomplete beta).
    const actual = mcnemarExact({ b: 1_000_000, c: 1_010_000 });
    expect(Math.abs(actual - 1.7539685614366628e-12) / actual).toBeLessThan(1e-8);
    expect(mcnemarExact({ b: 0, c: 5000 })).toBe(0); // 2^-4999 underflows to 0
    expect(mcnemarExact({ b: 50_000, c: 50_001 })).toBe(1);
  });

  it('rejects negative or fractional counts', () => {
    for (const options of [
      { b: -1, c: 3 },
      { b: 1.5, c: 3 },
      { b: 1, c: Number.NaN },
    ]) {
      expect(() => mcnemarExact(options)).toThrow(StatisticsInputError);
    }
  });
});
