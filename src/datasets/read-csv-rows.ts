import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DataError } from '../spec/index.js';

/** One CSV record as Python's `csv.reader` yields it, with the 1-based line of the file where it starts. */
export interface CsvRow {
  readonly fields: readonly string[];
  readonly line: number;
}

/**
 * Read a CSV file as positional rows, every row kept (a header too: the caller skips it), as Python's `csv.reader`
 * over a file opened in text mode: universal newlines turn CRLF and CR into LF, also inside quoted fields. Rows may
 * have any number of fields; loaders check the count and name the line.
 */
export async function readCsvRows(path: string): Promise<CsvRow[]> {
  const content = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read ${path}: ${(error as Error).message}`, cause: error });
  });
  return parseCsvRows(content, path);
}

export function parseCsvRows(content: string, path: string): CsvRow[] {
  const normalized = content.replace(/\r\n?/g, '\n');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(normalized, { bom: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new DataError({ path, message: `${path} is not valid CSV: ${(error as Error).message}`, cause: error });
  }
  let nextLine = 1;
  return records.map(({ record, info }) => {
    const row = { fields: record, line: nextLine };
    nextLine = info.lines + 1;
    return row;
  });
}

/** A {@link DataError} for one row: `path:line: message`. */
export function rowError(options: { path: string; line: number; message: string }): DataError {
  return new DataError({ path: options.path, message: `${options.path}:${options.line}: ${options.message}` });
}
