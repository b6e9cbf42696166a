import { readFile } from 'node:fs/promises';
import { DataError } from '../spec/index.js';
import { formatJsonFile, writeFileAtomic } from '../utils/atomic-write.js';
import type { SampleRecord } from './sample-log.js';

/** An entry of OpenCompass's gen-mode predictions file (`gold` only when non-empty, as OpenCompass writes it). */
export interface PredictionEntry {
  readonly origin_prompt: unknown;
  readonly prediction: string;
  readonly gold?: string;
  /** sextant: why the sample failed (absent for successful samples). */
  readonly error?: string;
  /** PPL mode: the rendered in-context examples, and one `label: X` entry per label. */
  readonly 'in-context examples'?: string;
  readonly [labelKey: `label: ${string}`]: PplLabelEntry;
}

/** PPL mode: one label's entry (`label: A`), as OpenCompass's `PPLInferencer` writes it. */
export interface PplLabelEntry {
  readonly 'testing input': string;
  readonly prompt: string;
  readonly PPL: number;
  readonly BPB: number;
}

/**
 * Write `predictions/<model>/<dataset>.json`: keys "0".."N-1" in split order, in OpenCompass's gen layout, or for
 * PPL samples its PPL layout (`in-context examples`, `origin_prompt`, `label: X` entries, `prediction`, `gold`). Atomic.
 */
export async function writePredictionsFile(path: string, records: readonly SampleRecord[]): Promise<void> {
  const entries: Record<string, PredictionEntry> = {};
  for (const record of [...records].sort((left, right) => left.index - right.index)) {
    const labelEntries = Object.fromEntries(
      (record.labels ?? []).map((entry) => [`label: ${entry.label}`, { 'testing input': entry.testingInput, prompt: entry.prompt, PPL: entry.ppl, BPB: entry.bpb }]),
    );
    entries[String(record.index)] = {
      ...(record.inContextExamples !== undefined ? { 'in-context examples': record.inContextExamples } : {}),
      origin_prompt: record.originPrompt,
      ...labelEntries,
      prediction: record.prediction,
      ...(record.gold ? { gold: record.gold } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
    };
  }
  await writeFileAtomic(path, formatJsonFile(entries));
}

export async function readPredictionsFile(path: string): Promise<Record<string, PredictionEntry>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `no predictions at ${path}: run inference first (--mode infer or all)`, cause: error });
  });
  return JSON.parse(text) as Record<string, PredictionEntry>;
}

/** OpenCompass's results file for an accuracy dataset, with sextant's `failed` count beside `accuracy`. */
export interface AccuracyResults {
  readonly accuracy: number;
  /** Samples that failed after all retries (scored as wrong, never dropped from the denominator). */
  readonly failed: number;
  /** The accuracy's 95% Wilson interval, in points. */
  readonly accuracy_ci95?: { readonly method: 'wilson'; readonly lower: number; readonly upper: number };
  readonly details: Record<string, unknown> & { readonly type: 'GEN' | 'PPL' };
}

export async function writeResultsFile(path: string, results: AccuracyResults): Promise<void> {
  await writeFileAtomic(path, formatJsonFile(results));
}

export async function readResultsFile(path: string): Promise<AccuracyResults | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as AccuracyResults);
}
