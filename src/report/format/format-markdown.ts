import type { SummaryGrid } from './summary-table.js';

/**
 * The `.md` summary file: `| a | b |` rows, with the separator `|----- | -----|` (OpenCompass's spacing: no space
 * after the first `|` or before the last), every line ending in `\n`. Cells are not escaped. An empty grid gives
 * an empty string.
 */
export function formatMarkdown(grid: SummaryGrid): string {
  const [header, ...rows] = grid;
  if (header === undefined) return '';
  const separator = `|${Array.from(header, () => '-----').join(' | ')}|\n`;
  return [header, ...rows].map((row, index) => `| ${row.join(' | ')} |\n${index === 0 ? separator : ''}`).join('');
}
