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

/** The request kinds, as lm-eval splits them. */
export type RequestKind = 'generate' | 'loglikelihood';

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

export type BackendRequest = GenerateRequest | LoglikelihoodRequest;

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
  /** Release resources; stops any server the backend launched. Safe to call more than once. */
  doClose(): Promise<void>;
}

/** What a backend learned while starting, recorded in the run's config and logs. */
export interface BackendStartInfo {
  /** The model name the backend sends (from config, or asked from the server). */
  readonly modelName: string;
  /** The base URL in use, when the backend speaks HTTP. */
  readonly apiBase?: string;
  readonly warnings: readonly Warning[];
}
