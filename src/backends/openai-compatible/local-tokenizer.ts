import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { BackendUnavailableError } from '../../spec/index.js';

/** Counts tokens of texts, BOS (the tokenizer's special tokens) included. */
export interface LocalTokenizer {
  count(text: string): number;
}

/**
 * A model's tokenizer read from local files (`tokenizer.json`, with `tokenizer_config.json` beside it when present)
 * through transformers.js's `AutoTokenizer`, an optional dependency: token counts for a server without a tokenize
 * route. `path` is the tokenizer.json file or its folder; nothing is ever fetched from a hub.
 */
export async function loadLocalTokenizer(path: string): Promise<LocalTokenizer> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info)
    throw new BackendUnavailableError({ message: `tokenizerPath ${absolute} does not exist (expected a tokenizer.json file or the folder holding it)` });
  if (info.isFile() && basename(absolute) !== 'tokenizer.json') {
    throw new BackendUnavailableError({
      message: `tokenizerPath ${absolute} is not a tokenizer.json file (expected a tokenizer.json file or the folder holding it)`,
    });
  }
  const folder = info.isFile() ? dirname(absolute) : absolute;
  let library: typeof import('@huggingface/transformers');
  try {
    library = await import('@huggingface/transformers');
  } catch (error) {
    throw new BackendUnavailableError({
      message: `tokenizerPath needs @huggingface/transformers, an optional dependency (npm install @huggingface/transformers): ${(error as Error).message}`,
      cause: error,
    });
  }
  library.env.allowRemoteModels = false;
  try {
    const tokenizer = await library.AutoTokenizer.from_pretrained(folder, { local_files_only: true });
    return { count: (text) => tokenizer.encode(text, { add_special_tokens: true }).length };
  } catch (error) {
    throw new BackendUnavailableError({ message: `cannot read the tokenizer in ${folder} (tokenizerPath): ${(error as Error).message}`, cause: error });
  }
}
