import { parseSampleLine } from './parse-sample-line.js';
import { promptTurns } from './prompt-turns.js';
import type { SampleLogIndex } from './sample-log-index.js';
import type { ScannedLine } from './scan-lines.js';
import { visitIndexedLines } from './visit-indexed-lines.js';

const unicodeEscape = Buffer.from('\\u');

/** Whether some character of the text has upper and lower case forms (so a byte comparison cannot ignore case). */
function hasCase(text: string): boolean {
  return text.toLowerCase() !== text.toUpperCase();
}

/**
 * Whether a raw line can contain the query, checked before parsing. For lines as `JSON.stringify` writes them, text
 * containing the query means the line contains the query's JSON-escaped form; lines with `\u` escapes are always parsed.
 */
function lineMayContain(line: ScannedLine, escapedNeedle: Buffer | undefined, escapedLowerNeedle: string): boolean {
  const bytes = line.buffer.subarray(line.start, line.end);
  if (bytes.includes(unicodeEscape)) return true;
  if (escapedNeedle) return bytes.includes(escapedNeedle);
  return bytes.toString('utf8').toLowerCase().includes(escapedLowerNeedle);
}

/** Positions of the samples whose prompt or raw prediction contains `query`, ignoring case, in one streaming pass. */
export async function searchSamples(options: { index: SampleLogIndex; query: string }): Promise<Int32Array> {
  const needle = options.query.toLowerCase();
  const escapedLowerNeedle = JSON.stringify(needle).slice(1, -1);
  // Text without case (CJK, digits) is compared as bytes, so most lines are never decoded.
  const escapedNeedle = hasCase(options.query) ? undefined : Buffer.from(escapedLowerNeedle);
  const matches: number[] = [];
  await visitIndexedLines(options.index, (position, line) => {
    if (!lineMayContain(line, escapedNeedle, escapedLowerNeedle)) return;
    const record = parseSampleLine(line.buffer.toString('utf8', line.start, line.end));
    if (!record) return;
    const haystacks = [record.prediction, ...promptTurns(record.originPrompt).map((turn) => turn.text)];
    if (haystacks.some((haystack) => haystack.toLowerCase().includes(needle))) matches.push(position);
  });
  return Int32Array.from(matches).sort();
}
