import type { AnswerExtractor } from './answer-extractor.js';
import { parseSampleLine } from './parse-sample-line.js';
import { readOutcomeFields } from './read-outcome-fields.js';
import type { SampleLogIndex } from './sample-log-index.js';
import { visitIndexedLines } from './visit-indexed-lines.js';

/** Bits of {@link SampleFacts.flags}. */
export const sampleFlag = {
  /** The extracted answer equals the gold (the accuracy metric's test). */
  correct: 1,
  /** The sample failed after all retries (it has an `error`). */
  failed: 2,
  /** No answer was extracted: not one of the options A–D, or not what the dataset's answer format expects. */
  unextracted: 4,
  /** The log line is not a readable record. */
  unreadable: 8,
} as const;

/** Per-sample outcome bits of one (model, dataset) log, by position in its {@link SampleLogIndex}: what the filters need. */
export interface SampleFacts {
  readonly index: SampleLogIndex;
  readonly flags: Uint8Array;
  readonly correctCount: number;
  readonly failedCount: number;
  readonly unextractedCount: number;
}

const optionLetters = new Set(['A', 'B', 'C', 'D']);

/** Whether an extracted answer is one of the options A–D. */
export function isOptionLetter(answer: string): boolean {
  return optionLetters.has(answer);
}

/** Score every sample of a log once (one streaming pass, reading only the outcome fields of each line), with the dataset's extractor. */
export async function buildSampleFacts(options: { index: SampleLogIndex; extractor: AnswerExtractor }): Promise<SampleFacts> {
  const { index, extractor } = options;
  const flags = new Uint8Array(index.count).fill(sampleFlag.unreadable | sampleFlag.unextracted);
  let correctCount = 0;
  let failedCount = 0;
  let unextractedCount = index.count;
  await visitIndexedLines(index, (position, line) => {
    const record = readOutcomeFields(line.buffer.subarray(line.start, line.end)) ?? parseSampleLine(line.buffer.toString('utf8', line.start, line.end));
    if (!record || record.index !== index.sampleIndexes[position]) return;
    const extracted = extractor.extract(record);
    let bits = 0;
    if (extractor.correct?.(record) ?? extracted === record.gold) {
      bits |= sampleFlag.correct;
      correctCount += 1;
    }
    if (record.error !== undefined) {
      bits |= sampleFlag.failed;
      failedCount += 1;
    }
    if (extractor.found?.(extracted) ?? isOptionLetter(extracted)) unextractedCount -= 1;
    else bits |= sampleFlag.unextracted;
    flags[position] = bits;
  });
  return { index, flags, correctCount, failedCount, unextractedCount };
}
