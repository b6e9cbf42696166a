// Hand-written types for ./openai-test-server.mjs (plain JavaScript ESM so that
// the stand-in executables in ./bin can load it under plain `node`).
import type { IncomingHttpHeaders } from 'node:http';

/** The generation endpoints: POST /v1/chat/completions and POST /v1/completions. */
export type GenerationEndpoint = 'chat' | 'completions';

/** The scoring endpoints, answered by the toy model: POST /get_ppl, POST /v1/encode (LMDeploy), POST /tokenize (vLLM). */
export type ScoringEndpoint = 'get_ppl' | 'encode' | 'tokenize';

/** Endpoints a fault can be injected into (GET /v1/models included). */
export type FaultEndpoint = GenerationEndpoint | 'models' | ScoringEndpoint;

export type FinishReason = 'stop' | 'length';

export interface AnswerInfo {
  endpoint: GenerationEndpoint;
  /** Chat: the text of the last `user` message (content parts joined). Completions: the prompt string. */
  prompt: string;
  /** The parsed request body. */
  body: any;
  /** Index of this request in `server.requests`. */
  requestIndex: number;
}

/** Decides the full (untruncated) answer; `stop` and `max_tokens` are applied afterwards by the server. */
export type AnswerPolicy = (info: AnswerInfo) => string | Promise<string>;

export interface FaultInfo {
  endpoint: FaultEndpoint;
  /** Index of this request in `server.requests` (all requests, all paths). */
  requestIndex: number;
  /**
   * 0-based count of earlier requests to the same endpoint that reached the fault stage
   * (i.e. had a valid JSON body and passed the API-key check).
   */
  endpointRequestIndex: number;
  /** Parsed request body (undefined for GET /v1/models). */
  body: any;
  /** The request's headers (lower-cased names), e.g. to echo `authorization` as a careless server does. */
  headers: IncomingHttpHeaders;
}

export type Fault =
  /** Answer with this HTTP status and an error body; `Retry-After` header when retryAfterSeconds is set. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** HTTP 200 with a truncated JSON body (or, for stream: true, a truncated SSE data line then [DONE]). */
  | { kind: 'malformed-json' }
  /** Destroy the socket without answering. */
  | { kind: 'drop-connection' }
  /** Wait this long, then answer normally. */
  | { kind: 'delay'; ms: number }
  /**
   * Any answer: `status` (default 200), extra `headers`, and `body` (a string is sent as text/plain, anything else as
   * JSON): a `content: null` completion, an SSE stream of only `[DONE]`, a redirect with its Location, a model list.
   */
  | { kind: 'raw'; status?: number; headers?: Record<string, string>; body?: unknown };

export type FaultPolicy = (info: FaultInfo) => Fault | undefined | Promise<Fault | undefined>;

export interface ResponseLogInfo {
  method: string;
  path: string;
  status: number;
  remoteAddress: string;
  remotePort: number;
  /** false when the response did not finish (dropped connection, client went away, server closed). */
  completed: boolean;
}

export interface OpenAITestServerOptions {
  /** Port to listen on; default 0 (a random free port). */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** The only model served; `model` in request bodies must equal it (else 404). Default 'test-model'. */
  modelName?: string;
  /** Answer policy; default `defaultAnswer(info.prompt)`. */
  answer?: AnswerPolicy;
  /** When set, every /v1/* request needs `Authorization: Bearer <key>` with one of these keys (else 401). */
  apiKey?: string | string[];
  /** Fault injection, consulted after the body is parsed and the API key checked, before answering. */
  fault?: FaultPolicy;
  /** Fixed delay before each chat/completions answer; default 0. */
  latencyMs?: number;
  /** Code points per streamed content piece; default 3. */
  streamChunkChars?: number;
  /** Delay between SSE events; default 0. */
  streamChunkDelayMs?: number;
  /**
   * Error body shapes. 'openai' (default): `{"error":{message,type,param,code}}` everywhere.
   * 'lmdeploy': like LMDeploy's api_server — 401 `{"detail":{"error":{...}}}`, other errors
   * `{"object":"error","message","type","param","code":<http status>}`, unknown path `{"detail":"Not Found"}`,
   * top_p must be in (0, 1] and top_k >= 0; models are owned_by 'lmdeploy'.
   */
  flavor?: 'openai' | 'lmdeploy';
  /** `owned_by` of the model card; default 'sextant-test' ('lmdeploy' for that flavor). */
  ownedBy?: string;
  /** `max_model_len` reported by POST /tokenize; default 32768. */
  maxModelLen?: number;
  /** Called when each response closes (used by the stand-in lmdeploy for its access log). */
  onResponse?: (info: ResponseLogInfo) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. '/v1/chat/completions'. */
  path: string;
  /** The raw request target, query string included. */
  url: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the body is empty or not valid JSON. Filled once the body is read. */
  body: any;
  /** The raw body text. */
  rawBody: string;
  /** Date.now() when the request arrived. */
  receivedAt: number;
}

export interface OpenAITestServer {
  /** e.g. 'http://127.0.0.1:41234' (no trailing slash, no /v1). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order (live array; may be cleared with `requests.length = 0`). */
  readonly requests: RecordedRequest[];
  /** Highest number of requests being handled at the same time so far. */
  readonly maxInFlight: number;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** Stops listening, destroys all connections (keep-alive included), cancels pending delays. Idempotent. */
  close(): Promise<void>;
}

export function startOpenAITestServer(options?: OpenAITestServerOptions): Promise<OpenAITestServer>;

/**
 * The default answer policy. h = sha256(prompt); letter = 'ABCD'[h[0] % 4]; by h[1] % 4:
 * 0 → `${letter}`, 1 → `答案是${letter}。`, 2 → `${letter}. 因为……`, 3 → `The answer is ${letter}.`
 */
export function defaultAnswer(prompt: string): string;

/** Tokens as this server counts them: one per Unicode code point. */
export function countTokens(text: string): number;

/**
 * Cuts `text` at the earliest stop string (finish 'stop', stop string excluded), then to
 * `maxTokens` code points if longer (finish 'length'). This is exactly what the server does.
 */
export function applyStopAndMaxTokens(
  text: string,
  limits?: { stop?: string | string[] | null; maxTokens?: number | null },
): { text: string; finishReason: FinishReason };

// ---------------------------------------------------------------------------
// The toy language model behind the scoring endpoints.
//
// Endpoints (all flavors):
// - POST /get_ppl {input: string | number[]} → {ppl}: LMDeploy's mean cross-entropy over the L−1 predicted tokens
//   (tokens 2..L of toyTokenize(input), BOS included in L); 400 for fewer than 2 tokens.
// - POST /v1/encode {input: string | string[], add_bos = true, do_preprocess (ignored)} → {input_ids, length}
//   (arrays of both for a list input).
// - POST /tokenize {model?, prompt, add_special_tokens = true, return_token_strs = false}
//   → {count, max_model_len, tokens, token_strs}.
// - POST /v1/completions with `logprobs` 0 or 1 (not streaming): choices[0].logprobs =
//   {tokens, token_logprobs, top_logprobs, text_offset}; with `echo`, the prompt's tokens come first (BOS first with
//   null logprob and null top_logprobs), then the generated code points. top_logprobs: {greedy token (when logprobs
//   is 1), actual token}. `usage` keeps this server's code-point counts (no BOS).

/** The toy tokenizer's BOS id (1). */
export const TOY_BOS_ID: number;

/** BOS (id 1) unless `addBos` is false, then one id per Unicode code point (id = code point). */
export function toyTokenize(text: string, options?: { addBos?: boolean }): number[];

/** '<s>' for BOS, else the code point's character. */
export function toyTokenString(id: number): string;

/** 32-bit FNV-1a over the 8 bytes of `a` then `b` (each a little-endian uint32). */
export function toyPairHash(a: number, b: number): number;

/** The most likely next token: code point 97 + (last % 26), last = the final entry of `previousTokens` (non-empty). */
export function toyGreedyToken(previousTokens: readonly number[]): number;

/**
 * Natural-log probability of `token` after `previousTokens` (non-empty; only the last entry matters):
 * -0.25 for the greedy token, else -(1 + (toyPairHash(last, token) % 50) / 10).
 */
export function toyLogprob(previousTokens: readonly number[], token: number): number;
