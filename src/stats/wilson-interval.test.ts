import { describe, expect, it } from 'vitest';
import { StatisticsInputError } from './statistics-input-error.js';
import { wilsonInterval } from './wilson-interval.js';

// Wilson: centre = (p̂ + z²/2n)/(1 + z²/n), half-width = z/(1 + z²/n)·√(p̂(1 − p̂)/n + z²/4n²), z = 1.959964, z² = 3.841459.
const within = (actual: number, expected: number, tolerance = 1e-4) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

describe('wilsonInterval', () => {
  it('0/10: lower is exactly 0 and upper ≈ 0.2775', () => {
    // By hand: denominator 1.384146, centre 0.192073/1.384146 = 0.138766, half-width 1.416008·0.098006 = 0.138777.
    const interval = wilsonInterval({ successes: 0, trials: 10 });
    expect(interval.lower).toBe(0);
    within(interval.upper, 0.2775);
  });

  it('5/10 → [0.2366, 0.7634]', () => {
    // By hand: centre 0.5, half-width 1.416008·√(0.025 + 0.00960365) = 1.416008·0.165540 = 0.234407.
    const interval = wilsonInterval({ successes: 5, trials: 10 });
    within(interval.lower, 0.2366);
    within(interval.upper, 0.7634);
  });

  it('47/100 → [0.3751, 0.5671]', () => {
    // By hand: denominator 1.0384146, centre 0.4892073/1.0384146 = 0.471110, half-width 1.887458·√(0.002491 +
    // 0.0000960365) = 1.887458·0.0508629 = 0.0960016, so [0.375109, 0.567112]; scipy's
    // binomtest(47, 100).proportion_ci(method='wilson') gives [0.375108, 0.567111]. ([0.3742, 0.5679] is not Wilson.)
    const interval = wilsonInterval({ successes: 47, trials: 100 });
    within(interval.lower, 0.3751);
    within(interval.upper, 0.5671);
  });

  it('is symmetric under successes ↔ failures and exactly 1 above when all succeed', () => {
    const low = wilsonInterval({ successes: 3, trials: 17 });
    const high = wilsonInterval({ successes: 14, trials: 17 });
    expect(high.lower).toBeCloseTo(1 - low.upper, 14);
    expect(high.upper).toBeCloseTo(1 - low.lower, 14);
    const all = wilsonInterval({ successes: 10, trials: 10 });
    expect(all.upper).toBe(1);
    within(all.lower, 1 - 0.2775);
  });

  it('widens with confidence and narrows with trials', () => {
    const width = ({ lower, upper }: { lower: number; upper: number }) => upper - lower;
    expect(width(wilsonInterval({ successes: 30, trials: 50, confidence: 0.99 }))).toBeGreaterThan(width(wilsonInterval({ successes: 30, trials: 50 })));
    expect(width(wilsonInterval({ successes: 30, trials: 50, confidence: 0.8 }))).toBeLessThan(width(wilsonInterval({ successes: 30, trials: 50 })));
    expect(width(wilsonInterval({ successes: 300, trials: 500 }))).toBeLessThan(width(wilsonInterval({ successes: 30, trials: 50 })));
  });

  it('returns [0, 1] for zero trials', () => {
    expect(wilsonInterval({ successes: 0, trials: 0 })).toEqual({ lower: 0, upper: 1 });
  });

  it('rejects impossible counts and confidence levels', () => {
    const invalid = [
      { successes: 11, trials: 10 },
      { successes: -1, trials: 10 },
      { successes: 1.5, trials: 10 },
      { successes: 1, trials: Number.NaN },
      { successes: 1, trials: 10, confidence: 1 },
      { successes: 1, trials: 10, confidence: 0 },
    ];
    for (const options of invalid) expect(() => wilsonInterval(options)).toThrow(StatisticsInputError);
  });
});
