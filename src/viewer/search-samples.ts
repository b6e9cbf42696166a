import { parseSampleLine } from './parse-sample-line.js';
import { promptTurns } from './prompt-turns.js';
import type { SampleLogIndex } from './sample-log-index.js';
import { visitIndexedLines } from './visit-indexed-lines.js';

/** Whether lower-casing can map some character of the text to a different one in a way a raw-line pre-check could miss. */
function hasCaseBeyondAscii(text: string): boolean {
  for (const character of text) {
    if (character.charCodeAt(0) > 0x7f && character.toLowerCase() !== character.toUpperCase()) return true;
  }
  return false;
}

/**
 * Positions of the samples whose prompt or raw prediction contains `query`, ignoring case, in one streaming pass.
 * A raw line that cannot contain the query's JSON-escaped form is passed over without parsing.
 */
export async function searchSamples(options: { index: SampleLogIndex; query: string }): Promise<Int32Array> {
  const needle = options.query.toLowerCase();
  const escapedNeedle = hasCaseBeyondAscii(options.query) ? undefined : JSON.stringify(needle).slice(1, -1);
  const matches: number[] = [];
  await visitIndexedLines(options.index, (position, text) => {
    // The pre-check holds for lines as JSON.stringify writes them; a line with \u escapes is always parsed.
    if (escapedNeedle !== undefined && !text.includes('\\u') && !text.toLowerCase().includes(escapedNeedle)) return;
    const record = parseSampleLine(text);
    if (!record) return;
    const haystacks = [record.prediction, ...promptTurns(record.originPrompt).map((turn) => turn.text)];
    if (haystacks.some((haystack) => haystack.toLowerCase().includes(needle))) matches.push(position);
  });
  return Int32Array.from(matches).sort();
}
