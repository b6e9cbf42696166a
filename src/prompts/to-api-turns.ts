import type { Dialogue, DialogueTurn } from '../spec/index.js';

/**
 * A dialogue as the turn list an API / chat model receives (OpenCompass's `APITemplateParser`): raw string items,
 * empty turns and the generation turn dropped (so MBPP's `[BEGIN]\n` goes too), consecutive turns of one role
 * merged with `\n`.
 * This is also what OpenCompass stores as `origin_prompt` for chat models.
 */
export function toApiTurns(dialogue: Dialogue): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  for (const item of dialogue) {
    if (item.type !== 'turn' || item.prompt === '' || item.generation) continue;
    const last = turns.at(-1);
    if (last && last.role === item.role) turns[turns.length - 1] = { ...last, prompt: `${last.prompt}\n${item.prompt}` };
    else turns.push({ type: 'turn', role: item.role, prompt: item.prompt });
  }
  return turns;
}
