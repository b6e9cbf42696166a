import {
  BackendCallError,
  BackendUnavailableError,
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
  type Warning,
} from '../../spec/index.js';
import { cutAtStopWords } from '../../utils/cut-at-stop-words.js';
import { HttpJsonClient, malformedResponseError, saysPromptTooLong } from './http-json-client.js';
import { loadLocalTokenizer, type LocalTokenizer } from './local-tokenizer.js';
import { chatChunkSchema, chatCompletionSchema, modelsResponseSchema, textChunkSchema, textCompletionSchema } from './openai-response-schemas.js';
import { parseResponse as parseOrThrow } from './parse-response.js';
import { countServerTokens, scoreLoglikelihood, scorePerplexity, type PromptLogprobsServer } from './prompt-logprobs.js';
import { readServerSentEvents } from './read-server-sent-events.js';

/** Settings of one OpenAI-compatible endpoint. */
export interface OpenAICompatibleSettings {
  /** Provider name recorded in logs. @default 'openai' */
  readonly provider?: string;
  /** Base URL, with or without the trailing `/v1` (e.g. `http://127.0.0.1:23333` or `https://api.openai.com/v1`). */
  readonly apiBase: string;
  /** Model name sent in requests; when absent, the first model the server lists at `/v1/models`. */
  readonly modelName?: string;
  /** Bearer token. Sent only in the `Authorization` header; never logged or written. */
  readonly apiKey?: string;
  /** `messages`: `/v1/chat/completions`; `text`: `/v1/completions`. */
  readonly promptKind: 'messages' | 'text';
  /** Request server-sent events and assemble the answer from the chunks. @default false */
  readonly stream?: boolean;
  /** Body fields added to every generation request (e.g. LMDeploy's `top_k`). Request settings win. */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  /** Text cut from the answer at its first occurrence, after stop words (OpenCompass `end_str`). */
  readonly endStr?: string;
  /** Trim whitespace around the answer, as OpenCompass's `OpenAI`/`OpenAISDK` classes do. @default false */
  readonly trimOutput?: boolean;
  /** Drop U+FFFD from the answer, as OpenCompass's `TurboMindAPIModel` does. @default false */
  readonly dropReplacementCharacters?: boolean;
  /** How long `doStart` waits for the server to answer. @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * The server returns the prompt's token logprobs for `echo: true` with `logprobs` on `/v1/completions`, and counts
   * tokens at `POST /tokenize` (vLLM does both). With `promptKind: 'text'` this adds the `perplexity` (OpenCompass's
   * `VLLM.get_ppl`) and `loglikelihood` request kinds; with `messages` it is ignored. @default false
   */
  readonly promptLogprobs?: boolean;
  /** The server counts tokens at `POST /tokenize` (vLLM): adds the `tokenCount` capability. @default false */
  readonly tokenizeRoute?: boolean;
  /**
   * The model's `tokenizer.json` (or its folder), for servers without a tokenize route: tokens are counted locally
   * (`tokenCount` capability). Read with transformers.js (an optional dependency) when the backend starts.
   */
  readonly tokenizerPath?: string;
}

/** The `/v1` base URL for a user-given API base. */
export function normaliseApiBase(apiBase: string): string {
  const trimmed = apiBase.replace(/\/+$/, '');
  return /\/v\d+$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** The server root for a user-given API base (no `/v1`): where LMDeploy's `/get_ppl` and vLLM's `/tokenize` live. */
export function serverRootUrl(apiBase: string): string {
  return normaliseApiBase(apiBase).replace(/\/v\d+$/, '');
}

/**
 * A backend for any server that speaks the OpenAI API (LMDeploy `api_server`, vLLM, SGLang, Ollama, llama.cpp's
 * server, OpenAI): chat prompts to `/v1/chat/completions`, text prompts to `/v1/completions`.
 */
export class OpenAICompatibleBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly capabilities: BackendCapabilities;
  readonly connectionKey: string;
  private readonly baseUrl: string;
  private readonly client: HttpJsonClient;
  private modelName: string | undefined;
  private localTokenizer: LocalTokenizer | undefined;
  /** `perplexity` and `loglikelihood` over echo + logprobs are on (`promptLogprobs` with text prompts). */
  private readonly scoresPrompts: boolean;

  constructor(private readonly settings: OpenAICompatibleSettings) {
    this.provider = settings.provider ?? 'openai';
    this.baseUrl = normaliseApiBase(settings.apiBase);
    this.connectionKey = this.baseUrl;
    this.modelName = settings.modelName;
    this.scoresPrompts = settings.promptLogprobs === true && settings.promptKind === 'text';
    this.capabilities = {
      requestKinds: this.scoresPrompts ? ['generate', 'loglikelihood', 'perplexity'] : ['generate'],
      promptKind: settings.promptKind,
      ...(settings.tokenizeRoute || settings.tokenizerPath !== undefined ? { tokenCount: true } : {}),
    };
    this.client = new HttpJsonClient({
      headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
    });
  }

  get modelId(): string {
    return `${this.provider}:${this.modelName ?? '?'}@${this.baseUrl}`;
  }

  async doStart(options: CallOptions): Promise<BackendStartInfo> {
    const warnings: Warning[] = [];
    if (this.settings.tokenizerPath !== undefined && !this.localTokenizer) this.localTokenizer = await loadLocalTokenizer(this.settings.tokenizerPath);
    const url = `${this.baseUrl}/models`;
    const timeout = AbortSignal.timeout(this.settings.connectTimeoutMs ?? 5000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let listed: string[] | undefined;
    try {
      const parsed = modelsResponseSchema.safeParse(await this.client.json({ url, method: 'GET', signal }));
      if (parsed.success) listed = parsed.data.data.map((model) => model.id);
      else warnings.push({ type: 'other', message: `${url} answered, but not with a model list` });
    } catch (error) {
      const callError = error as BackendCallError;
      const unreachable = callError.statusCode === undefined;
      if (unreachable || callError.statusCode === 401 || callError.statusCode === 403 || !this.modelName) {
        throw new BackendUnavailableError({
          message: unreachable ? `${callError.message}. Is the server running at ${this.baseUrl}? (checked ${url})` : callError.message,
          cause: error,
        });
      }
      warnings.push({ type: 'other', message: `${url} failed (${callError.message}); using model name ${this.modelName}` });
    }
    if (!this.modelName) {
      if (!listed || listed.length === 0) {
        throw new BackendUnavailableError({ message: `${url} lists no models; give the model name with --model-name` });
      }
      this.modelName = listed[0] as string;
      if (listed.length > 1) {
        warnings.push({ type: 'other', message: `${url} lists ${listed.length} models (${listed.join(', ')}); using the first, ${this.modelName}` });
      }
    } else if (listed && !listed.includes(this.modelName)) {
      warnings.push({ type: 'other', message: `model ${this.modelName} is not among the models ${url} lists (${listed.join(', ')})` });
    }
    return { modelName: this.modelName, apiBase: this.baseUrl, warnings };
  }

  async doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    const { prompt, settings } = request;
    if (prompt.kind !== this.settings.promptKind) {
      throw new UnsupportedRequestError({ message: `${this.provider} backend is set up for ${this.settings.promptKind} prompts, got ${prompt.kind}` });
    }
    const isChat = prompt.kind === 'messages';
    const url = `${this.baseUrl}/${isChat ? 'chat/completions' : 'completions'}`;
    const body: Record<string, unknown> = {
      ...this.settings.extraBody,
      model: this.modelName,
      ...(isChat ? { messages: prompt.messages } : { prompt: prompt.text }),
      max_tokens: settings.maxOutLen,
      temperature: settings.temperature ?? 0,
      ...(settings.topP !== undefined ? { top_p: settings.topP } : {}),
      ...(settings.topK !== undefined ? { top_k: settings.topK } : {}),
      ...(settings.minOutLen !== undefined ? { min_new_tokens: settings.minOutLen } : {}),
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
      ...(settings.stopWords.length > 0 ? { stop: [...settings.stopWords] } : {}),
      ...settings.extra,
      stream: this.settings.stream ?? false,
    };
    const answer = this.settings.stream ? await this.readStream(url, body, isChat, options.signal) : await this.readJson(url, body, isChat, options.signal);
    let text = this.settings.dropReplacementCharacters ? answer.text.replaceAll('\uFFFD', '') : answer.text;
    text = cutAtStopWords(text, settings.stopWords);
    if (this.settings.endStr) text = cutAtStopWords(text, [this.settings.endStr]);
    if (this.settings.trimOutput) text = text.trim();
    return {
      kind: 'generate',
      text,
      ...(answer.finishReason ? { finishReason: answer.finishReason } : {}),
      ...(answer.usage ? { usage: answer.usage } : {}),
      warnings: [],
    };
  }

  async doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    return scoreLoglikelihood(this.promptLogprobsServer('loglikelihood'), request, options.signal);
  }

  async doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    return scorePerplexity(this.promptLogprobsServer('perplexity'), request, options.signal);
  }

  /** `tokenizerPath`'s tokenizer, else vLLM's `POST /tokenize`, with special tokens (BOS), as OpenCompass's `get_token_len` counts. */
  async doCountTokens(request: TokenCountRequest, options: CallOptions): Promise<readonly number[]> {
    const local = this.localTokenizer;
    if (local) return request.texts.map((text) => local.count(text));
    if (!this.settings.tokenizeRoute)
      throw new UnsupportedRequestError({ message: `the ${this.provider} backend cannot count tokens (no /tokenize route configured)` });
    const server = { client: this.client, baseUrl: this.baseUrl, rootUrl: this.baseUrl.replace(/\/v\d+$/, ''), modelName: this.modelName };
    return Promise.all(request.texts.map((text) => countServerTokens(server, text, true, options.signal)));
  }

  async doClose(): Promise<void> {
    await this.client.close();
  }

  private promptLogprobsServer(kind: 'loglikelihood' | 'perplexity'): PromptLogprobsServer {
    if (!this.scoresPrompts) {
      throw new UnsupportedRequestError({
        message:
          this.settings.promptLogprobs && this.settings.promptKind !== 'text'
            ? `the ${this.provider} backend scores ${kind} requests only with promptKind 'text' (it is set up for ${this.settings.promptKind})`
            : `the ${this.provider} backend does not support ${kind} requests (they need a server that echoes prompt logprobs, such as vLLM: set promptLogprobs)`,
      });
    }
    return { client: this.client, baseUrl: this.baseUrl, rootUrl: this.baseUrl.replace(/\/v\d+$/, ''), modelName: this.modelName };
  }

  private async readJson(url: string, body: unknown, isChat: boolean, signal?: AbortSignal) {
    const raw = await this.client.json({ url, method: 'POST', body, ...(signal ? { signal } : {}) });
    if (isChat) {
      const choice = parseOrThrow(chatCompletionSchema, raw, url);
      const first = choice.choices[0] as (typeof choice.choices)[number];
      if (first.message.content == null && !first.message.reasoning_content) throw noContentError(url, first.finish_reason);
      // Reasoning models: OpenCompass joins the reasoning and the answer with `</think>`.
      const content = first.message.content ?? '';
      const text = first.message.reasoning_content ? `${first.message.reasoning_content}</think>${content}` : content;
      return checkedAnswer(url, { text, finishReason: first.finish_reason ?? undefined, usage: toUsage(choice.usage) });
    }
    const completion = parseOrThrow(textCompletionSchema, raw, url);
    const first = completion.choices[0] as (typeof completion.choices)[number];
    return checkedAnswer(url, { text: first.text, finishReason: first.finish_reason ?? undefined, usage: toUsage(completion.usage) });
  }

  private async readStream(url: string, body: unknown, isChat: boolean, signal?: AbortSignal) {
    const stream = await this.client.stream({ url, body, ...(signal ? { signal } : {}) });
    let text = '';
    let finishReason: string | undefined;
    let usage: ReturnType<typeof toUsage>;
    let choices = 0;
    try {
      for await (const payload of readServerSentEvents(stream)) {
        let chunk: unknown;
        try {
          chunk = JSON.parse(payload);
        } catch {
          throw malformedResponseError(url, `a stream chunk is not JSON: ${JSON.stringify(payload.slice(0, 200))}`);
        }
        if (isChat) {
          const parsed = parseOrThrow(chatChunkSchema, chunk, url);
          for (const choice of parsed.choices) {
            choices += 1;
            text += choice.delta?.content ?? '';
            finishReason = choice.finish_reason ?? finishReason;
          }
          usage = toUsage(parsed.usage) ?? usage;
        } else {
          const parsed = parseOrThrow(textChunkSchema, chunk, url);
          for (const choice of parsed.choices) {
            choices += 1;
            text += choice.text ?? '';
            finishReason = choice.finish_reason ?? finishReason;
          }
          usage = toUsage(parsed.usage) ?? usage;
        }
      }
    } catch (error) {
      if (BackendCallError.isInstance(error)) throw error;
      throw new BackendCallError({ message: `stream from ${url} broke off: ${(error as Error).message}`, url, isRetryable: true, cause: error });
    }
    // A stream that ends without a single choice (only `[DONE]`) carried no answer: a broken transport, retried.
    if (choices === 0) {
      throw new BackendCallError({ message: `stream from ${url} ended without any answer chunk (only [DONE]): no answer to store`, url, isRetryable: true });
    }
    return checkedAnswer(url, { text, finishReason, usage });
  }
}

/**
 * An answer with no content at all (`content: null` or missing, no reasoning) is not an empty prediction: the sample
 * fails with this reason. Not retryable: with greedy decoding the same prompt gets the same answer (a reasoning model
 * that spent its token budget, a refusal, a tool call); `-r` retries failed samples if the cause was passing.
 */
function noContentError(url: string, finishReason: string | null | undefined): BackendCallError {
  return new BackendCallError({
    message: `${url} answered without content (message.content is null or missing, finish_reason ${JSON.stringify(finishReason ?? null)}): no answer to store`,
    url,
    isRetryable: false,
  });
}

/**
 * LMDeploy answers HTTP 200 with `finish_reason: "error"` and an error text in place of the answer (e.g.
 * `internal error happened, status code ResponseType.INPUT_LENGTH_ERROR` when the prompt exceeds `session_len`):
 * never store that as a prediction. A prompt too long is not retryable; other engine errors are.
 */
function checkedAnswer<Answer extends { text: string; finishReason: string | undefined }>(url: string, answer: Answer): Answer {
  if (answer.finishReason !== 'error') return answer;
  const tooLong = saysPromptTooLong(answer.text);
  throw new BackendCallError({
    message: `${url} answered with finish_reason "error": ${JSON.stringify(answer.text.slice(0, 300))}${tooLong ? ' (the prompt is too long for the model: this sample fails, the run goes on)' : ''}`,
    url,
    isRetryable: !tooLong,
  });
}

function toUsage(usage: { prompt_tokens?: number | undefined; completion_tokens?: number | undefined } | null | undefined) {
  if (!usage) return undefined;
  return {
    ...(usage.prompt_tokens !== undefined ? { promptTokens: usage.prompt_tokens } : {}),
    ...(usage.completion_tokens !== undefined ? { completionTokens: usage.completion_tokens } : {}),
  };
}
