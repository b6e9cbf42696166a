import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedModel } from '../config/index.js';

/**
 * In-process models without an explicit `mode` get chat prompting when the model ships a chat template (GGUF
 * metadata `tokenizer.chat_template`; transformers `tokenizer_config.json`), else completion prompting — as
 * OpenCompass's `--hf-type` defaults to chat for chat models.
 */
export async function detectChatTemplates(models: readonly ResolvedModel[]): Promise<ResolvedModel[]> {
  return Promise.all(
    models.map(async (model) => {
      const config = model.config;
      if ((config.type !== 'llama-cpp' && config.type !== 'transformers') || config.mode !== undefined) return model;
      const hasTemplate = config.type === 'llama-cpp' ? await ggufHasChatTemplate(config.path) : await onnxFolderHasChatTemplate(config.path);
      return hasTemplate ? { ...model, promptStyle: { kind: 'messages', messageStyle: 'chat-template' } } : model;
    }),
  );
}

async function ggufHasChatTemplate(path: string): Promise<boolean> {
  try {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(path, { readTensorInfo: false });
    return typeof (info.metadata as { tokenizer?: { chat_template?: unknown } }).tokenizer?.chat_template === 'string';
  } catch {
    // Unreadable here: the backend reports it properly when it loads the model.
    return false;
  }
}

async function onnxFolderHasChatTemplate(path: string): Promise<boolean> {
  const text = await readFile(join(path, 'tokenizer_config.json'), 'utf8').catch(() => '{}');
  try {
    return typeof (JSON.parse(text) as { chat_template?: unknown }).chat_template === 'string';
  } catch {
    return false;
  }
}
