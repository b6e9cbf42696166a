import type { Dialogue, DialogueTurn, MetaTemplate, Prompt } from '../spec/index.js';
import { renderBaseText } from './render-base-text.js';
import { renderMetaTemplate } from './render-meta-template.js';
import { toApiTurns } from './to-api-turns.js';
import { toChatMessages, type ChatMessageStyle } from './to-chat-messages.js';

/** How a model wants its prompts: a chat message list, or one text string (optionally through a meta template). */
export type PromptStyle =
  { readonly kind: 'messages'; readonly messageStyle: ChatMessageStyle } | { readonly kind: 'text'; readonly metaTemplate?: MetaTemplate };

export interface RenderedPrompt {
  /** What the backend sends. */
  readonly prompt: Prompt;
  /** What OpenCompass stores as `origin_prompt`: the API turn list for chat models, the string for text models. */
  readonly originPrompt: string | ReadonlyArray<{ role: DialogueTurn['role']; prompt: string }>;
}

export function renderPrompt(dialogue: Dialogue, style: PromptStyle): RenderedPrompt {
  switch (style.kind) {
    case 'messages': {
      // toApiTurns drops the generation turn whatever it holds (cmmlu_gen_c13365's `答案是: `, MBPP's `[BEGIN]\n`).
      const turns = toApiTurns(dialogue);
      return {
        prompt: { kind: 'messages', messages: toChatMessages(turns, style.messageStyle) },
        originPrompt: turns.map((turn) => ({ role: turn.role, prompt: turn.prompt })),
      };
    }
    case 'text': {
      const text = style.metaTemplate ? renderMetaTemplate(dialogue, style.metaTemplate) : renderBaseText(dialogue);
      return { prompt: { kind: 'text', text }, originPrompt: text };
    }
    default: {
      const unreachable: never = style;
      throw new TypeError(`unknown prompt style ${JSON.stringify(unreachable)}`);
    }
  }
}
