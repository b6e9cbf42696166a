import { describe, expect, it } from 'vitest';
import { newcombePairedInterval } from './newcombe-paired-interval.js';
import { StatisticsInputError } from './statistics-input-error.js';

const within = (actual: number, expected: number, tolerance = 1e-4) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

describe('newcombePairedInterval', () => {
  it('Cavo et al. 2012 (59, 6, 16, 80): −0.0621 [−0.1186, −0.0046], as published by Fagerland, Lydersen & Laake (2017, ch. 8)', () => {
    const interval = newcombePairedInterval({ table: { both: 59, onlyFirst: 6, onlySecond: 16, neither: 80 } });
    within(interval.difference, -0.0621);
    within(interval.lower, -0.1186);
    within(interval.upper, -0.0046);
  });

  it('Newcombe 1998 example (36, 12, 2, 0): 0.2000 [0.0569, 0.3404]', () => {
    // By hand: n = 50, p1 = 0.96 → Wilson [0.8654, 0.9890]; p2 = 0.76 → [0.6254, 0.8570]; AD − BC = −24 < 0, so
    // φ = −24/√(48·2·38·12) = −0.1140; L = 0.2 − √(0.0946² + 2·0.1140·0.0946·0.0970 + 0.0970²) = 0.0569.
    const interval = newcombePairedInterval({ table: { both: 36, onlyFirst: 12, onlySecond: 2, neither: 0 } });
    within(interval.difference, 0.2);
    within(interval.lower, 0.0569);
    within(interval.upper, 0.3404);
  });

  it('Bentur et al. 2009 (1, 1, 7, 12): 0 ≤ AD − BC ≤ n/2 gives φ = 0: −0.2857 [−0.5069, −0.0256]', () => {
    // By hand: n = 21, p1 = 2/21 → Wilson [0.0265, 0.2890]; p2 = 8/21 → [0.2052, 0.5880]; L = −0.2857 − √(0.0687² + 0.2071²).
    const interval = newcombePairedInterval({ table: { both: 1, onlyFirst: 1, onlySecond: 7, neither: 12 } });
    within(interval.difference, -0.2857);
    within(interval.lower, -0.5069);
    within(interval.upper, -0.0256);
  });

  it('one discordant pair is nowhere near significant: −1 [−1, +0.1221]', () => {
    // n = 1: Wilson for 0/1 is [0, 0.7935] and for 1/1 [0.2065, 1]; a margin is empty so φ = 0; U = −1 + √(0.7935² + 0.7935²).
    const interval = newcombePairedInterval({ table: { both: 0, onlyFirst: 0, onlySecond: 1, neither: 0 } });
    expect(interval.difference).toBe(-1);
    expect(interval.lower).toBe(-1);
    within(interval.upper, 0.1221);
  });

  it('identical outcomes never collapse to zero width: (10, 0, 0, 10) → 0 [−0.0898, +0.0898]', () => {
    // p1 = p2 = 0.5 → Wilson [0.2993, 0.7007]; AD − BC = 100 > n/2 = 10, so φ = 90/100 = 0.9; √(2·0.2007²·(1 − 0.9)) = 0.0898.
    const interval = newcombePairedInterval({ table: { both: 10, onlyFirst: 0, onlySecond: 0, neither: 10 } });
    expect(interval.difference).toBe(0);
    within(interval.lower, -0.0898);
    within(interval.upper, 0.0898);
    const single = newcombePairedInterval({ table: { both: 0, onlyFirst: 0, onlySecond: 0, neither: 1 } });
    within(single.lower, -0.7935);
    within(single.upper, 0.7935);
  });

  it('takes weighted tables with fractional cells (an effective sample size), matching the whole-number table they scale', () => {
    const whole = newcombePairedInterval({ table: { both: 36, onlyFirst: 12, onlySecond: 2, neither: 0 } });
    const weighted = newcombePairedInterval({ table: { both: 36 * 1.5, onlyFirst: 12 * 1.5, onlySecond: 2 * 1.5, neither: 0 } });
    expect(weighted.difference).toBeCloseTo(whole.difference, 12);
    expect(weighted.upper - weighted.lower).toBeLessThan(whole.upper - whole.lower);
    const fractional = newcombePairedInterval({ table: { both: 2.5, onlyFirst: 0.25, onlySecond: 1.75, neither: 3.5 } });
    expect(fractional.lower).toBeLessThan(fractional.difference);
    expect(fractional.upper).toBeGreaterThan(fractional.difference);
  });

  it('narrows with the confidence level and rejects bad input', () => {
    const table = { both: 59, onlyFirst: 6, onlySecond: 16, neither: 80 };
    const ninety = newcombePairedInterval({ table, confidence: 0.9 });
    const ninetyFive = newcombePairedInterval({ table });
    expect(ninety.upper - ninety.lower).toBeLessThan(ninetyFive.upper - ninetyFive.lower);
    expect(() => newcombePairedInterval({ table: { both: 0, onlyFirst: 0, onlySecond: 0, neither: 0 } })).toThrow(StatisticsInputError);
    expect(() => newcombePairedInterval({ table: { ...table, both: -1 } })).toThrow(/table\.both/);
    expect(() => newcombePairedInterval({ table: { ...table, neither: Number.NaN } })).toThrow(StatisticsInputError);
    expect(() => newcombePairedInterval({ table, confidence: 1 })).toThrow(/confidence/);
  });
});
