import type { Dialogue, DialogueTurn } from '../spec/index.js';

/**
 * A gen dialogue as the turn list an API / chat model receives (OpenCompass's `APITemplateParser`): raw string items
 * and empty turns dropped, consecutive turns of one role merged with `\n`, and the generation turn (the trailing BOT
 * turn) dropped even when it holds text (MBPP's `[BEGIN]\n`, a custom dataset's `Answer: `): OpenCompass's API and
 * chat-template parsers stop at the generating role; only base-model text keeps that text as the prompt's end.
 * This is also what OpenCompass stores as `origin_prompt` for chat models.
 */
export function toApiTurns(dialogue: Dialogue): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  const last = dialogue.at(-1);
  const items = last?.type === 'turn' && last.role === 'BOT' ? dialogue.slice(0, -1) : dialogue;
  for (const item of items) {
    if (item.type !== 'turn' || item.prompt === '' || item.generation) continue;
    const last = turns.at(-1);
    if (last && last.role === item.role) turns[turns.length - 1] = { ...last, prompt: `${last.prompt}\n${item.prompt}` };
    else turns.push({ type: 'turn', role: item.role, prompt: item.prompt });
  }
  return turns;
}
