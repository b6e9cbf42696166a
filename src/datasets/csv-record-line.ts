import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

/**
 * The 1-based line on which the `recordIndex`-th data record (0-based, header excluded) of a CSV file starts, for
 * error messages; records may span lines (quoted newlines). Only called on the error path: it reads the file again.
 */
export async function csvRecordLine(path: string, recordIndex: number): Promise<number | undefined> {
  const content = await readFile(path, 'utf8').catch(() => undefined);
  if (content === undefined) return undefined;
  try {
    const rows = parse(content.replace(/\r\n?/g, '\n'), { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Array<{
      info: { lines: number };
      record: unknown;
    }>;
    // rows[0] is the header; a record's `info.lines` is the line it ends on, so the start is the previous end + 1.
    const previous = rows[recordIndex];
    return previous === undefined ? undefined : previous.info.lines + 1;
  } catch {
    return undefined;
  }
}
