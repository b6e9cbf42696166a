import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactText, type JsonValue } from '../spec/index.js';
import { outputErrorFor } from '../utils/atomic-write.js';

/** One finished sample in the per-sample log. Format version 1. */
export interface SampleRecord {
  /** Position in the scored split. */
  readonly index: number;
  /** Hash of everything that determines the output (model identity, generation settings, prompt, dataset version). */
  readonly key: string;
  /** As OpenCompass stores it: the prompt string, or the API turn list. */
  readonly originPrompt: unknown;
  /** PPL mode: each label's full prompt, prompt without examples, PPL and BPB (OpenCompass's `label: X` entries). */
  readonly labels?: ReadonlyArray<{
    readonly label: string;
    readonly prompt: string;
    readonly testingInput: string;
    readonly ppl: number;
    readonly bpb: number;
  }>;
  /**
   * In-context examples in the prompt when `maxSeqLen` truncation ran (OpenCompass `max_seq_len`); PPL mode: those
   * the last label kept (each label's own count is in `examplesKeptPerLabel`). Absent without a token budget.
   */
  readonly examplesKept?: number;
  readonly examplesKeptPerLabel?: readonly number[];
  /** PPL mode: the rendered in-context examples. */
  readonly inContextExamples?: string;
  /** Raw model text after stop words (PPL mode: the label with the lowest PPL); `''` when the sample failed. */
  readonly prediction: string;
  /** The sample's reference (a label, a text, a list of answers); `''` for an unlabelled split. */
  readonly gold: JsonValue;
  /**
   * Which generation of its question this is (`--num-samples`, spec `TaskSample.repeat`), 0-based; absent for a
   * single generation. Scoring copies it into the results' details, where it marks the samples as generations that
   * share a question (so no interval treats them as independent).
   */
  readonly repeat?: number;
  /** The sample's `evaluatorInput` (spec `TaskSample`), when it has one: `--mode eval` re-scores from the log alone. */
  readonly evaluatorInput?: { readonly [key: string]: JsonValue };
  /** Set when the sample failed after all retries; such records are retried on `--reuse`. */
  readonly error?: string;
  readonly attempts: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly latencyMs: number;
}

/**
 * Append-only JSON-lines log of finished samples for one (model, dataset). Records are flushed in small batches
 * (every `batchSize` records or `flushIntervalMs`, whichever comes first), each batch as one `write` of whole lines,
 * so a crash loses at most the last unflushed batch and leaves at most one torn line, which {@link readSampleLog}
 * ignores: those samples are simply requested again. A failed write (a full disk) is cut back off the file, so the log
 * stays whole; the writer then refuses further records, and `onError` hears of it at once with an `OutputError`
 * naming the file.
 */
export class SampleLogWriter {
  private handle: FileHandle | undefined;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    readonly path: string,
    private readonly options: { batchSize?: number; flushIntervalMs?: number; onError?: (error: Error) => void } = {},
  ) {}

  /** Queue a record; it reaches the file with the next flush. Secrets are redacted from the line. */
  append(record: SampleRecord): void {
    this.pending.push(`${redactText(JSON.stringify(record))}\n`);
    // A failure is kept and reported by `onError` and by the next awaited flush or close.
    if (this.pending.length >= (this.options.batchSize ?? 64)) this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => this.flush().catch(() => undefined), this.options.flushIntervalMs ?? 50);
  }

  /** Write every queued record. Rejects if a write failed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending.join('');
    this.pending = [];
    if (lines) {
      this.chain = this.chain.then(async () => {
        if (this.failure !== undefined) return;
        let created = false;
        let sizeBefore = 0;
        let prefix = '';
        try {
          if (!this.handle) {
            await mkdir(dirname(this.path), { recursive: true });
            this.handle = await open(this.path, 'a+');
            // After a crash the file may end in a torn line: end it, so the next record starts a line of its own.
            const { size } = await this.handle.stat();
            created = size === 0;
            if (size > 0) {
              const last = Buffer.alloc(1);
              await this.handle.read(last, 0, 1, size - 1);
              if (last[0] !== 0x0a) prefix = '\n';
            }
          }
          sizeBefore = (await this.handle.stat()).size;
          await this.handle.write(prefix + lines);
        } catch (error) {
          // Cut a partly written batch back off (those samples are requested again on -r); drop a log this writer
          // created and could not fill.
          await this.handle?.truncate(sizeBefore).catch(() => undefined);
          if (created || sizeBefore === 0) {
            await this.handle?.close().catch(() => undefined);
            this.handle = undefined;
            await rm(this.path, { force: true }).catch(() => undefined);
          }
          this.failure = await outputErrorFor(error, this.path, Buffer.byteLength(prefix + lines));
          this.options.onError?.(this.failure as Error);
        }
      });
    }
    return this.chain.then(() => {
      if (this.failure !== undefined) throw this.failure;
    });
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle?.close();
      this.handle = undefined;
    }
  }
}

/** The records of a sample log by index (a later record of an index replaces an earlier one). */
export async function readSampleLog(path: string): Promise<Map<number, SampleRecord>> {
  const records = new Map<number, SampleRecord>();
  const text = await readFile(path, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as SampleRecord;
      if (typeof record.index === 'number' && typeof record.key === 'string') records.set(record.index, record);
    } catch {
      // A torn last line after a crash: that sample is simply requested again.
    }
  }
  return records;
}

/**
 * What scoring reads from a sample log besides the predictions file, by index (a later record of an index wins):
 * each sample's `evaluatorInput` and its `repeat` (`--num-samples`). Only lines that carry one are parsed, so scoring
 * a dataset whose evaluator needs no row fields, with one generation per question, costs one read of the file.
 */
export async function readScoringFields(path: string): Promise<{
  evaluatorInputs: Map<number, NonNullable<SampleRecord['evaluatorInput']>>;
  repeats: Map<number, number>;
}> {
  const evaluatorInputs = new Map<number, NonNullable<SampleRecord['evaluatorInput']>>();
  const repeats = new Map<number, number>();
  const text = await readFile(path, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.includes('"evaluatorInput":') && !line.includes('"repeat":')) continue;
    try {
      const record = JSON.parse(line) as SampleRecord;
      if (typeof record.index !== 'number') continue;
      if (record.evaluatorInput) evaluatorInputs.set(record.index, record.evaluatorInput);
      if (typeof record.repeat === 'number') repeats.set(record.index, record.repeat);
    } catch {
      // A torn last line after a crash.
    }
  }
  return { evaluatorInputs, repeats };
}
