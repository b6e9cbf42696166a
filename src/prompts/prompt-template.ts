import type { DialogueRole } from '../spec/index.js';

/**
 * OpenCompass's prompt-template shapes, as data. The same objects drive rendering and the version hash, so a
 * template can never render one way and hash another.
 */

/** One templated turn; `prompt` holds `{field}` placeholders. */
export interface TemplateTurn {
  readonly role: DialogueRole;
  readonly prompt: string;
}

/** A "meta" dialogue template: `begin` (usually the ice token), then one round of turns. */
export interface DialogueTemplate {
  readonly begin?: string;
  readonly round: readonly TemplateTurn[];
  readonly end?: string;
}

/** A plain string template, a dialogue template, or (PPL mode) one of those per answer label. */
export type TemplateBody = string | DialogueTemplate;

export interface PromptTemplateConfig {
  readonly template: TemplateBody | { readonly [label: string]: TemplateBody };
  /** Where the rendered in-context examples go (OpenCompass `ice_token`, usually `</E>`). */
  readonly iceToken?: string;
}

/** A dataset row: field values in the row's key order (the order placeholder filling follows). */
export type TemplateRow = Readonly<Record<string, string | number>>;

export function isDialogueTemplate(body: TemplateBody | { readonly [label: string]: TemplateBody }): body is DialogueTemplate {
  return typeof body === 'object' && body !== null && Array.isArray((body as DialogueTemplate).round);
}
