import type { Dialogue } from '../spec/index.js';

/**
 * A dialogue as one string for a base model with no meta template (OpenCompass's `LMTemplateParser` without
 * one): every non-empty item, with `\n` before each except the first. The separator is armed after the first
 * item even when that item is empty, and empty turns (the generation slot) add nothing.
 */
export function renderBaseText(dialogue: Dialogue): string {
  let text = '';
  let separator = '';
  for (const item of dialogue) {
    const content = item.type === 'text' ? item.text : item.prompt;
    if (content) text += separator + content;
    separator = '\n';
  }
  return text;
}
