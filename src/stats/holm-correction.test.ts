import { describe, expect, it } from 'vitest';
import { holmCorrection } from './holm-correction.js';
import { StatisticsInputError } from './statistics-input-error.js';

const expectAllClose = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 15));
};

describe('holmCorrection', () => {
  it('[0.01, 0.04, 0.03, 0.005] → [0.03, 0.06, 0.06, 0.02] in input order', () => {
    // By hand, sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
    expectAllClose(holmCorrection([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  });

  it('enforces monotonicity and caps at 1', () => {
    // By hand: 0.05, 0.08, 0.09, max(0.09, 0.08) = 0.09, max(0.09, 0.05) = 0.09.
    expectAllClose(holmCorrection([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05, 0.08, 0.09, 0.09, 0.09]);
    // By hand: 0.4·3 = 1.2 → 1, then max(1, ·) = 1.
    expectAllClose(holmCorrection([0.6, 0.4, 0.5]), [1, 1, 1]);
  });

  it('gives tied inputs equal outputs and leaves the input untouched', () => {
    const pValues = Object.freeze([0.02, 0.01, 0.02]);
    // By hand: 0.01·3 = 0.03, 0.02·2 = 0.04, max(0.04, 0.02·1) = 0.04.
    expectAllClose(holmCorrection(pValues), [0.04, 0.03, 0.04]);
    expect(pValues).toEqual([0.02, 0.01, 0.02]);
  });

  it('handles empty and single inputs', () => {
    expect(holmCorrection([])).toEqual([]);
    expect(holmCorrection([0.2])).toEqual([0.2]);
  });

  it('rejects values outside [0, 1]', () => {
    for (const pValues of [[0.1, 1.2], [-0.01], [Number.NaN]]) expect(() => holmCorrection(pValues)).toThrow(StatisticsInputError);
  });
});
