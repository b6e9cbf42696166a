import { describe, expect, it } from 'vitest';
import { normalCdf } from './normal-cdf.js';
import { normalQuantile } from './normal-quantile.js';
import { StatisticsInputError } from './statistics-input-error.js';

describe('normalQuantile', () => {
  it('gives the textbook critical values', () => {
    // Expected values: 30-digit mpmath evaluations of √2·erfinv(2p − 1); 1.959963984540054 is the familiar z(0.975).
    expect(Math.abs(normalQuantile(0.975) - 1.959963984540054)).toBeLessThan(1e-9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489008, 13);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 13);
    expect(normalQuantile(0.999)).toBeCloseTo(3.0902323061678135, 13);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts normalCdf across the range, including both of Acklam’s region boundaries', () => {
    const probabilities = [1e-300, 1e-100, 1e-20, 1e-6, 0.02424, 0.02425, 0.02426, 0.1, 0.3, 0.49, 0.51, 0.8, 0.97575, 0.99, 1 - 1e-12];
    for (const probability of probabilities) {
      const roundTrip = normalCdf(normalQuantile(probability));
      const tail = Math.min(probability, 1 - probability);
      expect(Math.abs(roundTrip - probability) / tail).toBeLessThan(1e-11);
    }
  });

  it('handles the endpoints and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(normalQuantile(Number.MIN_VALUE))).toBe(true);
    for (const probability of [-0.1, 1.5, Number.NaN]) expect(() => normalQuantile(probability)).toThrow(StatisticsInputError);
  });
});
