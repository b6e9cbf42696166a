import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DataError } from '../spec/index.js';

/**
 * Read an RFC-4180 CSV file with a header row into records keyed by the header, in header order.
 * Quoted fields may hold commas, doubled quotes and newlines; rows may end in CRLF or LF.
 *
 * Data that would be silently wrong is refused before anything is sent, with a {@link DataError} naming the file
 * and line: bytes that are not UTF-8 (a Latin-1 or GBK file), an empty file, a header without rows, a header that
 * names a column twice, a row with more or fewer fields than the header, and a file that ends inside a row (cut
 * after a comma). Which columns and values a benchmark needs is the benchmark's to check.
 */
export async function readCsvRecords(path: string): Promise<Record<string, string>[]> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new DataError({ path, message: `cannot read ${path}: ${(error as Error).message}`, cause: error });
  });
  return parseCsvRecords(decodeUtf8(bytes, path), path);
}

export function parseCsvRecords(content: string, path: string): Record<string, string>[] {
  // OpenCompass opens the file in Python's text mode, whose universal newlines turn every CRLF or CR into LF,
  // also inside quoted fields; do the same so field text is byte-identical.
  const normalized = content.replace(/\r\n?/g, '\n');
  if (normalized.replace(/^\uFEFF/, '').trim() === '') throw new DataError({ path, message: `${path} is empty: expected a header row and data rows` });
  let records: Record<string, string>[];
  try {
    records = parse(normalized, {
      columns: (header: string[]) => checkedHeader(header, path),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    });
  } catch (error) {
    if (DataError.isInstance(error)) throw error;
    throw new DataError({ path, message: `${path} is not valid CSV: ${(error as Error).message}`, cause: error });
  }
  if (records.length === 0) throw new DataError({ path, message: `${path} has a header but no rows` });
  // A file cut short after a comma still parses (its last field is simply empty): the missing newline gives it away.
  const lastLine = normalized.slice(normalized.lastIndexOf('\n', normalized.length - 2) + 1);
  if (!normalized.endsWith('\n') && lastLine.endsWith(',')) {
    const line = normalized.split('\n').length;
    throw new DataError({ path, message: `${path} line ${line} ends with a comma and no newline: the file looks cut short inside its last row` });
  }
  return records;
}

function checkedHeader(header: string[], path: string): string[] {
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError({ path, message: `${path} line 1: column "${name}" appears twice in the header (columns ${first + 1} and ${index + 1})` });
    }
    seen.set(name, index);
  });
  return header;
}

/** The file's text, decoded strictly: invalid UTF-8 is a {@link DataError} naming the line and byte offset. */
function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).reduce((count, byte) => count + (byte === 0x0a ? 1 : 0), 1);
    throw new DataError({
      path,
      message: `${path} line ${line} (byte ${offset}) is not UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')}): save the file as UTF-8 (it may be Latin-1 or GBK)`,
      cause: error,
    });
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Buffer): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const extra = lead < 0x80 ? 0 : lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : -1;
    if (extra < 0 || index + extra >= bytes.length + (extra === 0 ? 1 : 0)) return index;
    const second = bytes[index + 1] ?? 0;
    if (extra > 0) {
      // Overlong forms and surrogates are ill-formed too.
      const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
      const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
      if (second < low || second > high) return index;
      for (let next = 2; next <= extra; next += 1) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    }
    index += extra + 1;
  }
  return 0;
}
