import { formatCsv } from './format-csv.js';
import { formatMarkdown } from './format-markdown.js';
import { formatRawResults, type RawModelResults } from './format-raw-results.js';
import { formatTabulate } from './format-tabulate.js';
import type { SummaryGrid } from './summary-table.js';

/** Input of {@link formatSummaryText}. */
export interface SummaryTextInput {
  /** The run's launch time as OpenCompass writes it, `YYYYmmdd_HHMMSS`. */
  readonly timeString: string;
  /** The table, header first (see `summaryToGrid`); the csv block always shows it as is. */
  readonly grid: SummaryGrid;
  /** The table for the tabulate and markdown blocks, when it differs (sextant shows 95% intervals there). */
  readonly displayGrid?: SummaryGrid;
  /** Raw results per model, for the "raw format" block. */
  readonly raw: readonly RawModelResults[];
  /**
   * tabulate's `floatfmt` for the first block: `'.2f'` in current OpenCompass, `'g'` (tabulate's default) in
   * older releases.
   * @default '.2f'
   */
  readonly tabulateFloatFormat?: string;
  /**
   * Whether the "markdown format" block is written. Current OpenCompass writes it; older releases did not
   * (the csv block is then followed directly by the divider before the raw block).
   * @default true
   */
  readonly includeMarkdown?: boolean;
}

const caretLine = '^'.repeat(128);
const dollarLine = '$'.repeat(128);
const dividerLine = `${'-'.repeat(128)} THIS IS A DIVIDER ${'-'.repeat(128)}`;

/**
 * The `summary_<time>.txt` file, byte for byte as OpenCompass's `DefaultSummarizer` writes it:
 *
 * ```text
 * <time>
 * tabulate format
 * ^^^…
 * <tabulate table>
 * $$$…
 *
 * ----… THIS IS A DIVIDER ----…
 *
 * csv format
 * ^^^…
 * <csv rows, commas inside cells kept>
 * $$$…
 *
 * markdown format
 * ^^^…
 * <markdown table>
 *
 * $$$…
 * ----… THIS IS A DIVIDER ----…
 *
 * raw format
 * ^^^…
 * <raw results>
 * $$$…
 * ```
 *
 * The blank line inside the markdown block and the missing blank line before the second divider are OpenCompass's.
 * Without the markdown block the csv block is followed directly by the divider.
 */
export function formatSummaryText(input: SummaryTextInput): string {
  const display = input.displayGrid ?? input.grid;
  const tabulate = formatTabulate(display, { floatFormat: input.tabulateFloatFormat ?? '.2f' });
  const includeMarkdown = input.includeMarkdown ?? true;
  const markdownBlock = includeMarkdown ? `markdown format\n${caretLine}\n${formatMarkdown(display)}\n${dollarLine}\n` : '';
  return (
    `${input.timeString}\n` +
    `tabulate format\n${caretLine}\n${tabulate}\n${dollarLine}\n\n` +
    `${dividerLine}\n\n` +
    `csv format\n${caretLine}\n${formatCsv(input.grid, { replaceCommas: false })}${dollarLine}\n\n` +
    markdownBlock +
    `${dividerLine}\n\n` +
    `raw format\n${caretLine}\n${formatRawResults(input.raw)}\n${dollarLine}\n`
  );
}
