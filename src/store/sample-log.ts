import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One finished sample in the per-sample log. Format version 1. */
export interface SampleRecord {
  /** Position in the scored split. */
  readonly index: number;
  /** Hash of everything that determines the output (model identity, generation settings, prompt, dataset version). */
  readonly key: string;
  /** As OpenCompass stores it: the prompt string, or the API turn list. */
  readonly originPrompt: unknown;
  /** PPL mode: each label's full prompt, prompt without examples, PPL and BPB (OpenCompass's `label: X` entries). */
  readonly labels?: ReadonlyArray<{ readonly label: string; readonly prompt: string; readonly testingInput: string; readonly ppl: number; readonly bpb: number }>;
  /** PPL mode: the rendered in-context examples. */
  readonly inContextExamples?: string;
  /** Raw model text after stop words (PPL mode: the label with the lowest PPL); `''` when the sample failed. */
  readonly prediction: string;
  readonly gold: string;
  /** Set when the sample failed after all retries; such records are retried on `--reuse`. */
  readonly error?: string;
  readonly attempts: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly latencyMs: number;
}

/**
 * Append-only JSON-lines log of finished samples for one (model, dataset). Each record is written as one
 * `write` of a whole line, so a crash leaves at most one torn last line, which {@link readSampleLog} ignores.
 */
export class SampleLogWriter {
  private handle: FileHandle | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(record: SampleRecord): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (!this.handle) {
        await mkdir(dirname(this.path), { recursive: true });
        this.handle = await open(this.path, 'a');
      }
      await this.handle.write(`${JSON.stringify(record)}\n`);
    });
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
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
