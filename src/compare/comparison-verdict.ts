import type { ComparisonVerdict } from './run-comparison.js';

/**
 * The plain-words verdict of one row. `significant` is decided by the caller (Holm-adjusted McNemar for datasets,
 * interval excluding 0 for groups); the direction is the sign of `difference` (B − A). The interval is shown as
 * magnitudes in the direction of the change: a difference of −1.2 with interval [−2.1, −0.3] reads
 * "B is lower by 1.2 points [0.3, 2.1]". One decimal.
 */
export function comparisonVerdict(options: { significant: boolean; difference: number; lower: number; upper: number }): ComparisonVerdict {
  const { significant, difference, lower, upper } = options;
  if (!significant || difference === 0) return { direction: 'none', text: 'no detectable difference' };
  const direction = difference < 0 ? 'lower' : 'higher';
  const [from, to] = direction === 'lower' ? [-upper, -lower] : [lower, upper];
  return { direction, text: `B is ${direction} by ${points(Math.abs(difference))} points [${points(from)}, ${points(to)}]` };
}

function points(value: number): string {
  // Avoid "-0.0" for tiny negative bounds.
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}
