import { normalQuantile } from './normal-quantile.js';
import { StatisticsInputError } from './statistics-input-error.js';
import { validateConfidence } from './_validate-options.js';
import { wilsonBounds } from './_wilson-bounds.js';

/**
 * A paired 2×2 table of two binary outcomes per item (e.g. run B and run A correct on each question). Counts are
 * usually whole numbers; weighted tables (cell proportions × an effective sample size) may have fractional cells.
 */
export interface PairedTable {
  /** Items where both outcomes are 1. */
  both: number;
  /** Items where only the first outcome is 1. */
  onlyFirst: number;
  /** Items where only the second outcome is 1. */
  onlySecond: number;
  /** Items where both outcomes are 0. */
  neither: number;
}

/** A difference of two proportions (first − second) with its confidence interval, all as proportions in [−1, 1]. */
export interface ProportionDifferenceInterval {
  difference: number;
  lower: number;
  upper: number;
}

/**
 * Newcombe's score interval for the difference between two paired proportions (Newcombe 1998, Stat Med 17:2635,
 * method 10; the "square-and-add" interval of Fagerland, Lydersen & Laake 2017, §8): with p1, p2 the two marginal
 * proportions, (l1, u1), (l2, u2) their Wilson score intervals and φ the correlation of the table,
 *
 *   L = (p1 − p2) − √((p1 − l1)² − 2φ(p1 − l1)(u2 − p2) + (u2 − p2)²)
 *   U = (p1 − p2) + √((p2 − l2)² − 2φ(p2 − l2)(u1 − p1) + (u1 − p1)²)
 *
 * where φ = (AD − BC − n/2)/√(row and column totals' product) when AD − BC > n/2, 0 when 0 ≤ AD − BC ≤ n/2,
 * (AD − BC)/√(…) when AD − BC < 0, and 0 when any margin is empty. Unlike a bootstrap it never collapses to zero width
 * (identical outcomes still give an interval around 0 whose width shrinks with n), stays inside [−1, 1], and keeps close
 * to nominal coverage down to a handful of pairs. O(1).
 *
 * @throws {StatisticsInputError} for a negative or non-finite cell, an empty table, or confidence outside (0, 1).
 */
export function newcombePairedInterval(options: { table: PairedTable; confidence?: number }): ProportionDifferenceInterval {
  const { table } = options;
  const confidence = options.confidence ?? 0.95;
  validateConfidence(confidence);
  for (const cell of ['both', 'onlyFirst', 'onlySecond', 'neither'] as const) {
    const value = table[cell];
    if (!(Number.isFinite(value) && value >= 0))
      throw new StatisticsInputError({ parameter: `table.${cell}`, message: `must be a finite count ≥ 0, got ${value}` });
  }
  const n = table.both + table.onlyFirst + table.onlySecond + table.neither;
  if (!(n > 0)) throw new StatisticsInputError({ parameter: 'table', message: 'must hold at least one item' });
  const z = quantileOf(confidence);
  const firstTotal = table.both + table.onlyFirst;
  const secondTotal = table.both + table.onlySecond;
  const p1 = firstTotal / n;
  const p2 = secondTotal / n;
  const difference = (table.onlyFirst - table.onlySecond) / n;
  const first = wilsonBounds({ proportion: p1, trials: n, z });
  const second = wilsonBounds({ proportion: p2, trials: n, z });
  const phi = correctedPhi(table, n, firstTotal, secondTotal);
  const below = (x: number, y: number) => Math.sqrt(Math.max(0, x * x - 2 * phi * x * y + y * y));
  return {
    difference,
    lower: Math.max(-1, difference - below(p1 - first.lower, second.upper - p2)),
    upper: Math.min(1, difference + below(p2 - second.lower, first.upper - p1)),
  };
}

/** The normal quantile of the last confidence level asked for (comparisons ask for one level thousands of times). */
let lastQuantile = { confidence: Number.NaN, z: Number.NaN };
function quantileOf(confidence: number): number {
  if (lastQuantile.confidence !== confidence) lastQuantile = { confidence, z: normalQuantile((1 + confidence) / 2) };
  return lastQuantile.z;
}

function correctedPhi(table: PairedTable, n: number, firstTotal: number, secondTotal: number): number {
  const product = firstTotal * (n - firstTotal) * secondTotal * (n - secondTotal);
  if (!(product > 0)) return 0;
  const cross = table.both * table.neither - table.onlyFirst * table.onlySecond;
  if (cross > n / 2) return (cross - n / 2) / Math.sqrt(product);
  if (cross >= 0) return 0;
  return cross / Math.sqrt(product);
}
