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
    private readonly backend: ModelBackend & { doCountTokens: NonNullable<ModelBackend['doCountTokens']> },
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
        reason: `maxSeqLen ${maxSeqLen} is set, but the ${backend.provider} backend cannot count tokens with the model's tokenizer: in-context examples are not truncated (OpenCompass would drop them from prompts over ${maxSeqLen} tokens)`,
      };
    }
    const counting = backend as ModelBackend & { doCountTokens: NonNullable<ModelBackend['doCountTokens']> };
    return { budget: new TokenBudget(maxSeqLen, counting, model, stableHash({ provider: backend.provider, modelId: backend.modelId })) };
  }

  /** A counter for one dataset, its counts cached at `cachePath`; call `save` when the dataset is prepared. */
  async counter(cachePath: string, signal: AbortSignal): Promise<{ count: CountTokens; save: () => Promise<void> }> {
    const cache = await EvaluationCache.open(cachePath);
    const count: CountTokens = async (texts) => {
      const keys = texts.map((text) => stableHash({ tokenizer: this.identity, text }));
      const missing = texts.filter((_, index) => typeof cache.get(keys[index] as string) !== 'number');
      if (missing.length > 0) {
        const counts = await this.backend.doCountTokens({ texts: missing }, { signal });
        missing.forEach((text, index) => cache.set(stableHash({ tokenizer: this.identity, text }), counts[index] as number));
      }
      return keys.map((key) => cache.get(key) as number);
    };
    return { count, save: () => cache.save() };
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
    return truncateGenPrompt({ examples, maxSeqLen: this.maxSeqLen, countTokens, textOf: (rendered) => countedText(renderPrompt(rendered.dialogue, this.model.promptStyle).prompt) });
  }
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
