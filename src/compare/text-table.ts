import { displayWidth, formatMarkdown } from '../report/format/index.js';

/** A table of preformatted cells; `rightAligned[i]` right-aligns column i in the terminal rendering. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly rightAligned: readonly boolean[];
}

/**
 * Renders a table for the terminal: columns separated by two spaces, a dashed rule under the header, widths by
 * display width (CJK counts 2), lines right-trimmed. Cells are used as given (no number re-formatting).
 */
export function formatTextTable(table: TextTable): string {
  const widths = table.header.map((header, column) =>
    table.rows.reduce((widest, row) => Math.max(widest, displayWidth(row[column] ?? '')), displayWidth(header)),
  );
  const line = (cells: readonly string[]) =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        const padding = ' '.repeat(Math.max(0, width - displayWidth(cell)));
        return table.rightAligned[column] ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  return [line(table.header), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n');
}

/** Renders a table as Markdown, escaping `|` and line breaks in cells. */
export function formatMarkdownTable(table: TextTable): string {
  const escape = (cell: string) => cell.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '⏎');
  return formatMarkdown([table.header, ...table.rows].map((row) => row.map(escape)));
}
