/**
 * The model contract every backend implements (specification version `v1`).
 *
 * Backends translate requests into one wire protocol or runtime, and nothing else: no retries, no caching, no
 * concurrency limits. Those are runner policy. Backends throw only {@link BackendCallError} (with `isRetryable`)
 * or {@link BackendUnavailableError}.
 *
 * Calls are per request: the runner keeps a continuous stream of requests in flight (see
 * docs/decisions/2026-11-28-per-request-backend-calls.md); an in-process backend batches concurrent calls itself.
 */
import type { Prompt } from './prompt.js';
import type { Warning } from './warning.js';

/**
 * The request kinds: lm-eval's `generate` and `loglikelihood`, plus `perplexity`, OpenCompass's PPL score of whole
 * prompts (what its `ceval_ppl` configs rank answer labels by).
 */
export type RequestKind = 'generate' | 'loglikelihood' | 'perplexity';

/** Decoding settings for one `generate` request. Fields a backend cannot honour become warnings. */
export interface GenerationSettings {
  /** Maximum number of new tokens. */
  readonly maxOutLen: number;
  /** Sampling temperature; 0 means greedy. Omitted: the backend's greedy default. */
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  /** Minimum number of new tokens (LMDeploy `min_new_tokens`). */
  readonly minOutLen?: number;
  /** Strings that end generation; the returned text is cut at the first occurrence of any of them. */
  readonly stopWords: readonly string[];
  readonly seed?: number;
  /** Extra body fields sent as-is (OpenCompass `generation_kwargs` / `extra_body`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface GenerateRequest {
  readonly kind: 'generate';
  readonly prompt: Prompt;
  readonly settings: GenerationSettings;
}

/**
 * Log-probability of `continuation` given `context`. Word-boundary whitespace belongs to the continuation
 * (`context: 'Answer:'`, `continuation: ' A'`), as lm-eval documents.
 */
export interface LoglikelihoodRequest {
  readonly kind: 'loglikelihood';
  readonly context: string;
  readonly continuation: string;
}

/**
 * OpenCompass's PPL score of each candidate text, scored as a group so a backend can evaluate the candidates'
 * shared prefix (the in-context examples and the question) once. Candidates are complete prompts in text form.
 */
export interface PerplexityRequest {
  readonly kind: 'perplexity';
  readonly candidates: ReadonlyArray<{
    /** The whole prompt to score. */
    readonly text: string;
    /**
     * The prompt without its in-context examples (OpenCompass's `testing input`; usually a suffix of `text`, not always:
     * `mmlu_ppl`'s hint comes before the examples). Backends count its tokens alone, for BPB.
     */
    readonly suffix: string;
  }>;
}

export type BackendRequest = GenerateRequest | LoglikelihoodRequest | PerplexityRequest;

export interface TokenUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

export interface GenerateResult {
  readonly kind: 'generate';
  /** The generated text after the stop-word cut. */
  readonly text: string;
  readonly finishReason?: string;
  readonly usage?: TokenUsage;
  readonly warnings: readonly Warning[];
}

export interface LoglikelihoodResult {
  readonly kind: 'loglikelihood';
  /** Sum of the continuation tokens' log-probabilities (natural log). */
  readonly logprob: number;
  /** Whether greedy decoding from `context` produces exactly the continuation. */
  readonly isGreedy: boolean;
  /** Number of continuation tokens scored. */
  readonly tokenCount: number;
}

/** One candidate's score. */
export interface PerplexityScore {
  /**
   * OpenCompass's PPL: the mean negative log-likelihood per token (natural log; not exponentiated), as the
   * backend's OpenCompass counterpart defines it. In-process backends follow `HuggingFaceBaseModel.get_ppl`: the
   * summed NLL of tokens 2..L divided by L, the token count including BOS. LMDeploy's `/get_ppl` returns its own mean.
   */
  readonly ppl: number;
  /** Tokens in the whole candidate text, BOS included. */
  readonly tokenCount: number;
  /** Tokens of `suffix` alone (for BPB = ppl × suffixTokenCount / UTF-8 bytes of suffix). */
  readonly suffixTokenCount: number;
}

export interface PerplexityResult {
  readonly kind: 'perplexity';
  /** One score per candidate, in request order. */
  readonly scores: readonly PerplexityScore[];
  /** Tokens actually evaluated (after any prefix reuse), for benchmarks. */
  readonly evaluatedTokens?: number;
}

/** Per-call options from the runner. */
export interface CallOptions {
  /** Aborts the call (per-request timeout, Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** What a backend can do, declared up front so the runner can refuse impossible work before any request. */
export interface BackendCapabilities {
  /** Request kinds the backend implements. */
  readonly requestKinds: readonly RequestKind[];
  /** The prompt shape this backend sends: `text` (completion) or `messages` (chat). */
  readonly promptKind: Prompt['kind'];
  /**
   * The backend counts tokens with the model's own tokenizer ({@link ModelBackend.doCountTokens}), what OpenCompass's
   * `max_seq_len` truncation of in-context examples needs. Absent or false: the runner cannot truncate and warns.
   */
  readonly tokenCount?: boolean;
}

/**
 * Texts to count with the model's tokenizer, as OpenCompass's `get_token_len` does: each whole text, with the
 * tokenizer's special tokens (BOS) added, no chat template applied.
 */
export interface TokenCountRequest {
  readonly texts: readonly string[];
}

/** A model backend, specification `v1`. Methods with a `do` prefix are called by the runner only. */
export interface ModelBackend {
  readonly specificationVersion: 'v1';
  /** Registered provider name, e.g. `openai`, `lmdeploy`. */
  readonly provider: string;
  /** The model identity used in store keys and logs (never contains secrets). */
  readonly modelId: string;
  readonly capabilities: BackendCapabilities;
  /** Instances with the same key share one server and one concurrency limit. */
  readonly connectionKey: string;
  /**
   * Prepare for requests: reach the server (or launch it), resolve the model name. Throws
   * {@link BackendUnavailableError} within a few seconds when the server cannot be reached.
   */
  doStart(options: CallOptions): Promise<BackendStartInfo>;
  doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult>;
  doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult>;
  doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult>;
  /**
   * Token counts of `request.texts`, in order (present when `capabilities.tokenCount` is true). Like every call, it
   * throws only {@link BackendCallError} or {@link BackendUnavailableError}.
   */
  doCountTokens?(request: TokenCountRequest, options: CallOptions): Promise<readonly number[]>;
  /** Release resources; stops any server the backend launched. Safe to call more than once. */
  doClose(): Promise<void>;
}

/** What a backend learned while starting, recorded in the run's config and logs. */
export interface BackendStartInfo {
  /** The model name the backend sends (from config, or asked from the server). */
  readonly modelName: string;
  /** The base URL in use, when the backend speaks HTTP. */
  readonly apiBase?: string;
  /** Settings the backend decided (threads, context size, template in use…), recorded in the run's config. */
  readonly effectiveSettings?: Readonly<Record<string, unknown>>;
  readonly warnings: readonly Warning[];
  /**
   * The engine's own start-up messages (e.g. llama.cpp's `n_ctx_seq (8192) > n_ctx_train (4096)`): written to the
   * run's log, shown on the console only with `--debug`. Settings sextant cannot honour belong in `warnings`.
   */
  readonly engineMessages?: readonly string[];
}
