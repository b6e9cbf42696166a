import { open, stat } from 'node:fs/promises';
import type { SampleRecord } from '../store/index.js';
import { parseSampleLine } from './parse-sample-line.js';
import { scanLines, type ScannedLine } from './scan-lines.js';

/**
 * Where each sample's record sits in a per-sample log (`samples/<model>/<dataset>.jsonl`), built by one streaming
 * scan, so a page of samples is read with one small read per line instead of loading the log. Samples are kept in
 * ascending index order; "position" p means entry p of every array. As in `readSampleLog`, a later record of an
 * index replaces an earlier one, and a torn last line is ignored.
 */
export interface SampleLogIndex {
  readonly path: string;
  /** Bytes of the file that were indexed, and its modification time then: a file that differs needs a new index. */
  readonly size: number;
  readonly mtimeMs: number;
  /** Number of distinct samples. */
  readonly count: number;
  /** Sample indexes, ascending. */
  readonly sampleIndexes: Float64Array;
  /** Byte offset of each sample's line. */
  readonly starts: Float64Array;
  /** Byte length of each sample's line, without the `\n`. */
  readonly lengths: Float64Array;
}

/** A sample as read back for display: its record, or the raw line when the line is not a readable record. */
export type LoggedSample =
  | { readonly kind: 'record'; readonly position: number; readonly record: SampleRecord }
  | { readonly kind: 'unreadable'; readonly position: number; readonly sampleIndex: number; readonly text: string };

const indexPrefix = Buffer.from('{"index":');
const digitZero = 0x30;
const closingBrace = 0x7d;

/** The `index` of a line written by `JSON.stringify(record)` (it comes first), read from the bytes without parsing. */
function fastIndex(line: ScannedLine): number | undefined {
  const { buffer, start, end } = line;
  if (end - start < indexPrefix.length + 2 || buffer[end - 1] !== closingBrace) return undefined;
  if (buffer.compare(indexPrefix, 0, indexPrefix.length, start, start + indexPrefix.length) !== 0) return undefined;
  let value = 0;
  let at = start + indexPrefix.length;
  const firstDigit = at;
  for (; at < end; at += 1) {
    const digit = (buffer[at] as number) - digitZero;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  const next = buffer[at];
  if (at === firstDigit || at - firstDigit > 15 || (next !== 0x2c && next !== closingBrace)) return undefined;
  return value;
}

/** Build the index of one log with a single streaming scan. A missing file is an empty log. */
export async function buildSampleLogIndex(path: string): Promise<SampleLogIndex> {
  const stats = await stat(path).catch(() => undefined);
  if (!stats) return { path, size: 0, mtimeMs: 0, count: 0, sampleIndexes: new Float64Array(), starts: new Float64Array(), lengths: new Float64Array() };
  const latestLine = new Map<number, { start: number; length: number }>();
  const size = await scanLines({
    path,
    onLine: (line) => {
      let index = line.terminated ? fastIndex(line) : undefined;
      if (index === undefined) {
        if (line.end === line.start) return;
        index = parseSampleLine(line.buffer.toString('utf8', line.start, line.end))?.index;
      }
      if (index !== undefined) latestLine.set(index, { start: line.offset, length: line.end - line.start });
    },
  });
  const sampleIndexes = Float64Array.from(latestLine.keys()).sort();
  const starts = new Float64Array(sampleIndexes.length);
  const lengths = new Float64Array(sampleIndexes.length);
  sampleIndexes.forEach((sampleIndex, position) => {
    const line = latestLine.get(sampleIndex) as { start: number; length: number };
    starts[position] = line.start;
    lengths[position] = line.length;
  });
  return { path, size, mtimeMs: stats.mtimeMs, count: sampleIndexes.length, sampleIndexes, starts, lengths };
}

/** The position of a sample index in the log, or -1 (binary search). */
export function positionOfSample(index: SampleLogIndex, sampleIndex: number): number {
  let low = 0;
  let high = index.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = index.sampleIndexes[middle] as number;
    if (value === sampleIndex) return middle;
    if (value < sampleIndex) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Read the records at some positions (one read per line), in the order given. */
export async function readLoggedSamples(index: SampleLogIndex, positions: readonly number[]): Promise<LoggedSample[]> {
  if (positions.length === 0) return [];
  const handle = await open(index.path, 'r');
  try {
    return await Promise.all(
      positions.map(async (position): Promise<LoggedSample> => {
        const length = index.lengths[position] as number;
        const buffer = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(buffer, 0, length, index.starts[position] as number);
        const text = buffer.toString('utf8', 0, bytesRead);
        const record = parseSampleLine(text);
        const sampleIndex = index.sampleIndexes[position] as number;
        return record && record.index === sampleIndex ? { kind: 'record', position, record } : { kind: 'unreadable', position, sampleIndex, text };
      }),
    );
  } finally {
    await handle.close();
  }
}
