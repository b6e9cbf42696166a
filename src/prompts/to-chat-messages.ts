import type { ChatMessage, DialogueTurn } from '../spec/index.js';

/**
 * How user messages end. `api`: exactly the HUMAN text (OpenCompass's API classes: `OpenAI`, `OpenAISDK`,
 * `TurboMindAPIModel` with a chat meta template). `chat-template`: one extra `\n` on every user message, as
 * OpenCompass's chat-template classes produce (their empty SYSTEM slot merges into the HUMAN turn).
 */
export type ChatMessageStyle = 'api' | 'chat-template';

const roleNames = { HUMAN: 'user', BOT: 'assistant', SYSTEM: 'system' } as const;

/** API turns as wire chat messages: HUMAN→user, BOT→assistant, SYSTEM→system. */
export function toChatMessages(turns: readonly DialogueTurn[], style: ChatMessageStyle = 'api'): ChatMessage[] {
  return turns.map((turn) => {
    const role = roleNames[turn.role];
    const content = style === 'chat-template' && role === 'user' ? `${turn.prompt}\n` : turn.prompt;
    return { role, content };
  });
}
