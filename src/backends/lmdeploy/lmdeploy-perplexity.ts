import { z } from 'zod';
import { BackendCallError, type CallOptions, type PerplexityRequest, type PerplexityResult, type PerplexityScore } from '../../spec/index.js';
import { HttpJsonClient, parseResponse, serverRootUrl } from '../openai-compatible/index.js';

/** `POST /get_ppl`: the mean cross-entropy; a one-element list is accepted too (servers that batch inputs). */
const pplResponseSchema = z.object({
  ppl: z.union([
    z.number(),
    z
      .array(z.number())
      .length(1)
      .transform((values) => values[0] as number),
  ]),
});

/** `POST /v1/encode` for one text. */
const encodeResponseSchema = z.object({ input_ids: z.array(z.number()), length: z.number().int().nonnegative() });

/**
 * PPL scores from LMDeploy's `api_server`, as OpenCompass's `TurboMindAPIModel` gets them: `POST /get_ppl` (at the
 * server root) returns the mean cross-entropy of the whole text (LMDeploy's own mean over the predicted tokens), and
 * `POST /v1/encode` counts tokens: with BOS for the whole text, without for the suffix.
 */
export class LmdeployPerplexityClient {
  private readonly rootUrl: string;
  private readonly client: HttpJsonClient;

  constructor(options: { apiBase: string; apiKey?: string }) {
    this.rootUrl = serverRootUrl(options.apiBase);
    this.client = new HttpJsonClient({ headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {} });
  }

  async score(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    const scores = await Promise.all(
      request.candidates.map(async (candidate): Promise<PerplexityScore> => {
        const [ppl, tokenCount, suffixTokenCount] = await Promise.all([
          this.meanCrossEntropy(candidate.text, options.signal),
          this.countTokens(candidate.text, true, options.signal),
          this.countTokens(candidate.suffix, false, options.signal),
        ]);
        return { ppl, tokenCount, suffixTokenCount };
      }),
    );
    return { kind: 'perplexity', scores, evaluatedTokens: scores.reduce((sum, score) => sum + score.tokenCount, 0) };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async meanCrossEntropy(text: string, signal?: AbortSignal): Promise<number> {
    const url = `${this.rootUrl}/get_ppl`;
    let raw: unknown;
    try {
      raw = await this.client.json({ url, method: 'POST', body: { input: text }, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (BackendCallError.isInstance(error) && (error.statusCode === 404 || error.statusCode === 405)) {
        throw new BackendCallError({
          message: `${error.message} (this LMDeploy api_server has no /get_ppl; PPL mode needs a newer LMDeploy)`,
          url,
          statusCode: error.statusCode,
          isRetryable: false,
          cause: error,
        });
      }
      throw error;
    }
    return parseResponse(pplResponseSchema, raw, url).ppl;
  }

  /** Tokens in `text` by `POST /v1/encode` (no chat template), as OpenCompass's `TurboMindAPIModel.get_token_len` counts with `addBos`. */
  async countTokens(text: string, addBos: boolean, signal?: AbortSignal): Promise<number> {
    const url = `${this.rootUrl}/v1/encode`;
    const body = { input: text, do_preprocess: false, add_bos: addBos };
    const raw = await this.client.json({ url, method: 'POST', body, ...(signal ? { signal } : {}) });
    return parseResponse(encodeResponseSchema, raw, url).length;
  }
}
