import type { ChatWrapper, LlamaModel } from 'node-llama-cpp';
import { BackendUnavailableError } from '../../spec/index.js';

export interface ChosenChatWrapper {
  readonly kind: 'model' | 'general';
  readonly wrapper: ChatWrapper;
  /** Which template renders messages, for the run's warnings. */
  readonly description: string;
}

/**
 * The chat wrapper that renders `messages` prompts: the GGUF's own `tokenizer.chat_template` through node-llama-cpp's
 * `JinjaTemplateChatWrapper` (`model`), or `GeneralChatWrapper` (`general`). Without `requested`, `model` when the
 * GGUF has a template, else `general`. Never node-llama-cpp's guess by model name. Throws
 * {@link BackendUnavailableError} when `model` is requested and the GGUF has no template.
 */
export function chooseChatWrapper(options: {
  module: typeof import('node-llama-cpp');
  model: LlamaModel;
  fileName: string;
  requested?: 'model' | 'general';
}): ChosenChatWrapper {
  const template = options.model.fileInfo.metadata.tokenizer.chat_template;
  const kind = options.requested ?? (template ? 'model' : 'general');
  if (kind === 'general') {
    const why = template ? '' : ' (the GGUF has no chat template)';
    return {
      kind,
      wrapper: new options.module.GeneralChatWrapper(),
      description: `messages are rendered with node-llama-cpp's GeneralChatWrapper ("### Human" / "### Assistant", no system prompt)${why}`,
    };
  }
  if (!template) {
    throw new BackendUnavailableError({ message: `${options.fileName} has no chat template (tokenizer.chat_template); set chatTemplate: 'general'` });
  }
  try {
    return {
      kind,
      wrapper: new options.module.JinjaTemplateChatWrapper({ template, tokenizer: options.model.tokenizer }),
      description: "messages are rendered with the GGUF's chat template (node-llama-cpp JinjaTemplateChatWrapper)",
    };
  } catch (error) {
    throw new BackendUnavailableError({ message: `the chat template of ${options.fileName} cannot be used: ${(error as Error).message}`, cause: error });
  }
}
