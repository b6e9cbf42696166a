import { readFile } from 'node:fs/promises';
import type { JsonValue } from '../spec/index.js';
import { writeFileAtomic } from '../utils/atomic-write.js';

/**
 * An evaluator's persisted cache for one (model, dataset): JSON lines `{"key": …, "value": …}`, a later line of a
 * key replacing an earlier one. Loaded before evaluation, saved (atomically, only when something was set) after.
 */
export class EvaluationCache {
  private changed = false;

  private constructor(
    readonly path: string,
    private readonly entries: Map<string, JsonValue>,
  ) {}

  static async open(path: string): Promise<EvaluationCache> {
    const entries = new Map<string, JsonValue>();
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { key?: unknown; value?: JsonValue };
        if (typeof entry.key === 'string' && entry.value !== undefined) entries.set(entry.key, entry.value);
      } catch {
        // A torn line: that outcome is simply computed again.
      }
    }
    return new EvaluationCache(path, entries);
  }

  get(key: string): JsonValue | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: JsonValue): void {
    this.entries.set(key, value);
    this.changed = true;
  }

  async save(): Promise<void> {
    if (!this.changed) return;
    const lines = [...this.entries].map(([key, value]) => `${JSON.stringify({ key, value })}\n`).join('');
    await writeFileAtomic(this.path, lines);
    this.changed = false;
  }
}
