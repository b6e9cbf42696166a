/**
 * Prompts, in the two shapes sextant deals in.
 *
 * A task renders each sample into a {@link Dialogue}: OpenCompass's "PromptList", a list of role turns and raw
 * string items, model-neutral. A model's prompt style then turns the dialogue into the {@link Prompt} a backend
 * sends: one text string (completion endpoints, base models, meta templates) or a chat message list.
 */

/** OpenCompass's template roles. */
export type DialogueRole = 'HUMAN' | 'BOT' | 'SYSTEM';

/** One turn of a dialogue. An empty `prompt` on the last BOT turn is the slot the model generates into. */
export interface DialogueTurn {
  readonly type: 'turn';
  readonly role: DialogueRole;
  readonly prompt: string;
  /**
   * The turn the model generates into (gen mode: the last BOT turn). Its `prompt`, when not empty (MBPP's
   * `[BEGIN]\n`), reaches only base models' flat text: chat messages drop the turn and a meta template renders
   * only the role's `begin`, as OpenCompass's template parsers do.
   */
  readonly generation?: true;
}

/** A raw string item (OpenCompass inserts these as separators between in-context examples of some templates). */
export interface DialogueText {
  readonly type: 'text';
  readonly text: string;
}

export type DialogueItem = DialogueTurn | DialogueText;

/** A rendered, model-neutral prompt: turns in order, the generation slot (if any) last. */
export type Dialogue = readonly DialogueItem[];

/** Chat roles on the wire. */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** What a backend receives: a discriminated union on `kind`, never guessed from runtime types. */
export type Prompt = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'messages'; readonly messages: readonly ChatMessage[] };

/** Role strings wrapped around each turn when a model config gives a meta template (OpenCompass `meta_template`). */
export interface MetaTemplateRole {
  readonly role: DialogueRole;
  readonly begin?: string;
  readonly end?: string;
  /** The role the model generates as; rendering stops right after its `begin` in the last round. */
  readonly generate?: boolean;
}

export interface MetaTemplate {
  /** Prepended once to the whole prompt. @default '' */
  readonly begin?: string;
  readonly round: readonly MetaTemplateRole[];
}
