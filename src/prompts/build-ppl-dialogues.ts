import type { Dialogue, DialogueItem } from '../spec/index.js';
import { fillTemplate } from './fill-template.js';
import { isDialogueTemplate, type DialogueTemplate, type PromptTemplateConfig, type TemplateRow } from './prompt-template.js';

/**
 * Render one PPL-mode prompt per answer label, as OpenCompass's `PPLInferencer` does for a label-keyed template of
 * dialogue templates (C-Eval `ceval_ppl_578f8d`, CMMLU `cmmlu_ppl_8b9c76`). Each in-context example is the round
 * of its own gold label's template; such templates count as "origin" templates in OpenCompass, so raw `\n` items
 * separate the examples, another ends them (the ice end token), and one more precedes the question. In a
 * base-model render that gives `…C\n\n\n以下是…` between examples and five `\n` before the question (checked
 * against the reference's CMMLU rendered-prompt vector).
 */
export function buildPplDialogues(options: {
  template: PromptTemplateConfig;
  examples: readonly TemplateRow[];
  row: TemplateRow;
  outputColumn: string;
}): Array<{ label: string; dialogue: Dialogue; withoutExamples: Dialogue }> {
  const { template, examples, row, outputColumn } = options;
  const templates = labelTemplates(template);
  const newline: DialogueItem = { type: 'text', text: '\n' };
  const exampleItems: DialogueItem[] = [];
  examples.forEach((example, index) => {
    const gold = String(example[outputColumn] ?? '');
    const exampleTemplate = templates.get(gold);
    if (!exampleTemplate) throw new TypeError(`in-context example ${index} has gold ${JSON.stringify(gold)}, which is not a template label`);
    if (index > 0) exampleItems.push(newline);
    exampleItems.push(...fillRound(exampleTemplate, example));
  });
  if (examples.length > 0) exampleItems.push(newline, newline);
  return [...templates.entries()].map(([label, labelTemplate]) => {
    const question = fillRound(labelTemplate, row);
    return { label, dialogue: [...exampleItems, ...question], withoutExamples: question };
  });
}

function fillRound(template: DialogueTemplate, row: TemplateRow): DialogueItem[] {
  return template.round.map((turn) => ({ type: 'turn', role: turn.role, prompt: fillTemplate(turn.prompt, row) }));
}

function labelTemplates(template: PromptTemplateConfig): Map<string, DialogueTemplate> {
  const body = template.template;
  if (typeof body === 'string' || isDialogueTemplate(body)) {
    throw new TypeError('buildPplDialogues: expected a template keyed by answer label');
  }
  const entries = Object.entries(body).map(([label, value]) => {
    if (!isDialogueTemplate(value)) throw new TypeError(`buildPplDialogues: label ${label} is not a dialogue template`);
    return [label, value] as const;
  });
  return new Map(entries);
}
