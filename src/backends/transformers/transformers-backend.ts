import { basename, resolve } from 'node:path';
import {
  BackendCallError,
  EvalError,
  UnsupportedRequestError,
  type BackendCapabilities,
  type BackendStartInfo,
  type CallOptions,
  type GenerateRequest,
  type GenerateResult,
  type GenerationSettings,
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
import { cutAtStopWords } from '../../utils/index.js';
import { OnnxCausalLm, type KeyValueCache } from './onnx-causal-lm.js';
import { SerialQueue } from './serial-queue.js';
import { commonPrefixLength, scoreTokens, sum, type ScoringState } from './score-tokens.js';

/** Settings of the in-process ONNX backend (transformers.js + onnxruntime-node, CPU). */
export interface TransformersSettings {
  /** The model folder in Optimum layout: config.json, tokenizer.json (+ tokenizer_config.json), onnx/model.onnx. */
  readonly modelPath: string;
  /** `text`: prompts are tokenized as given (BOS added); `messages`: rendered with the tokenizer's chat template. */
  readonly promptKind: 'text' | 'messages';
  /** Weights to load (`onnx/model.onnx`). @default 'fp32' */
  readonly dtype?: 'fp32';
  /** onnxruntime intra-op threads. @default 1 on machines with ≤ 2 cores, else cores − 1 */
  readonly threads?: number;
  /** Evaluate the token prefix shared by a perplexity request's candidates once (KV-cache reuse). @default true */
  readonly prefixReuse?: boolean;
}

/**
 * An ONNX causal language model evaluated in-process with transformers.js: greedy generation, loglikelihood and
 * OpenCompass-style perplexity from raw logits. Files are read from `modelPath` only; no hub is ever contacted.
 * Concurrent calls are served one at a time, in arrival order.
 */
export class TransformersBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'transformers';
  readonly modelId: string;
  /** The absolute model folder. */
  readonly connectionKey: string;
  readonly capabilities: BackendCapabilities;
  private readonly folderName: string;
  private readonly queue = new SerialQueue();
  private loading: Promise<OnnxCausalLm> | undefined;
  private model: OnnxCausalLm | undefined;
  private lengthWarned = false;

  constructor(private readonly settings: TransformersSettings) {
    this.connectionKey = resolve(settings.modelPath);
    this.folderName = basename(this.connectionKey);
    this.modelId = `transformers:${this.folderName}:${settings.dtype ?? 'fp32'}`;
    this.capabilities = { requestKinds: ['generate', 'loglikelihood', 'perplexity'], promptKind: settings.promptKind, tokenCount: true };
  }

  /** Import transformers.js and load the tokenizer and model (once). */
  async doStart(_options: CallOptions): Promise<BackendStartInfo> {
    this.loading ??= OnnxCausalLm.load({ modelPath: this.connectionKey, dtype: this.settings.dtype ?? 'fp32', threads: this.settings.threads });
    try {
      this.model = await this.loading;
    } catch (error) {
      this.loading = undefined;
      throw error;
    }
    const warnings = this.settings.promptKind === 'messages' && !this.model.hasChatTemplate ? [this.plainChatWarning()] : [];
    return { modelName: this.folderName, warnings };
  }

  /**
   * Token ids of `text` as this backend feeds it to the model: BOS included (when the tokenizer adds one) unless
   * `addSpecialTokens` is false. Requires {@link doStart}.
   */
  tokenize(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.startedModel().encode(text, options.addSpecialTokens ?? true);
  }

  /** The model's own tokenizer, BOS included (OpenCompass's `get_token_len` of its in-process models). */
  async doCountTokens(request: TokenCountRequest, _options: CallOptions): Promise<readonly number[]> {
    return request.texts.map((text) => this.tokenize(text).length);
  }

  async doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    const { prompt, settings } = request;
    if (prompt.kind !== this.settings.promptKind) {
      throw new UnsupportedRequestError({ message: `the transformers backend is set up for ${this.settings.promptKind} prompts, got ${prompt.kind}` });
    }
    return this.run(options.signal, async () => {
      const model = this.startedModel();
      const warnings = unsupportedSettingWarnings(settings);
      const promptTokens = this.encodePrompt(model, prompt, warnings);
      this.noteLength(promptTokens.length + settings.maxOutLen, warnings);
      const maxNewTokens = settings.maxOutLen;
      if (maxNewTokens <= 0) {
        return { kind: 'generate', text: '', finishReason: 'length', usage: { promptTokens: promptTokens.length, completionTokens: 0 }, warnings };
      }
      const stopWords = settings.stopWords.filter((word) => word.length > 0);
      const decode = model.continuationDecoder(promptTokens);
      const hitsStopWord = (generated: readonly number[]) => {
        const text = decode(generated);
        return stopWords.some((word) => text.includes(word));
      };
      const generated = await model.generate({
        prompt: promptTokens,
        maxNewTokens,
        minNewTokens: settings.minOutLen,
        shouldStop: (ids) => options.signal?.aborted === true || (stopWords.length > 0 && hitsStopWord(ids)),
      });
      if (options.signal?.aborted) throw abortedError(options.signal.reason);
      const decoded = decode(generated);
      const text = cutAtStopWords(decoded, stopWords);
      const stopped = text.length < decoded.length || generated.length < maxNewTokens;
      return {
        kind: 'generate',
        text,
        finishReason: stopped ? 'stop' : 'length',
        usage: { promptTokens: promptTokens.length, completionTokens: generated.length },
        warnings,
      };
    });
  }

  /** Tokenizes context + continuation together (BOS first) and splits at the context's own token count, as lm-eval does. */
  async doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    return this.run(options.signal, async () => {
      const model = this.startedModel();
      const tokens = model.encode(request.context + request.continuation, true);
      const split = Math.min(model.encode(request.context, true).length, tokens.length);
      if (split === 0) {
        throw new BackendCallError({ message: 'empty context, and the tokenizer adds no BOS token to condition on', isRetryable: false });
      }
      this.noteLength(tokens.length);
      const scores = await scoreTokens({ forward: model.forward, tokens, signal: options.signal });
      // scores.logprobs[i - 1] belongs to tokens[i].
      const logprobs = scores.logprobs.slice(split - 1);
      return { kind: 'loglikelihood', logprob: sum(logprobs), isGreedy: scores.isGreedy.slice(split - 1).every(Boolean), tokenCount: logprobs.length };
    });
  }

  /**
   * OpenCompass `HuggingFaceBaseModel.get_ppl`: summed NLL of tokens 2..L over L (BOS counted). With prefix reuse
   * the candidates' common token prefix is evaluated once and each tail continues its key/value cache.
   */
  async doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    return this.run(options.signal, async () => {
      const model = this.startedModel();
      const encoded = request.candidates.map((candidate) => model.encode(candidate.text, true));
      for (const tokens of encoded) this.noteLength(tokens.length);
      const prefixLength = (this.settings.prefixReuse ?? true) && encoded.length > 1 ? commonPrefixLength(encoded) : 0;
      const { logprobSums, evaluatedTokens } = await this.sumLogprobs(encoded, prefixLength, options.signal);
      const scores = encoded.map((tokens, index): PerplexityScore => ({
        ppl: tokens.length === 0 ? 0 : -(logprobSums[index] as number) / tokens.length,
        tokenCount: tokens.length,
        suffixTokenCount: model.encode(request.candidates[index]?.suffix ?? '', false).length,
      }));
      return { kind: 'perplexity', scores, evaluatedTokens };
    });
  }

  /** Waits for queued calls, then releases the ONNX session. Safe to call more than once. */
  async doClose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    await this.queue.run(async () => {
      const model = this.model ?? (await loading?.catch(() => undefined));
      this.model = undefined;
      await model?.dispose();
    });
  }

  /** Each sequence's summed token log-probabilities; the first `prefixLength` tokens are evaluated once. */
  private async sumLogprobs(sequences: ReadonlyArray<readonly number[]>, prefixLength: number, signal: AbortSignal | undefined) {
    const { forward } = this.startedModel();
    let start: ScoringState<KeyValueCache> | undefined;
    let prefixSum = 0;
    let evaluatedTokens = 0;
    if (prefixLength > 0) {
      const prefix = await scoreTokens({ forward, tokens: (sequences[0] as readonly number[]).slice(0, prefixLength), signal });
      start = prefix.end;
      prefixSum = sum(prefix.logprobs);
      evaluatedTokens += prefix.evaluatedTokens;
    }
    const logprobSums: number[] = [];
    for (const tokens of sequences) {
      const tail = await scoreTokens({ forward, tokens: tokens.slice(prefixLength), start, signal });
      logprobSums.push(prefixSum + sum(tail.logprobs));
      evaluatedTokens += tail.evaluatedTokens;
    }
    return { logprobSums, evaluatedTokens };
  }

  private encodePrompt(model: OnnxCausalLm, prompt: Prompt, warnings: Warning[]): number[] {
    switch (prompt.kind) {
      case 'text':
        return model.encode(prompt.text, true);
      case 'messages':
        if (model.hasChatTemplate) return model.encode(model.renderChat(prompt.messages), false);
        warnings.push(this.plainChatWarning());
        return model.encode(prompt.messages.map((message) => message.content).join('\n'), true);
      default: {
        const unreachable: never = prompt;
        throw new TypeError(`unknown prompt kind ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * Inputs longer than the model's trained context (`max_position_embeddings`) are evaluated anyway, as llama.cpp
   * does (quality degrades past it); the first one in a run is reported as a warning.
   */
  private noteLength(tokenCount: number, warnings?: Warning[]): void {
    const limit = this.startedModel().maxPositions;
    if (!warnings || limit === undefined || tokenCount <= limit || this.lengthWarned) return;
    this.lengthWarned = true;
    warnings.push({
      type: 'other',
      message: `${tokenCount}-token input exceeds ${this.folderName}'s trained context of ${limit} tokens (max_position_embeddings); evaluated anyway, quality degrades past it`,
    });
  }

  private startedModel(): OnnxCausalLm {
    if (!this.model) throw new BackendCallError({ message: 'the transformers backend is not started (call doStart first)', isRetryable: false });
    return this.model;
  }

  /**
   * Runs `task` after the calls queued before it. Aborts become retryable call errors; tokenizer, template and
   * onnxruntime failures non-retryable ones.
   */
  private run<Result>(signal: AbortSignal | undefined, task: () => Promise<Result>): Promise<Result> {
    return this.queue.run(async () => {
      if (signal?.aborted) throw abortedError(signal.reason);
      try {
        return await task();
      } catch (error) {
        if (EvalError.isInstance(error)) throw error;
        if (signal?.aborted) throw abortedError(error);
        throw new BackendCallError({ message: `${this.folderName}: ${(error as Error).message}`, isRetryable: false, cause: error });
      }
    });
  }

  private plainChatWarning(): Warning {
    return {
      type: 'other',
      message: `${this.folderName} has no chat template: messages are sent as their contents joined by newlines`,
    };
  }
}

/** Warnings for generation settings this greedy-only backend ignores. */
function unsupportedSettingWarnings(settings: GenerationSettings): Warning[] {
  const warnings: Warning[] = [];
  const ignore = (setting: string, details: string) => warnings.push({ type: 'unsupported-setting', setting, details });
  if (settings.temperature !== undefined && settings.temperature > 0) ignore('temperature', 'the transformers backend decodes greedily');
  if (settings.topP !== undefined && settings.topP < 1) ignore('topP', 'the transformers backend decodes greedily');
  if (settings.topK !== undefined && settings.topK > 0) ignore('topK', 'the transformers backend decodes greedily');
  if (settings.extra && Object.keys(settings.extra).length > 0) ignore('extra', `not sent: ${Object.keys(settings.extra).join(', ')}`);
  return warnings;
}

function abortedError(cause: unknown): BackendCallError {
  return new BackendCallError({ message: 'the call was aborted (timeout or cancel)', isRetryable: true, cause });
}
