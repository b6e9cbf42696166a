import { describe, expect, it } from 'vitest';
import { logGamma } from './log-gamma.js';
import { StatisticsInputError } from './statistics-input-error.js';

describe('logGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 13); // 10!
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // mpmath.loggamma at 30 digits.
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777762, 11);
  });

  it('agrees with ln(n!) = Σ ln k for large n without overflow', () => {
    let logFactorial = 0;
    for (let k = 2; k <= 14_000; k += 1) logFactorial += Math.log(k);
    expect(Math.abs(logGamma(14_001) - logFactorial) / logFactorial).toBeLessThan(1e-13);
    // mpmath.loggamma(1e6) = 12815504.569147611659…
    expect(Math.abs(logGamma(1e6) - 12_815_504.569147612) / 12_815_504.569147612).toBeLessThan(1e-14);
  });

  it('rejects non-positive and non-finite arguments', () => {
    for (const x of [0, -1, Number.POSITIVE_INFINITY, Number.NaN]) expect(() => logGamma(x)).toThrow(StatisticsInputError);
  });
});
