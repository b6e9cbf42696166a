import { readFile } from 'node:fs/promises';
import { DataError, type JsonValue } from '../spec/index.js';
import { formatJsonFile, writeFileAtomic } from '../utils/atomic-write.js';
import type { SampleRecord } from './sample-log.js';

/** An entry of OpenCompass's gen-mode predictions file (`gold` only when non-empty, as OpenCompass writes it). */
export interface PredictionEntry {
  readonly origin_prompt: unknown;
  readonly prediction: string;
  /** The reference as the loader gives it (a label, a text, a list of answers); absent when it is `''`. */
  readonly gold?: JsonValue;
  /** sextant: why the sample failed (absent for successful samples). */
  readonly error?: string;
  /** sextant: in-context examples kept under `maxSeqLen` (absent without a token budget). */
  readonly examples_kept?: number;
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
      (record.labels ?? []).map((entry) => [
        `label: ${entry.label}`,
        { 'testing input': entry.testingInput, prompt: entry.prompt, PPL: entry.ppl, BPB: entry.bpb },
      ]),
    );
    entries[String(record.index)] = {
      ...(record.inContextExamples !== undefined ? { 'in-context examples': record.inContextExamples } : {}),
      origin_prompt: record.originPrompt,
      ...labelEntries,
      prediction: record.prediction,
      // OpenCompass leaves out an empty gold (the unlabelled test split); every other reference is kept, 0 included.
      ...(record.gold !== '' && record.gold !== null && record.gold !== undefined ? { gold: record.gold } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      // sextant's: how many in-context examples `maxSeqLen` left in the prompt.
      ...(record.examplesKept !== undefined ? { examples_kept: record.examplesKept } : {}),
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

/**
 * OpenCompass's results file (`results/<model>/<dataset>.json`): the evaluator's metrics (× 100) at top level in its
 * order, sextant's `failed` count, a 95% interval per per-sample 0/1 metric as a nested object (`accuracy_ci95`;
 * nested, so OpenCompass's summarizer, which reads numeric fields as metrics, passes over it) and `details`.
 * An evaluator failure is stored as `{"error": …}`, as OpenCompass stores it.
 */
export interface DatasetResults {
  readonly [field: string]: unknown;
  /**
   * Samples that failed after all retries (scored as wrong, never dropped from the denominator). Where the
   * evaluator itself reports a metric named `failed` (MBPP's programs that raised), this count is `failed_samples`
   * instead and `failed` is that metric: read it with `failedSampleCount` (metrics/).
   */
  readonly failed: number;
  readonly failed_samples?: number;
  readonly details: ResultDetails;
}

/** `details`: `type` plus one entry per sample index (`"0"`…), each with at least `correct` when the evaluator scores per sample. */
export type ResultDetails = Record<string, unknown> & { readonly type: 'GEN' | 'PPL' };

/** A metric's 95% interval, in points (`<metric>_ci95`). */
export interface MetricInterval {
  readonly method: 'wilson';
  readonly lower: number;
  readonly upper: number;
}

/** @deprecated the name from when every dataset scored `accuracy`; use {@link DatasetResults}. */
export type AccuracyResults = DatasetResults;

export async function writeResultsFile(path: string, results: DatasetResults): Promise<void> {
  await writeFileAtomic(path, formatJsonFile(results));
}

export async function readResultsFile(path: string): Promise<DatasetResults | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as DatasetResults);
}
