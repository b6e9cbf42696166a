/** One turn of a stored prompt, for display and search. */
export interface PromptTurn {
  /** As stored: `HUMAN`, `BOT`, `SYSTEM`, `user`, …; `''` for a plain-text prompt. */
  readonly role: string;
  readonly text: string;
}

function turnText(turn: Record<string, unknown>): string {
  for (const field of ['prompt', 'content', 'text']) {
    const value = turn[field];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      return value
        .map((part: unknown) =>
          typeof part === 'string' ? part : typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : JSON.stringify(part),
        )
        .join('');
    }
  }
  return JSON.stringify(turn);
}

/**
 * The turns of a sample's `originPrompt` as OpenCompass stores it: a string (one turn with no role), or a list of
 * `{ role, prompt }` turns (chat-style `{ role, content }` is read too). Anything else becomes one turn of its JSON.
 */
export function promptTurns(originPrompt: unknown): PromptTurn[] {
  if (typeof originPrompt === 'string') return [{ role: '', text: originPrompt }];
  if (Array.isArray(originPrompt)) {
    return originPrompt.map((turn: unknown): PromptTurn => {
      if (typeof turn === 'string') return { role: '', text: turn };
      if (typeof turn !== 'object' || turn === null) return { role: '', text: JSON.stringify(turn) ?? '' };
      const record = turn as Record<string, unknown>;
      return { role: typeof record['role'] === 'string' ? record['role'] : '', text: turnText(record) };
    });
  }
  return originPrompt === undefined ? [] : [{ role: '', text: JSON.stringify(originPrompt) ?? '' }];
}
