import { formatPythonFloat } from '../format/index.js';
import { escapeHtml } from './escape-html.js';

/** A score in points as the summary files write it (`'{:.2f}'`, half-to-even), or `-` when missing. */
export function formatPoints(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : formatPythonFloat(value, '.2f');
}

/** The inner HTML of a score cell: `45.45` and, when there is one, its interval `[25.87, 66.67]`. */
export function scoreCellHtml(value: number | undefined, interval: { lower: number; upper: number } | undefined): string {
  const score = `<span class="score">${escapeHtml(formatPoints(value))}</span>`;
  if (value === undefined || !interval) return score;
  return `${score}<span class="ci">[${formatPoints(interval.lower)}, ${formatPoints(interval.upper)}]</span>`;
}

/** A share as `97.50% (39/40)`, or `-` for no samples. */
export function formatRate(part: number, total: number): string {
  return total === 0 ? '-' : `${formatPoints((100 * part) / total)}% (${part}/${total})`;
}
