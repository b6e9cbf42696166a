import {
  buildPplDialogues,
  fillTemplate,
  isDialogueTemplate,
  type DialogueTemplate,
  type PromptTemplateConfig,
  type TemplateBody,
  type TemplateRow,
} from '../prompts/index.js';
import type { Dialogue, DialogueItem, PerplexityCandidate, RenderedPrompt } from '../spec/index.js';
import type { InferConfig } from './opencompass-infer-config.js';

/** Renders rows of one dataset from its infer config and retrieved in-context examples. */
export interface SampleRenderer {
  /** How many in-context examples the retriever gives every row (0 for `ZeroRetriever`). */
  readonly exampleCount: number;
  /** The prompt of `row` with the first `keep` examples (default: all), as OpenCompass's inferencer builds it. */
  render(row: TemplateRow, keep?: number): RenderedPrompt;
}

const generationSlot: DialogueItem = { type: 'turn', role: 'BOT', prompt: '', generation: true };

/**
 * A renderer for the infer-config shapes OpenCompass's `GenInferencer` and `PPLInferencer` take:
 * - gen, a meta `ice_template` only (C-Eval, legacy CMMLU): examples and the question share the template;
 * - gen, a meta `prompt_template` (0-shot HEAD configs) with an optional meta `ice_template` (legacy MMLU):
 *   examples are the ice round, concatenated with no separators, spliced at the ice token of `begin`;
 * - ppl, label-keyed meta templates (CMMLU ppl): {@link buildPplDialogues};
 * - ppl, label-keyed plain strings (MMLU ppl, PIQA ppl): the examples' strings joined by `\n` plus a final `\n`
 *   replace the ice token, then the row is filled in; the prompt is one raw text item.
 * Gen dialogues end in an empty BOT turn (the generation slot) even when the template has no BOT turn, as
 * OpenCompass's meta-template parser then opens the generating role. Prompts of every `keep` share one set of
 * rendered example items.
 */
export function createSampleRenderer(options: { inferConfig: InferConfig; examples: readonly TemplateRow[]; outputColumn: string }): SampleRenderer {
  const { inferConfig, examples, outputColumn } = options;
  const promptTemplate = inferConfig.promptTemplate ?? inferConfig.iceTemplate;
  if (!promptTemplate) throw new TypeError('createSampleRenderer: the infer config has no template');
  const iceTemplate = inferConfig.iceTemplate ?? promptTemplate;
  const renderers = new Map<number, (row: TemplateRow) => RenderedPrompt>();
  const rendererFor = (keep: number) => {
    let renderer = renderers.get(keep);
    if (!renderer) {
      const kept = examples.slice(0, keep);
      renderer =
        inferConfig.inferencer.kind === 'gen'
          ? genRenderer({ promptTemplate, iceTemplate, examples: kept, outputColumn })
          : pplRenderer({ promptTemplate, iceTemplate, examples: kept, outputColumn, hasIceTemplate: inferConfig.iceTemplate !== undefined });
      renderers.set(keep, renderer);
    }
    return renderer;
  };
  return {
    exampleCount: examples.length,
    render: (row, keep = examples.length) => rendererFor(Math.max(0, Math.min(keep, examples.length)))(row),
  };
}

function genRenderer(options: {
  promptTemplate: PromptTemplateConfig;
  iceTemplate: PromptTemplateConfig;
  examples: readonly TemplateRow[];
  outputColumn: string;
}): (row: TemplateRow) => RenderedPrompt {
  const body = dialogueBody(options.promptTemplate.template, 'prompt');
  const iceRound = dialogueBody(options.iceTemplate.template, 'ice').round;
  const exampleItems: DialogueItem[] = options.examples.flatMap((example) =>
    iceRound.map((turn) => ({ type: 'turn' as const, role: turn.role, prompt: fillTemplate(turn.prompt, example) })),
  );
  const beginItems = expandIceToken(body.begin ?? '', options.promptTemplate.iceToken, exampleItems);
  return (row) => {
    const scoredRow: TemplateRow = { ...row, [options.outputColumn]: '' };
    const items: DialogueItem[] = [...beginItems];
    for (const turn of body.round) items.push({ type: 'turn', role: turn.role, prompt: fillTemplate(turn.prompt, scoredRow) });
    if (body.end) items.push({ type: 'text', text: fillTemplate(body.end, scoredRow) });
    const last = items.at(-1);
    // The trailing BOT turn is the one the model generates into, even when it holds text (MBPP's `[BEGIN]\n`).
    if (last?.type === 'turn' && last.role === 'BOT') items[items.length - 1] = { ...last, generation: true };
    else items.push(generationSlot);
    return { dialogue: items };
  };
}

function pplRenderer(options: {
  promptTemplate: PromptTemplateConfig;
  iceTemplate: PromptTemplateConfig;
  examples: readonly TemplateRow[];
  outputColumn: string;
  hasIceTemplate: boolean;
}): (row: TemplateRow) => RenderedPrompt {
  const labels = labelBodies(options.promptTemplate.template);
  if ([...labels.values()].every(isDialogueTemplate)) {
    return (row) => {
      const candidates = buildPplDialogues({ template: options.promptTemplate, examples: options.examples, row, outputColumn: options.outputColumn });
      return { dialogue: candidates[0]?.dialogue ?? [], candidates };
    };
  }
  const promptStrings = stringBodies(labels, 'prompt');
  const iceStrings = stringBodies(labelBodies(options.iceTemplate.template), 'ice');
  // OpenCompass's retriever: examples joined by the ice separator `\n`, then the ice end token `\n`.
  const iceText = options.hasIceTemplate
    ? options.examples
        .map((example, index) => {
          const gold = String(example[options.outputColumn] ?? '');
          const template = iceStrings.get(gold);
          if (template === undefined) throw new TypeError(`in-context example ${index} has gold ${JSON.stringify(gold)}, which is not a template label`);
          return fillTemplate(template, example);
        })
        .join('\n') + '\n'
    : '';
  const iceToken = options.promptTemplate.iceToken;
  return (row) => {
    const candidates: PerplexityCandidate[] = [...promptStrings.entries()].map(([label, template]) => {
      const withIce = iceToken ? template.split(iceToken).join(iceText) : template;
      const withoutIce = iceToken ? template.split(iceToken).join('') : template;
      return {
        label,
        dialogue: textDialogue(fillTemplate(withIce, row)),
        withoutExamples: textDialogue(fillTemplate(withoutIce, row)),
        ...(iceToken ? { examples: iceText } : {}),
      };
    });
    return { dialogue: candidates[0]?.dialogue ?? [], candidates };
  };
}

const textDialogue = (text: string): Dialogue => [{ type: 'text', text }];

function expandIceToken(begin: string, iceToken: string | undefined, exampleItems: readonly DialogueItem[]): DialogueItem[] {
  if (!begin) return [];
  if (!iceToken || !begin.includes(iceToken)) return [{ type: 'text', text: begin }];
  const [before, ...rest] = begin.split(iceToken);
  const after = rest.join(iceToken);
  return [...(before ? [{ type: 'text' as const, text: before }] : []), ...exampleItems, ...(after ? [{ type: 'text' as const, text: after }] : [])];
}

function dialogueBody(body: PromptTemplateConfig['template'], which: string): DialogueTemplate {
  if (!isDialogueTemplate(body)) throw new TypeError(`createSampleRenderer: a gen ${which} template must be a dialogue (meta) template`);
  return body;
}

function labelBodies(body: PromptTemplateConfig['template']): Map<string, TemplateBody> {
  if (typeof body === 'string' || isDialogueTemplate(body)) throw new TypeError('createSampleRenderer: a ppl template must be keyed by answer label');
  return new Map(Object.entries(body));
}

function stringBodies(bodies: Map<string, TemplateBody>, which: string): Map<string, string> {
  const strings = new Map<string, string>();
  for (const [label, body] of bodies) {
    if (typeof body !== 'string') throw new TypeError(`createSampleRenderer: ppl ${which} template for label ${label} mixes strings and dialogues`);
    strings.set(label, body);
  }
  return strings;
}
