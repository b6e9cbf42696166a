import type { LlamaCompletion, LlamaModel, LlamaText, Token } from 'node-llama-cpp';
import type { GenerationSettings } from '../../spec/index.js';
import { cutAtStopWords } from '../../utils/index.js';
import { abortedError } from './sequence-pool.js';

export interface CompletionOutcome {
  /** The generated text, cut at the first stop word. */
  readonly text: string;
  /** `stop`: end-of-generation token, template stop trigger or stop word; `length`: `maxTokens` reached. */
  readonly finishReason: 'stop' | 'length';
  readonly completionTokens: number;
}

/** Prompt tokens passed to the detokenizer so the first generated token keeps its leading space. */
const detokenizeContextTokens = 8;

/**
 * Complete `promptTokens` as raw text with node-llama-cpp's `LlamaCompletion` (which prepends BOS itself, so the
 * tokens come without it). Greedy unless `settings.temperature > 0`; no repetition penalty.
 *
 * Stop words are checked here, on the text decoded with the prompt's last tokens as context: node-llama-cpp's own
 * stop triggers decode token by token and so miss stop words that start with a space on SentencePiece models.
 * `stopTriggers` (a chat template's end-of-turn markers) go to node-llama-cpp as they are.
 */
export async function generateCompletion(options: {
  completion: LlamaCompletion;
  model: LlamaModel;
  promptTokens: readonly Token[];
  maxTokens: number;
  settings: GenerationSettings;
  stopTriggers?: readonly LlamaText[];
  signal?: AbortSignal;
}): Promise<CompletionOutcome> {
  const { model, settings } = options;
  const stopWords = settings.stopWords.filter((word) => word !== '');
  const precedingTokens = options.promptTokens.slice(-detokenizeContextTokens);
  const generated: Token[] = [];
  const decode = () => model.detokenize(generated, false, precedingTokens);
  const stopController = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopController.signal]) : stopController.signal;
  const sampling =
    (settings.temperature ?? 0) > 0
      ? {
          temperature: settings.temperature,
          topK: settings.topK ?? 0,
          topP: settings.topP ?? 1,
          ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
        }
      : { temperature: 0 };

  const response = await options.completion.generateCompletionWithMeta(options.promptTokens.slice(), {
    ...sampling,
    maxTokens: options.maxTokens,
    repeatPenalty: false,
    signal,
    // Ending on the signal (a stop word) returns what was generated; an aborted caller is rethrown below.
    stopOnAbortSignal: true,
    contextShiftSize: 0,
    disableContextShift: true,
    ...(options.stopTriggers && options.stopTriggers.length > 0 ? { customStopTriggers: options.stopTriggers } : {}),
    onToken: (tokens: Token[]) => {
      for (const token of tokens) if (!model.isEogToken(token)) generated.push(token);
      if (stopWords.length > 0 && !stopController.signal.aborted) {
        const text = decode();
        if (stopWords.some((word) => text.includes(word))) stopController.abort();
      }
    },
  });
  if (options.signal?.aborted) throw abortedError(options.signal);
  return {
    text: cutAtStopWords(decode(), stopWords),
    finishReason: response.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
    completionTokens: generated.length,
  };
}
