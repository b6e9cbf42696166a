import type { ResolvedModel } from '../config/index.js';
import { renderPrompt } from '../prompts/index.js';
import type { DatasetTask, ModelBackend, Prompt, RenderedPrompt, TaskSample } from '../spec/index.js';
import { EvaluationCache } from '../store/index.js';
import { stableHash } from '../utils/hash.js';
import { truncateGenPrompt, truncatePplPrompt, type CountTokens, type TruncatedPrompt } from './truncate-examples.js';

/**
 * A model's `maxSeqLen` token budget (OpenCompass `max_seq_len`), applied to each sample's in-context examples with
 * the backend's own token counts. Counts are asked once per distinct text and kept in a JSON-lines cache beside the
 * dataset's sample log, so a resumed run (or a dry-run plan followed by the run) counts nothing twice.
 */
export class TokenBudget {
  private constructor(
    readonly maxSeqLen: number,
    private readonly backend: CountingBackend,
    private readonly model: ResolvedModel,
    private readonly identity: string,
  ) {}

  /**
   * The budget of `model` on `backend`; `undefined` (with `reason`) when no `maxSeqLen` is set or the backend cannot
   * count tokens, in which case prompts are sent with all their examples.
   */
  static of(model: ResolvedModel, backend: ModelBackend | undefined): { budget?: TokenBudget; reason?: string } {
    const maxSeqLen = model.config.maxSeqLen;
    if (maxSeqLen === undefined || !backend) return {};
    if (!backend.capabilities.tokenCount || !backend.doCountTokens) {
      return {
        reason: `maxSeqLen ${maxSeqLen} is set, but the ${backend.provider} backend cannot count tokens with the model's tokenizer${model.config.type === 'openai' ? ' (set tokenizerPath to its tokenizer.json)' : ''}: in-context examples are not truncated (OpenCompass would drop them from prompts over ${maxSeqLen} tokens)`,
      };
    }
    const counting = backend as CountingBackend;
    return { budget: new TokenBudget(maxSeqLen, counting, model, stableHash({ provider: backend.provider, modelId: backend.modelId })) };
  }

  /**
   * A counter for one dataset, its counts cached at `cachePath` (in memory only without one, as in a dry run); call
   * `save` when the dataset is prepared.
   */
  async counter(cachePath: string | undefined, signal: AbortSignal): Promise<{ count: CountTokens; save: () => Promise<void> }> {
    return countingWith(this.backend, this.identity, cachePath, signal);
  }

  /** The sample's prompt with as many of its examples as fit (all of them when it has none to drop). */
  async truncate(task: DatasetTask, sample: TaskSample, countTokens: CountTokens): Promise<TruncatedPrompt | undefined> {
    const examples = sample.examples;
    if (!examples) return undefined;
    if (task.requestKind === 'perplexity') {
      return truncatePplPrompt({
        examples,
        maxSeqLen: this.maxSeqLen,
        countTokens,
        candidateTextOf: (rendered, index) => perplexityText(this.model, rendered.candidates?.[index]?.dialogue ?? []),
      });
    }
    return truncateGenPrompt({
      examples,
      maxSeqLen: this.maxSeqLen,
      countTokens,
      textOf: (rendered) => countedText(renderPrompt(rendered.dialogue, this.model.promptStyle).prompt),
    });
  }
}

type CountingBackend = ModelBackend & { doCountTokens: NonNullable<ModelBackend['doCountTokens']> };

/** A cached counter of `backend`'s token counts (in memory), or `undefined` when the backend cannot count tokens. */
export async function createTokenCounter(backend: ModelBackend, signal: AbortSignal): Promise<CountTokens | undefined> {
  if (!backend.capabilities.tokenCount || !backend.doCountTokens) return undefined;
  const counting = await countingWith(backend as CountingBackend, stableHash({ provider: backend.provider, modelId: backend.modelId }), undefined, signal);
  return counting.count;
}

/** `backend`'s token counts behind a cache keyed by (tokenizer identity, text). */
async function countingWith(
  backend: CountingBackend,
  identity: string,
  cachePath: string | undefined,
  signal: AbortSignal,
): Promise<{ count: CountTokens; save: () => Promise<void> }> {
  const cache = cachePath ? await EvaluationCache.open(cachePath) : undefined;
  const memory = new Map<string, number>();
  const get = (key: string) => {
    const value = cache ? cache.get(key) : memory.get(key);
    return typeof value === 'number' ? value : undefined;
  };
  const count: CountTokens = async (texts) => {
    const keys = texts.map((text) => stableHash({ tokenizer: identity, text }));
    const missing = [...new Set(texts.filter((_, index) => get(keys[index] as string) === undefined))];
    if (missing.length > 0) {
      const counts = await backend.doCountTokens({ texts: missing }, { signal });
      missing.forEach((text, index) => {
        const key = stableHash({ tokenizer: identity, text });
        const value = counts[index] as number;
        if (cache) cache.set(key, value);
        else memory.set(key, value);
      });
    }
    return keys.map((key) => get(key) as number);
  };
  return { count, save: async () => cache?.save() };
}

/** A PPL candidate as the backend scores it: rendered as text (the model's text style, or the plain one). */
export function perplexityText(model: ResolvedModel, dialogue: RenderedPrompt['dialogue']): string {
  const rendered = renderPrompt(dialogue, model.promptStyle.kind === 'text' ? model.promptStyle : { kind: 'text' }).prompt;
  return rendered.kind === 'text' ? rendered.text : '';
}

/**
 * The text whose tokens are counted: a text prompt as sent; a chat prompt's message contents joined by `\n` (the
 * server applies its chat template after counting; OpenCompass's API classes count the flattened turns too).
 */
export function countedText(prompt: Prompt): string {
  return prompt.kind === 'text' ? prompt.text : prompt.messages.map((message) => message.content).join('\n');
}
