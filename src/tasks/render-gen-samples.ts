import { createGenDialogueBuilder, type TemplateRow } from '../prompts/index.js';
import type { JsonValue, TaskSample } from '../spec/index.js';
import type { InferConfig } from './opencompass-infer-config.js';

/** One loaded row: the fields templates read (in the loader's key order), its reference, its stable id. */
export interface LoadedRow {
  readonly fields: TemplateRow;
  readonly gold: JsonValue;
  readonly id: string;
  readonly evaluatorInput?: { readonly [key: string]: JsonValue };
}

/**
 * Render gen-mode samples for an infer config whose prompt template holds everything (zero retriever): each
 * row gets OpenCompass's `subdivision` and `idx` fields appended after the loader's own, its output column
 * blanked, and the template's round filled in key order. `limit` keeps the first N rows (`test_range`).
 */
export function renderGenSamples(options: {
  readonly inferConfig: InferConfig;
  readonly rows: readonly LoadedRow[];
  readonly outputColumn: string;
  readonly subdivision: string;
  readonly limit?: number;
}): TaskSample[] {
  const template = options.inferConfig.promptTemplate ?? options.inferConfig.iceTemplate;
  if (!template) throw new TypeError(`${options.subdivision}: infer config has no template`);
  const build = createGenDialogueBuilder({ template, examples: [], outputColumn: options.outputColumn });
  const rows = options.limit === undefined ? options.rows : options.rows.slice(0, options.limit);
  return rows.map((row, index) => ({
    index,
    id: row.id,
    gold: row.gold,
    dialogue: build({ ...row.fields, subdivision: options.subdivision, idx: index }),
    ...(row.evaluatorInput ? { evaluatorInput: row.evaluatorInput } : {}),
  }));
}
