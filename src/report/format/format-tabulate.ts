import { displayWidth } from './display-width.js';
import { formatPythonFloat } from './format-python-float.js';
import type { SummaryGrid } from './summary-table.js';

/** Options for {@link formatTabulate}. */
export interface FormatTabulateOptions {
  /**
   * tabulate's `floatfmt`, applied to every cell of a column whose cells all parse as numbers. Current
   * OpenCompass passes `'.2f'`; older releases called tabulate without it, i.e. with its default `'g'`, which
   * turns `'50.00'` into `'50'` and aligns the column on the decimal point.
   * @default '.2f'
   */
  readonly floatFormat?: string;
}

/**
 * The "tabulate format" block: Python `tabulate(grid, headers='firstrow', floatfmt=…)` in tabulate's default
 * `simple` style, as OpenCompass prints it to the console and the `.txt` file.
 *
 * - Columns are separated by two spaces; a rule of `-` as wide as each column follows the header; no border;
 *   every line is right-trimmed; no trailing newline. An empty grid gives `''`.
 * - A column is at least its header's width plus 2.
 * - Cells are typed the way tabulate parses strings: `True`/`False` are booleans, Python `int()`-able text is an
 *   int, Python `float()`-able text a float (`inf`, `-inf`, `nan` only in those spellings). A column is numeric
 *   when every cell is (one `'-'` makes it text).
 * - Text columns: cells trimmed, left-aligned, header left-aligned.
 * - Numeric columns: float columns are reformatted with `floatFormat`, int columns kept as written; cells are
 *   aligned on the decimal point (with `'.2f'` that is plain right alignment); header right-aligned.
 * - Width is display width ({@link displayWidth}): CJK characters count two columns.
 *
 * The grid should be rectangular, as `summaryToGrid` makes it. Short data rows get empty cells, as in tabulate; a
 * header shorter than the widest row is padded on the left (tabulate compares with the first data row only and
 * drops columns beyond it). Not reproduced: multi-line cells, ANSI colour codes, thousands separators (tabulate
 * 0.9 reads `1,234` as a number) and non-ASCII digits (Python's `int()` accepts them).
 */
export function formatTabulate(grid: SummaryGrid, options: FormatTabulateOptions = {}): string {
  const floatFormat = options.floatFormat ?? '.2f';
  const [firstRow, ...rows] = grid;
  if (firstRow === undefined) return '';
  const columnCount = rows.reduce((most, row) => Math.max(most, row.length), firstRow.length);
  const headers = [...Array<string>(columnCount - firstRow.length).fill(''), ...firstRow];
  const columns = headers.map((header, index) => {
    const cells = rows.map((row) => row[index]);
    return layoutColumn(header, cells, floatFormat);
  });
  const lines = [
    joinCells(columns.map((column) => column.header)),
    joinCells(columns.map((column) => '-'.repeat(column.width))),
    ...rows.map((_, rowIndex) => joinCells(columns.map((column) => column.cells[rowIndex] as string))),
  ];
  return lines.join('\n');
}

interface ColumnLayout {
  readonly width: number;
  readonly header: string;
  readonly cells: readonly string[];
}

type CellType = 'none' | 'bool' | 'int' | 'float' | 'text';

/** tabulate's order from least to most generic; a column takes the most generic type among its cells. */
const typeRank: Record<CellType, number> = { none: 0, bool: 1, int: 2, float: 3, text: 4 };

const minimumPadding = 2;

function layoutColumn(header: string, cells: readonly (string | undefined)[], floatFormat: string): ColumnLayout {
  // tabulate starts the fold from bool, so a column with no data rows is a (left-aligned) bool column.
  const columnType = cells.reduce<CellType>((generic, cell) => {
    const type = cellType(cell);
    return typeRank[type] > typeRank[generic] ? type : generic;
  }, 'bool');
  const isNumeric = columnType === 'int' || columnType === 'float';
  let texts = cells.map((cell) => formatCell(cell, columnType, floatFormat));
  if (isNumeric) {
    const decimals = texts.map(digitsAfterPoint);
    const mostDecimals = decimals.reduce((most, count) => Math.max(most, count), -1);
    texts = texts.map((text, index) => text + ' '.repeat(mostDecimals - (decimals[index] as number)));
  } else {
    texts = texts.map(stripPythonWhitespace);
  }
  const width = texts.reduce((widest, text) => Math.max(widest, displayWidth(text)), displayWidth(header) + minimumPadding);
  const pad = isNumeric ? padLeft : padRight;
  return { width, header: pad(header, width), cells: texts.map((text) => pad(text, width)) };
}

function cellType(cell: string | undefined): CellType {
  if (cell === undefined) return 'none';
  if (cell === 'True' || cell === 'False') return 'bool';
  if (isPythonInt(cell)) return 'int';
  if (isPythonNumber(cell)) return 'float';
  return 'text';
}

function formatCell(cell: string | undefined, columnType: CellType, floatFormat: string): string {
  if (cell === undefined) return '';
  // A bool cell in a float column makes Python's float() raise; keeping the text is the closest we can get.
  if (columnType !== 'float' || cellType(cell) === 'bool') return cell;
  return formatPythonFloat(parsePythonFloat(cell), floatFormat);
}

/** Characters after the decimal point (or after the `e` when there is none), -1 for ints and non-numbers. */
function digitsAfterPoint(text: string): number {
  if (!isPythonNumber(text) || isPythonInt(text)) return -1;
  let position = text.lastIndexOf('.');
  if (position < 0) position = text.toLowerCase().lastIndexOf('e');
  return position >= 0 ? text.length - position - 1 : -1;
}

// Python's str.isspace() set, which int(), float() and str.strip() use.
const space = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const digitPart = '\\d(?:_?\\d)*';
const intPattern = new RegExp(`^${space}*[+-]?${digitPart}${space}*$`);
const decimalPart = `(?:(?:${digitPart})?\\.${digitPart}|${digitPart}\\.?)(?:e[+-]?${digitPart})?`;
const floatPattern = new RegExp(`^${space}*[+-]?(?:${decimalPart}|inf|infinity|nan)${space}*$`, 'i');
const leadingSpace = new RegExp(`^${space}+`);
const trailingSpace = new RegExp(`${space}+$`);

function isPythonInt(text: string): boolean {
  return intPattern.test(text);
}

/** tabulate's `_isnumber`: `float()` accepts it, and it is finite unless spelled exactly `inf`, `-inf` or `nan`. */
function isPythonNumber(text: string): boolean {
  if (!floatPattern.test(text)) return false;
  return Number.isFinite(parsePythonFloat(text)) || ['inf', '-inf', 'nan'].includes(text.toLowerCase());
}

function parsePythonFloat(text: string): number {
  const core = stripPythonWhitespace(text).replaceAll('_', '').toLowerCase();
  const unsigned = core.replace(/^[+-]/, '');
  const sign = core.startsWith('-') ? -1 : 1;
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Infinity;
  if (unsigned === 'nan') return Number.NaN;
  return Number(core);
}

function stripPythonWhitespace(text: string): string {
  return text.replace(leadingSpace, '').replace(trailingSpace, '');
}

function padLeft(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function joinCells(cells: readonly string[]): string {
  return cells.join('  ').replace(trailingSpace, '');
}
