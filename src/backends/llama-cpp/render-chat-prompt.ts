import type { ChatHistoryItem, ChatWrapper, LlamaText, Token, Tokenizer } from 'node-llama-cpp';
import type { ChatMessage } from '../../spec/index.js';

export interface RenderedChatPrompt {
  /** The rendered prompt's tokens, special tokens (BOS, role markers) included. */
  readonly tokens: Token[];
  /** The rendered prompt as text, special tokens written out (for logs and tests). */
  readonly text: string;
  /** Texts that end the model's turn in this template (end-of-turn markers, the next role's header). */
  readonly stopTriggers: readonly LlamaText[];
}

/**
 * Render chat messages through a node-llama-cpp chat wrapper (the GGUF's Jinja template or `GeneralChatWrapper`),
 * ending in an open assistant turn for the model to complete. A trailing assistant message is kept as the start of
 * the answer (prefill). No system message is added.
 */
export function renderChatPrompt(options: { wrapper: ChatWrapper; messages: readonly ChatMessage[]; tokenizer: Tokenizer }): RenderedChatPrompt {
  const chatHistory: ChatHistoryItem[] = options.messages.map((message): ChatHistoryItem => {
    switch (message.role) {
      case 'system':
        return { type: 'system', text: message.content };
      case 'user':
        return { type: 'user', text: message.content };
      case 'assistant':
        return { type: 'model', response: [message.content] };
      default: {
        const unreachable: never = message.role;
        throw new TypeError(`unknown chat role ${JSON.stringify(unreachable)}`);
      }
    }
  });
  if (options.messages.at(-1)?.role !== 'assistant') chatHistory.push({ type: 'model', response: [] });
  const state = options.wrapper.generateContextState({ chatHistory });
  return {
    tokens: state.contextText.tokenize(options.tokenizer),
    text: state.contextText.toString(),
    stopTriggers: state.stopGenerationTriggers,
  };
}
