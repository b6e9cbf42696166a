import { describe, expect, it } from 'vitest';
import { percentileInterval } from './_stratified-bootstrap.js';

describe('percentileInterval', () => {
  it('interpolates linearly between order statistics (Hyndman–Fan type 7, numpy’s default)', () => {
    // By hand: n = 5, q = 0.25 → position 1 → 2; q = 0.75 → position 3 → 4 (input unsorted on purpose).
    expect(percentileInterval(Float64Array.of(5, 1, 4, 2, 3), 0.5)).toEqual({ lower: 2, upper: 4 });
    // By hand: n = 2, q = 0.05 → position 0.05 → 0.5; q = 0.95 → 9.5.
    const interval = percentileInterval(Float64Array.of(10, 0), 0.9);
    expect(interval.lower).toBeCloseTo(0.5, 12);
    expect(interval.upper).toBeCloseTo(9.5, 12);
    expect(percentileInterval(Float64Array.of(7), 0.95)).toEqual({ lower: 7, upper: 7 });
  });
});
