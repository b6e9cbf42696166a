import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DataError } from '../spec/index.js';

/**
 * Read an RFC-4180 CSV file with a header row into records keyed by the header, in header order.
 * Quoted fields may hold commas, doubled quotes and newlines; rows may end in CRLF or LF.
 */
export async function readCsvRecords(path: string): Promise<Record<string, string>[]> {
  const content = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read ${path}: ${(error as Error).message}`, cause: error });
  });
  return parseCsvRecords(content, path);
}

export function parseCsvRecords(content: string, path: string): Record<string, string>[] {
  // OpenCompass opens the file in Python's text mode, whose universal newlines turn every CRLF or CR into LF,
  // also inside quoted fields; do the same so field text is byte-identical.
  const normalized = content.replace(/\r\n?/g, '\n');
  try {
    return parse(normalized, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw new DataError({ path, message: `${path} is not valid CSV: ${(error as Error).message}`, cause: error });
  }
}
