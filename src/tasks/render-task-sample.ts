import type { TemplateRow } from '../prompts/index.js';
import type { JsonValue, TaskSample } from '../spec/index.js';
import type { SampleRenderer } from './create-sample-renderer.js';

/**
 * One scored row as a {@link TaskSample}: its prompt (and PPL candidates), and, when the retriever gave it
 * in-context examples, the hook that re-renders it with fewer of them (OpenCompass's `max_seq_len` truncation).
 */
export function renderTaskSample(options: { renderer: SampleRenderer; row: TemplateRow; index: number; id: string; gold: JsonValue }): TaskSample {
  const { renderer, row, index, id, gold } = options;
  const rendered = renderer.render(row);
  return {
    index,
    id,
    gold,
    dialogue: rendered.dialogue,
    ...(rendered.candidates ? { candidates: rendered.candidates } : {}),
    ...(renderer.exampleCount > 0 ? { examples: { count: renderer.exampleCount, render: (keep: number) => renderer.render(row, keep) } } : {}),
  };
}
