import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ChatWrapper, Llama, LlamaCompletion, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import {
  BackendCallError,
  BackendUnavailableError,
  EvalError,
  UnsupportedRequestError,
  type BackendCapabilities,
  type BackendStartInfo,
  type CallOptions,
  type GenerateRequest,
  type GenerateResult,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type ModelBackend,
  type PerplexityRequest,
  type PerplexityResult,
  type TokenCountRequest,
  type PerplexityScore,
  type Prompt,
  type Warning,
} from '../../spec/index.js';
import { chooseChatWrapper } from './choose-chat-wrapper.js';
import { defaultThreadCount } from './default-thread-count.js';
import type { LlamaCppEffectiveSettings, LlamaCppSettings } from './llama-cpp-settings.js';
import { generateCompletion } from './generate-completion.js';
import { renderChatPrompt } from './render-chat-prompt.js';
import { abortedError, SequencePool } from './sequence-pool.js';
import { collectLlamaWarnings, getSharedLlama, importNodeLlamaCpp } from './shared-llama.js';
import { commonPrefixLength, TokenScorer } from './token-scorer.js';

interface Slot {
  readonly scorer: TokenScorer;
  readonly completion: LlamaCompletion;
}

interface Loaded {
  readonly model: LlamaModel;
  /** One context per sequence (see {@link LlamaCppSettings.sequences}). */
  readonly contexts: readonly LlamaContext[];
  readonly slots: readonly Slot[];
  readonly pool: SequencePool<Slot>;
  readonly chatWrapper: ChatWrapper | undefined;
  /** The token every text starts with (BOS), when the model wants one. */
  readonly beginToken: Token | undefined;
  readonly effective: LlamaCppEffectiveSettings;
  readonly startInfo: BackendStartInfo;
}

/**
 * A GGUF model evaluated in-process with llama.cpp through node-llama-cpp (CPU). Implements all three request kinds:
 * `generate` (greedy unless a temperature is set), `loglikelihood` and `perplexity` (from full-vocabulary
 * log-probabilities). node-llama-cpp is an optional dependency, imported in `doStart` only.
 */
export class LlamaCppBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'llama-cpp';
  readonly capabilities: BackendCapabilities;
  readonly connectionKey: string;
  private readonly fileName: string;
  private fileSize: number | undefined;
  private starting: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;

  constructor(private readonly settings: LlamaCppSettings) {
    this.connectionKey = resolve(settings.modelPath);
    this.fileName = basename(settings.modelPath);
    this.capabilities = { requestKinds: ['generate', 'loglikelihood', 'perplexity'], promptKind: settings.promptKind, tokenCount: true };
  }

  /** `llama-cpp:<file name> (<size> bytes)`: identifies the weights without the machine-specific path. */
  get modelId(): string {
    if (this.fileSize === undefined) {
      try {
        this.fileSize = statSync(this.connectionKey).size;
      } catch {
        return `${this.provider}:${this.fileName}`;
      }
    }
    return `${this.provider}:${this.fileName} (${this.fileSize} bytes)`;
  }

  /** Threads, context size and the rest as actually used (also in `doStart`'s result); undefined before `doStart`. */
  get effectiveSettings(): LlamaCppEffectiveSettings | undefined {
    return this.loaded?.effective;
  }

  async doStart(options: CallOptions): Promise<BackendStartInfo> {
    const starting = (this.starting ??= this.start(options.signal).catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    }));
    const loaded = await starting;
    if (this.starting !== starting) throw new BackendUnavailableError({ message: 'the llama-cpp backend was closed while starting' });
    this.loaded = loaded;
    return loaded.startInfo;
  }

  async doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    const loaded = this.requireLoaded();
    const { prompt, settings } = request;
    if (prompt.kind !== this.settings.promptKind) {
      throw new UnsupportedRequestError({ message: `the llama-cpp backend is set up for ${this.settings.promptKind} prompts, got ${prompt.kind}` });
    }
    const warnings: Warning[] = [];
    if (settings.minOutLen !== undefined && settings.minOutLen > 0) {
      warnings.push({ type: 'unsupported-setting', setting: 'minOutLen', details: 'the llama-cpp backend does not enforce a minimum length' });
    }
    if (settings.extra && Object.keys(settings.extra).length > 0) {
      warnings.push({ type: 'unsupported-setting', setting: 'extra', details: `ignored by the llama-cpp backend: ${Object.keys(settings.extra).join(', ')}` });
    }
    const { promptTokens, body, stopTriggers } = this.renderPrompt(loaded, prompt);
    const room = loaded.effective.contextSize - promptTokens.length;
    if (room < 1) {
      throw new BackendCallError({
        message: `the prompt is ${promptTokens.length} tokens long, leaving no room in the context of ${loaded.effective.contextSize} tokens (raise contextSize)`,
        isRetryable: false,
      });
    }
    const maxTokens = Math.min(settings.maxOutLen, room);
    if (maxTokens < settings.maxOutLen) {
      warnings.push({
        type: 'other',
        message: `maxOutLen=${settings.maxOutLen} cut to ${maxTokens} new tokens by the context size of ${loaded.effective.contextSize}`,
      });
    }
    const usage = { promptTokens: promptTokens.length };
    if (maxTokens <= 0) return { kind: 'generate', text: '', finishReason: 'length', usage: { ...usage, completionTokens: 0 }, warnings };
    const outcome = await this.call(() =>
      loaded.pool.run({
        tokens: promptTokens,
        ...(options.signal ? { signal: options.signal } : {}),
        work: async (slot) => {
          try {
            return await generateCompletion({
              completion: slot.completion,
              model: loaded.model,
              promptTokens: body,
              maxTokens,
              settings,
              stopTriggers,
              ...(options.signal ? { signal: options.signal } : {}),
            });
          } finally {
            slot.scorer.syncWithSequence();
          }
        },
      }),
    );
    return {
      kind: 'generate',
      text: outcome.text,
      finishReason: outcome.finishReason,
      usage: { ...usage, completionTokens: outcome.completionTokens },
      warnings,
    };
  }

  async doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    const loaded = this.requireLoaded();
    if (request.continuation === '') return { kind: 'loglikelihood', logprob: 0, isGreedy: true, tokenCount: 0 };
    // Tokenized together and split at the context's length: the continuation alone would get a stray leading space.
    let tokens = this.textTokens(loaded, request.context + request.continuation);
    let split = this.textTokens(loaded, request.context).length;
    if (split === 0) {
      // No BOS and no context: condition the first token on end-of-text, as lm-eval does.
      const eos = loaded.model.tokens.eos;
      if (eos === null) throw new BackendCallError({ message: 'the model has neither BOS nor EOS to condition an empty context on', isRetryable: false });
      tokens = [eos, ...tokens];
      split = 1;
    }
    const from = Math.max(1, Math.min(split, tokens.length - 1));
    const { scores } = await this.call(() =>
      loaded.pool.run({
        tokens,
        ...(options.signal ? { signal: options.signal } : {}),
        work: (slot) => slot.scorer.score({ tokens, from }),
      }),
    );
    return {
      kind: 'loglikelihood',
      logprob: scores.reduce((sum, score) => sum + score.logprob, 0),
      isGreedy: scores.every((score) => score.isGreedy),
      tokenCount: scores.length,
    };
  }

  /**
   * OpenCompass's HF base-model PPL per candidate: the summed NLL of tokens 2..L divided by L, the token count
   * including BOS. The candidates run back to back on one sequence, so their shared prefix is evaluated once.
   */
  async doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    const loaded = this.requireLoaded();
    const prepared = request.candidates.map((candidate) => ({
      tokens: this.textTokens(loaded, candidate.text),
      suffixTokenCount: loaded.model.tokenize(candidate.suffix).length,
    }));
    if (prepared.length === 0) return { kind: 'perplexity', scores: [], evaluatedTokens: 0 };
    const first = prepared[0] as (typeof prepared)[number];
    const shared = prepared.reduce((length, candidate) => Math.min(length, commonPrefixLength(first.tokens, candidate.tokens)), first.tokens.length);
    return this.call(() =>
      loaded.pool.run({
        tokens: first.tokens,
        ...(options.signal ? { signal: options.signal } : {}),
        work: async (slot) => {
          const scores: PerplexityScore[] = [];
          let evaluatedTokens = 0;
          for (const candidate of prepared) {
            if (options.signal?.aborted) throw abortedError(options.signal);
            const length = candidate.tokens.length;
            let nll = 0;
            if (length >= 2) {
              const result = await slot.scorer.score({ tokens: candidate.tokens, from: 1, branchAt: shared - 1 });
              evaluatedTokens += result.evaluatedTokens;
              nll = -result.scores.reduce((sum, score) => sum + score.logprob, 0);
            }
            scores.push({ ppl: length > 0 ? nll / length : 0, tokenCount: length, suffixTokenCount: candidate.suffixTokenCount });
          }
          return { kind: 'perplexity' as const, scores, evaluatedTokens };
        },
      }),
    );
  }

  /** Token ids of `text` as the model sees it (BOS first unless `addSpecialTokens` is false). For tests and tools. */
  tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    const loaded = this.requireLoaded();
    const tokens: Token[] = options.addSpecialTokens === false ? loaded.model.tokenize(text) : this.textTokens(loaded, text);
    return tokens.map((token) => Number(token));
  }

  /** The model's own tokenizer, BOS included (OpenCompass's `get_token_len` of its in-process models). */
  async doCountTokens(request: TokenCountRequest, _options: CallOptions): Promise<readonly number[]> {
    return request.texts.map((text) => this.tokenize(text).length);
  }

  async doClose(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    const loaded = this.loaded ?? (await starting?.catch(() => undefined));
    this.loaded = undefined;
    if (!loaded) return;
    loaded.pool.close('the llama-cpp backend was closed');
    for (const slot of loaded.slots) slot.completion.dispose({ disposeSequence: false });
    for (const context of loaded.contexts) await context.dispose();
    await loaded.model.dispose();
  }

  private async start(signal: AbortSignal | undefined): Promise<Loaded> {
    const modelPath = this.connectionKey;
    const module = await importNodeLlamaCpp();
    try {
      this.fileSize = (await stat(modelPath)).size;
    } catch (error) {
      throw new BackendUnavailableError({ message: `cannot read the model file ${modelPath}: ${(error as Error).message}`, cause: error });
    }
    const threads = this.settings.threads ?? defaultThreadCount();
    const sequences = this.settings.sequences ?? 1;
    const llama = await getSharedLlama();
    const { model, contexts, messages } = await this.load({ llama, modelPath, threads, sequences, signal });
    try {
      const context = contexts[0] as LlamaContext;
      const warnings: Warning[] = [];
      const engineMessages = messages.map((message) => `llama.cpp: ${message}`);
      if (context.contextSize > model.trainContextSize && !messages.some((message) => message.includes('n_ctx_train'))) {
        engineMessages.push(`context size ${context.contextSize} exceeds the ${model.trainContextSize} tokens the model was trained with`);
      }
      const chat =
        this.settings.promptKind === 'messages'
          ? chooseChatWrapper({ module, model, fileName: this.fileName, ...(this.settings.chatTemplate ? { requested: this.settings.chatTemplate } : {}) })
          : undefined;
      if (chat) warnings.push({ type: 'other', message: chat.description });
      const prefixReuse = this.settings.prefixReuse ?? true;
      const slots = contexts.map((each): Slot => {
        const sequence = each.getSequence();
        return { scorer: new TokenScorer(sequence, prefixReuse), completion: new module.LlamaCompletion({ contextSequence: sequence }) };
      });
      const effective: LlamaCppEffectiveSettings = {
        threads,
        contextSize: context.contextSize,
        trainContextSize: model.trainContextSize,
        sequences,
        batchSize: context.batchSize,
        prefixReuse,
        ...(chat ? { chatTemplate: chat.kind } : {}),
        llamaCppRelease: llama.llamaCppRelease.release,
      };
      return {
        model,
        contexts,
        slots,
        pool: new SequencePool(slots, (slot, wanted) => commonPrefixLength(slot.scorer.tokens, wanted)),
        chatWrapper: chat?.wrapper,
        beginToken: model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? model.tokens.bos : undefined,
        effective,
        startInfo: { modelName: this.fileName.replace(/\.gguf$/i, ''), effectiveSettings: { ...effective }, warnings, engineMessages },
      };
    } catch (error) {
      for (const each of contexts) await each.dispose();
      await model.dispose();
      throw error;
    }
  }

  /**
   * Load the model and one context per sequence (node-llama-cpp 3.21.1 sometimes returns wrong probabilities when a
   * `controlledEvaluate` shares a batch with another sequence's generation in the same context), collecting
   * llama.cpp's warnings on the way.
   */
  private async load(options: { llama: Llama; modelPath: string; threads: number; sequences: number; signal: AbortSignal | undefined }) {
    const { signal } = options;
    const resources: { model?: LlamaModel; contexts: LlamaContext[] } = { contexts: [] };
    try {
      const { result, messages } = await collectLlamaWarnings(async () => {
        const model = (resources.model = await options.llama.loadModel({ modelPath: options.modelPath, ...(signal ? { loadSignal: signal } : {}) }));
        while (resources.contexts.length < options.sequences) {
          const context = await model.createContext({
            contextSize: this.settings.contextSize ?? 2048,
            // Long prompts (few-shot C-Eval) evaluate faster in big batches (3,000 tokens: ~30% less time than 512).
            batchSize: Math.min(this.settings.contextSize ?? 2048, 2048),
            threads: options.threads,
            // Models with sliding-window attention keep their whole KV cache, so any prefix can be reused.
            swaFullCache: true,
            ...(signal ? { createSignal: signal } : {}),
          });
          resources.contexts.push(context);
        }
        return { model, contexts: resources.contexts };
      });
      return { ...result, messages: [...new Set(messages)] };
    } catch (error) {
      for (const each of resources.contexts) await each.dispose();
      await resources.model?.dispose();
      throw new BackendUnavailableError({ message: `llama.cpp could not load ${options.modelPath}: ${(error as Error).message}`, cause: error });
    }
  }

  /**
   * A generate prompt's tokens (`promptTokens`, BOS included) and the same without the BOS that `LlamaCompletion`
   * prepends itself (`body`). Messages go through the chat template, whose stop triggers come along.
   */
  private renderPrompt(loaded: Loaded, prompt: Prompt) {
    const rendered =
      prompt.kind === 'text'
        ? { tokens: this.textTokens(loaded, prompt.text), stopTriggers: [] }
        : renderChatPrompt({ wrapper: loaded.chatWrapper as ChatWrapper, messages: prompt.messages, tokenizer: loaded.model.tokenizer });
    const begin = loaded.beginToken;
    const body = begin !== undefined && rendered.tokens[0] === begin ? rendered.tokens.slice(1) : rendered.tokens;
    return { promptTokens: begin !== undefined ? [begin, ...body] : body, body, stopTriggers: rendered.stopTriggers };
  }

  /** A text's tokens as a model sees it: BOS (when the model uses one), then the text with SentencePiece's leading space. */
  private textTokens(loaded: Loaded, text: string): Token[] {
    const tokens = loaded.model.tokenize(text);
    return loaded.beginToken !== undefined ? [loaded.beginToken, ...tokens] : tokens;
  }

  private requireLoaded(): Loaded {
    if (!this.loaded) throw new BackendCallError({ message: 'the llama-cpp backend is not started (doStart) or already closed', isRetryable: false });
    return this.loaded;
  }

  /** Run a model call; errors that are not sextant's own become non-retryable {@link BackendCallError}s. */
  private async call<Result>(work: () => Promise<Result>): Promise<Result> {
    try {
      return await work();
    } catch (error) {
      if (EvalError.isInstance(error)) throw error;
      throw new BackendCallError({ message: `llama.cpp failed: ${(error as Error).message}`, isRetryable: false, cause: error });
    }
  }
}
