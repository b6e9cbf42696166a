import type { ControlledEvaluateInputItem, LlamaContextSequence, Token } from 'node-llama-cpp';
import { BackendCallError } from '../../spec/index.js';

/** One token's score: its log-probability given every token before it, and whether it was the argmax. */
export interface TokenScore {
  /** Natural log. */
  readonly logprob: number;
  readonly isGreedy: boolean;
}

export interface ScoreTokensResult {
  /** Scores of `tokens[from]` … `tokens[n − 1]`, in order. */
  readonly scores: readonly TokenScore[];
  /** Tokens fed to the model for this call (the rest came from the KV cache). */
  readonly evaluatedTokens: number;
}

/** llama.cpp returns float32 probabilities; a probability that underflows to 0 is scored as the smallest float32. */
const smallestLogprob = Math.log(1.401298464324817e-45);

/**
 * Scores token sequences on one llama.cpp context sequence, reusing the KV cache across calls.
 *
 * The scorer mirrors the sequence's cached tokens together with the scores already known for them, so a call that
 * shares a prefix with the cached state evaluates only from where they differ (or from where scores are missing).
 * It also keeps one full next-token distribution, at a "branch" position, so candidates that differ right after a
 * shared prefix (answer labels, multiple-choice options) need not re-evaluate the prefix's last token.
 *
 * Not safe for concurrent use: callers hold the sequence exclusively (see `SequencePool`).
 */
export class TokenScorer {
  private cachedTokens: Token[] = [];
  /** `cachedScores[i]` scores `cachedTokens[i]`; undefined where it was never computed. */
  private cachedScores: Array<TokenScore | undefined> = [];
  private branch: { readonly position: number; readonly probabilities: ReadonlyMap<Token, number> } | undefined;

  constructor(
    readonly sequence: LlamaContextSequence,
    private readonly reuseCache: boolean,
  ) {}

  /** The tokens in the sequence's KV cache, as far as the scorer knows. */
  get tokens(): readonly Token[] {
    return this.cachedTokens;
  }

  /**
   * Score `tokens[from..]`, each given all tokens before it (full-vocabulary softmax of the logits).
   * `branchAt` (default `from − 1`) is the position whose next-token distribution is kept for later calls that share
   * `tokens[0..branchAt]` and differ after it. Requires `1 ≤ from ≤ tokens.length ≤ context size`.
   */
  async score(options: { tokens: readonly Token[]; from: number; branchAt?: number }): Promise<ScoreTokensResult> {
    const { tokens, from } = options;
    const branchAt = options.branchAt ?? from - 1;
    const length = tokens.length;
    if (from < 1 || from > length) throw new RangeError(`cannot score from position ${from} of ${length} tokens`);
    if (length > this.sequence.contextSize) {
      throw new BackendCallError({
        message: `the text is ${length} tokens long, more than the context size of ${this.sequence.contextSize} tokens (raise contextSize)`,
        isRetryable: false,
      });
    }
    if (!this.reuseCache) await this.truncate(0);

    const shared = commonPrefixLength(this.cachedTokens, tokens);
    let firstMissing = from;
    while (firstMissing < length && firstMissing < shared && this.cachedScores[firstMissing] !== undefined) firstMissing += 1;
    const scores: TokenScore[] = [];
    for (let position = from; position < firstMissing; position += 1) scores.push(this.cachedScores[position] as TokenScore);
    if (firstMissing === length) return { scores, evaluatedTokens: 0 };

    // Logits for position p come from evaluating token p − 1, unless the kept branch distribution is exactly that one.
    const useBranch = firstMissing <= shared && this.branch?.position === firstMissing - 1;
    const evaluateFrom = useBranch ? firstMissing : Math.min(firstMissing - 1, shared);
    const branch = this.branch;
    if (useBranch && branch) scores.push(scoreToken(branch.probabilities, tokens[firstMissing] as Token));
    // Scores of the shared tokens stay valid when their KV entries are re-evaluated.
    const keptScores = this.cachedScores.slice(0, Math.min(shared, evaluateFrom + 1));
    await this.truncate(evaluateFrom);
    this.cachedScores = keptScores;

    const input: ControlledEvaluateInputItem[] = [];
    for (let position = evaluateFrom; position < length - 1; position += 1) {
      const token = tokens[position] as Token;
      const wanted = position + 1 >= firstMissing || position === branchAt;
      input.push(wanted ? [token, { generateNext: { probabilities: true } }] : token);
    }
    const outputs = input.length > 0 ? await this.sequence.controlledEvaluate(input) : [];
    this.cachedTokens = tokens.slice(0, length - 1);
    this.cachedScores.length = Math.min(this.cachedScores.length, this.cachedTokens.length);
    if (useBranch && firstMissing < length - 1) this.cachedScores[firstMissing] = scores.at(-1);
    for (let position = evaluateFrom; position < length - 1; position += 1) {
      const probabilities = outputs[position - evaluateFrom]?.next.probabilities;
      if (position === branchAt && probabilities) this.branch = { position, probabilities };
      if (position + 1 < firstMissing) continue;
      if (!probabilities) {
        throw new BackendCallError({ message: `llama.cpp returned no probabilities for position ${position + 1}`, isRetryable: false });
      }
      const score = scoreToken(probabilities, tokens[position + 1] as Token);
      scores.push(score);
      if (position + 1 < length - 1) this.cachedScores[position + 1] = score;
    }
    return { scores, evaluatedTokens: input.length };
  }

  /** Re-read the sequence's tokens after something else (generation) changed its KV cache. */
  syncWithSequence(): void {
    const live = this.sequence.contextTokens;
    this.forget(commonPrefixLength(this.cachedTokens, live));
    this.cachedTokens = live.slice();
  }

  /** Erase the KV cache from `position` on. */
  private async truncate(position: number): Promise<void> {
    const end = this.sequence.nextTokenIndex;
    if (position < end) await this.sequence.eraseContextTokenRanges([{ start: position, end }]);
    this.forget(position);
    this.cachedTokens = this.cachedTokens.slice(0, position);
  }

  /** Drop what is known about tokens from `position` on. */
  private forget(position: number): void {
    this.cachedScores.length = Math.min(this.cachedScores.length, position);
    if (this.branch && this.branch.position >= position) this.branch = undefined;
  }
}

/** Log-probability of `token` under a full next-token distribution, and whether it is the most probable token. */
export function scoreToken(probabilities: ReadonlyMap<Token, number>, token: Token): TokenScore {
  const probability = probabilities.get(token) ?? 0;
  let highest = 0;
  for (const value of probabilities.values()) if (value > highest) highest = value;
  return { logprob: probability > 0 ? Math.log(probability) : smallestLogprob, isGreedy: probability > 0 && probability >= highest };
}

export function commonPrefixLength(left: readonly number[], right: readonly number[]): number {
  const limit = Math.min(left.length, right.length);
  let index = 0;
  while (index < limit && left[index] === right[index]) index += 1;
  return index;
}
