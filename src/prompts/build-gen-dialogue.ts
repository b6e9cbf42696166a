import type { Dialogue, DialogueItem } from '../spec/index.js';
import { fillTemplate } from './fill-template.js';
import { isDialogueTemplate, type PromptTemplateConfig, type TemplateRow } from './prompt-template.js';

/**
 * Render one generation prompt the way OpenCompass's `GenInferencer` does for a meta-dict `ice_template`:
 * each in-context example is the template's round filled with the example row (its own gold in the BOT turn),
 * concatenated with no separators; the final prompt is `begin` with the ice token replaced by the examples,
 * then the round filled with the scored row whose output field is blanked (the empty BOT turn is the slot the
 * model generates into).
 */
export function buildGenDialogue(options: {
  template: PromptTemplateConfig;
  examples: readonly TemplateRow[];
  row: TemplateRow;
  outputColumn: string;
}): Dialogue {
  return createGenDialogueBuilder(options)(options.row);
}

/**
 * {@link buildGenDialogue} for many rows with the same examples: the in-context items are rendered once and shared
 * by every dialogue (a 12,000-question split would otherwise hold 12,000 copies of the same five examples).
 */
export function createGenDialogueBuilder(options: {
  template: PromptTemplateConfig;
  examples: readonly TemplateRow[];
  outputColumn: string;
}): (row: TemplateRow) => Dialogue {
  const { template, examples, outputColumn } = options;
  const body = template.template;
  if (!isDialogueTemplate(body)) {
    throw new TypeError('buildGenDialogue: only dialogue (meta) templates are supported for generation prompts');
  }
  const iceToken = template.iceToken ?? '';
  const exampleItems: DialogueItem[] = examples.flatMap((example) =>
    body.round.map((turn) => ({ type: 'turn' as const, role: turn.role, prompt: fillTemplate(turn.prompt, example) })),
  );
  const beginItems = expandBegin(body.begin ?? '', iceToken, exampleItems);
  return (row) => {
    const scoredRow: TemplateRow = { ...row, [outputColumn]: '' };
    const items: DialogueItem[] = [...beginItems];
    const lastBot = body.round.map((turn) => turn.role).lastIndexOf('BOT');
    const endsWithBot = lastBot === body.round.length - 1;
    body.round.forEach((turn, index) => {
      const prompt = fillTemplate(turn.prompt, scoredRow);
      items.push(index === lastBot && endsWithBot ? { type: 'turn', role: turn.role, prompt, generation: true } : { type: 'turn', role: turn.role, prompt });
    });
    // A round that ends with the question still generates as BOT: OpenCompass's parsers add the BOT slot.
    if (!endsWithBot) items.push({ type: 'turn', role: 'BOT', prompt: '', generation: true });
    if (body.end) items.push({ type: 'text', text: fillTemplate(body.end, scoredRow) });
    return items;
  };
}

function expandBegin(begin: string, iceToken: string, exampleItems: readonly DialogueItem[]): DialogueItem[] {
  if (!begin) return [];
  if (!iceToken || !begin.includes(iceToken)) return [{ type: 'text', text: begin }];
  const [before, ...rest] = begin.split(iceToken);
  const after = rest.join(iceToken);
  return [...(before ? [{ type: 'text' as const, text: before }] : []), ...exampleItems, ...(after ? [{ type: 'text' as const, text: after }] : [])];
}
