import type { ComparisonVerdict } from './run-comparison.js';

/**
 * The plain-words verdict of one row, in points. "not enough data" when the row has fewer than `minimumPairs`
 * paired samples (no outcome could be significant); a direction only when the paired test rejects (`pValue` ≤
 * `alpha`; Holm-adjusted for datasets) AND the interval excludes 0 on that side; otherwise "no detectable
 * difference". The interval is shown as magnitudes in the direction of the change: a difference of −1.2 with interval
 * [−2.1, −0.3] reads "B is lower by 1.2 points [0.3, 2.1]". One decimal.
 */
export function comparisonVerdict(options: {
  samples: number;
  minimumPairs: number;
  pValue: number;
  alpha: number;
  difference: number;
  lower: number;
  upper: number;
}): ComparisonVerdict {
  const { samples, minimumPairs, pValue, alpha, difference, lower, upper } = options;
  if (samples < minimumPairs) {
    return { direction: 'not-enough-data', text: `not enough data (${samples} paired; a verdict needs ≥ ${minimumPairs})` };
  }
  const direction = pValue > alpha ? 'none' : upper < 0 ? 'lower' : lower > 0 ? 'higher' : 'none';
  if (direction === 'none') return { direction, text: 'no detectable difference' };
  const [from, to] = direction === 'lower' ? [-upper, -lower] : [lower, upper];
  return { direction, text: `B is ${direction} by ${points(Math.abs(difference))} points [${points(from)}, ${points(to)}]` };
}

function points(value: number): string {
  // Avoid "-0.0" for tiny negative bounds.
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}
