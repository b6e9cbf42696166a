import type { SummaryGrid } from './summary-table.js';

/** Options for {@link formatCsv}. */
export interface FormatCsvOptions {
  /**
   * Replace commas inside cells with spaces, as OpenCompass does for the `.csv` file. Its `.txt` "csv format" block
   * writes cells unchanged.
   * @default true
   */
  readonly replaceCommas?: boolean;
}

/**
 * The `.csv` summary file: cells joined by `,`, rows by `\n`, and a final newline. No quoting or escaping, exactly
 * as OpenCompass writes it.
 */
export function formatCsv(grid: SummaryGrid, options: FormatCsvOptions = {}): string {
  const replaceCommas = options.replaceCommas ?? true;
  const lines = grid.map((row) => row.map((cell) => (replaceCommas ? cell.replaceAll(',', ' ') : cell)).join(','));
  return `${lines.join('\n')}\n`;
}
