import { describe, expect, it } from 'vitest';
import { normalCdf } from './normal-cdf.js';

/** |actual − expected| / |expected|. */
const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.abs(expected);

describe('normalCdf', () => {
  it('matches reference values of Φ', () => {
    // Expected values: 30-digit evaluations of Φ(x) = erfc(−x/√2)/2 with mpmath (ncdf), rounded to doubles.
    const references: Array<[number, number]> = [
      [-1, 0.15865525393145705],
      [-1.96, 0.024997895148220435],
      [-3, 0.0013498980316300946],
      [-10, 7.619853024160526e-24],
      [-20, 2.7536241186062337e-89],
    ];
    for (const [x, expected] of references) expect(relativeError(normalCdf(x), expected)).toBeLessThan(1e-13);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 15);
  });

  it('is exactly 1/2 at 0, symmetric, monotone and saturates at ±Infinity', () => {
    expect(normalCdf(0)).toBe(0.5);
    for (const x of [0.3, 1, 1.4999, 1.5 * Math.SQRT2, 2.5, 4]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
    let previous = 0;
    for (let x = -9; x <= 9; x += 0.0625) {
      const value = normalCdf(x);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });

  it('joins the series and continued-fraction branches smoothly', () => {
    // The branches meet at x = −1.5·√2; the density there (≈0.0146) times a 1e-9 step bounds the jump.
    const boundary = -1.5 * Math.SQRT2;
    const step = normalCdf(boundary + 1e-9) - normalCdf(boundary - 1e-9);
    expect(step).toBeGreaterThan(0);
    expect(Math.abs(step - 2e-9 * (Math.exp((-boundary * boundary) / 2) / Math.sqrt(2 * Math.PI)))).toBeLessThan(1e-15);
  });
});
