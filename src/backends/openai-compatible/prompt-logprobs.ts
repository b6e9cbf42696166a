import {
  BackendCallError,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type PerplexityRequest,
  type PerplexityResult,
  type PerplexityScore,
} from '../../spec/index.js';
import { malformedResponseError, type HttpJsonClient } from './http-json-client.js';
import { echoLogprobsCompletionSchema, tokenizeResponseSchema } from './openai-response-schemas.js';
import { parseResponse } from './parse-response.js';

/**
 * Prompt scoring over the OpenAI protocol as vLLM serves it: `echo: true` with `logprobs` on `/v1/completions`
 * returns the prompt's own tokens with their log-probabilities, and `POST /tokenize` (at the server root) counts
 * tokens. This is what OpenCompass's `VLLM.get_ppl` reads from vLLM's `prompt_logprobs`.
 */
export interface PromptLogprobsServer {
  readonly client: HttpJsonClient;
  /** The `/v1` base URL. */
  readonly baseUrl: string;
  /** The server root (no `/v1`), where vLLM serves `/tokenize`. */
  readonly rootUrl: string;
  readonly modelName: string | undefined;
}

/** The prompt part of an echo: one entry per prompt token (BOS included when the tokenizer adds one). */
export interface EchoedPrompt {
  readonly tokens: readonly string[];
  /** Natural-log probability of each token given the ones before it; null for the first token. */
  readonly logprobs: readonly (number | null)[];
  /** Each position's top alternatives (token text → logprob); null for the first token. */
  readonly topLogprobs: readonly (Readonly<Record<string, number>> | null)[];
}

/**
 * Echo `text` with logprobs. The server generates one token (some servers refuse `max_tokens: 0`); it is cut off
 * using `usage.completion_tokens`: the prompt is the first `tokens.length − completion_tokens` entries.
 */
export async function echoPrompt(server: PromptLogprobsServer, text: string, signal?: AbortSignal): Promise<EchoedPrompt> {
  const url = `${server.baseUrl}/completions`;
  const body = { model: server.modelName, prompt: text, max_tokens: 1, echo: true, logprobs: 1, temperature: 0, stream: false };
  const raw = await server.client.json({ url, method: 'POST', body, ...(signal ? { signal } : {}) });
  const parsed = parseResponse(echoLogprobsCompletionSchema, raw, url);
  const logprobs = (parsed.choices[0] as (typeof parsed.choices)[number]).logprobs;
  const total = logprobs.tokens.length;
  if (logprobs.token_logprobs.length !== total || (logprobs.top_logprobs && logprobs.top_logprobs.length !== total)) {
    throw malformedResponseError(url, `logprobs: tokens, token_logprobs and top_logprobs differ in length`);
  }
  const generated = parsed.usage.completion_tokens;
  const promptLength = total - generated;
  if (generated > 1 || promptLength < 1) {
    throw malformedResponseError(
      url,
      `${total} echoed tokens with ${generated} generated: cannot find the prompt's tokens (does the server echo prompt logprobs?)`,
    );
  }
  const tokenLogprobs = logprobs.token_logprobs.slice(0, promptLength);
  const missing = tokenLogprobs.findIndex((value, index) => index > 0 && value === null);
  if (missing !== -1) throw malformedResponseError(url, `logprobs.token_logprobs.${missing} is null (only the first prompt token may be)`);
  return {
    tokens: logprobs.tokens.slice(0, promptLength),
    logprobs: tokenLogprobs,
    topLogprobs: logprobs.top_logprobs ? logprobs.top_logprobs.slice(0, promptLength) : tokenLogprobs.map(() => null),
  };
}

/** Tokens in `text` by the server's tokenizer (`POST /tokenize`); `addSpecialTokens` adds BOS where the model uses one. */
export async function countServerTokens(server: PromptLogprobsServer, text: string, addSpecialTokens: boolean, signal?: AbortSignal): Promise<number> {
  const url = `${server.rootUrl}/tokenize`;
  const body = { model: server.modelName, prompt: text, add_special_tokens: addSpecialTokens };
  const raw = await server.client.json({ url, method: 'POST', body, ...(signal ? { signal } : {}) });
  return parseResponse(tokenizeResponseSchema, raw, url).count;
}

/**
 * OpenCompass's `VLLM.get_ppl`: the summed −logprob of tokens 2..N divided by N, N = the prompt's tokens (BOS
 * included). `suffixTokenCount` tokenizes the suffix without special tokens, as the LMDeploy backend does.
 */
export async function scorePerplexity(server: PromptLogprobsServer, request: PerplexityRequest, signal?: AbortSignal): Promise<PerplexityResult> {
  const scores = await Promise.all(
    request.candidates.map(async (candidate): Promise<PerplexityScore> => {
      const [echoed, suffixTokenCount] = await Promise.all([
        echoPrompt(server, candidate.text, signal),
        countServerTokens(server, candidate.suffix, false, signal),
      ]);
      let nll = 0;
      for (let index = 1; index < echoed.logprobs.length; index += 1) nll -= echoed.logprobs[index] as number;
      return { ppl: nll / echoed.logprobs.length, tokenCount: echoed.logprobs.length, suffixTokenCount };
    }),
  );
  return { kind: 'perplexity', scores, evaluatedTokens: scores.reduce((sum, score) => sum + score.tokenCount, 0) };
}

/**
 * lm-eval's loglikelihood: echo context + continuation, split at the context's token count (from `/tokenize`, special
 * tokens included, so a BOS counts as context). `isGreedy`: every continuation token is the top entry of its
 * position's `top_logprobs`.
 */
export async function scoreLoglikelihood(server: PromptLogprobsServer, request: LoglikelihoodRequest, signal?: AbortSignal): Promise<LoglikelihoodResult> {
  const [echoed, contextTokens] = await Promise.all([
    echoPrompt(server, request.context + request.continuation, signal),
    countServerTokens(server, request.context, true, signal),
  ]);
  const url = `${server.baseUrl}/completions`;
  const total = echoed.logprobs.length;
  if (contextTokens > total) {
    throw new BackendCallError({
      message: `${url}: the context alone has ${contextTokens} tokens but context + continuation echoes ${total}; cannot split them`,
      url,
      isRetryable: false,
    });
  }
  if (contextTokens === 0 && total > 0) {
    throw new BackendCallError({
      message: `${url}: the context is empty and the model adds no BOS token, so the continuation's first token has no logprob`,
      url,
      isRetryable: false,
    });
  }
  let logprob = 0;
  let isGreedy = true;
  for (let index = contextTokens; index < total; index += 1) {
    const value = echoed.logprobs[index] as number;
    logprob += value;
    const top = echoed.topLogprobs[index];
    if (!top) throw malformedResponseError(url, `logprobs.top_logprobs.${index} is missing (requested logprobs: 1)`);
    const best = Math.max(...Object.values(top));
    if (value < best) isGreedy = false;
  }
  return { kind: 'loglikelihood', logprob, isGreedy, tokenCount: total - contextTokens };
}
