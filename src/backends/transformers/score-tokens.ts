/**
 * Per-token log-probabilities of a token sequence from raw logits, evaluated in chunks on top of an optional
 * key/value cache, so a shared prefix can be evaluated once and continued by several tails.
 */

/** The model's state after a span of tokens: its key/value cache and its next-token distribution. */
export interface ScoringState<Cache> {
  readonly cache: Cache;
  /** Tokens held in the cache (the position of the next token). */
  readonly length: number;
  /** Log-softmax of the last position's logits: log P(next token = i). */
  readonly nextLogprobs: Float64Array;
  /** The largest entry of `nextLogprobs` (the greedy token's log-probability). */
  readonly nextMaxLogprob: number;
}

/** One forward pass over `tokens`, continuing `past` (positions `past.length ...`). */
export type ForwardFunction<Cache> = (options: {
  readonly tokens: readonly number[];
  readonly past: { readonly cache: Cache; readonly length: number } | undefined;
}) => Promise<{
  /** Row-major `[tokens.length × vocabSize]` logits. */
  readonly logits: Float32Array;
  readonly vocabSize: number;
  /** The cache covering `past` and `tokens`. */
  readonly cache: Cache;
}>;

export interface SpanScores<Cache> {
  /**
   * Natural-log probability of each token that has a predecessor, in order: every token of the span when `start`
   * was given, else every token after the first.
   */
  readonly logprobs: readonly number[];
  /** Whether each of those tokens is the argmax of its distribution. */
  readonly isGreedy: readonly boolean[];
  /** The state after the span (`start` for an empty span; undefined when both are absent). */
  readonly end: ScoringState<Cache> | undefined;
  /** Tokens fed to the model. */
  readonly evaluatedTokens: number;
}

/** Default tokens per forward pass: bounds the logits buffer (chunk × vocabulary floats) for long prompts. */
export const defaultChunkSize = 512;

/** Score `tokens` after `start` (or from scratch), `chunkSize` tokens per forward pass. */
export async function scoreTokens<Cache>(options: {
  forward: ForwardFunction<Cache>;
  tokens: readonly number[];
  start?: ScoringState<Cache> | undefined;
  chunkSize?: number;
  /** Checked between forward passes. */
  signal?: AbortSignal | undefined;
}): Promise<SpanScores<Cache>> {
  const { forward, tokens, chunkSize = defaultChunkSize } = options;
  const logprobs: number[] = [];
  const isGreedy: boolean[] = [];
  let state = options.start;
  for (let offset = 0; offset < tokens.length; offset += chunkSize) {
    options.signal?.throwIfAborted();
    const chunk = tokens.slice(offset, offset + chunkSize);
    const past = state ? { cache: state.cache, length: state.length } : undefined;
    const { logits, vocabSize, cache } = await forward({ tokens: chunk, past });
    if (logits.length < chunk.length * vocabSize) {
      throw new Error(`the model returned ${logits.length} logits for ${chunk.length} tokens × ${vocabSize}`);
    }
    chunk.forEach((token, index) => {
      if (index === 0) {
        if (!state) return;
        const logprob = state.nextLogprobs[token] ?? Number.NEGATIVE_INFINITY;
        logprobs.push(logprob);
        isGreedy.push(logprob >= state.nextMaxLogprob);
        return;
      }
      const row = rowStatistics(logits, index - 1, vocabSize);
      const logit = logits[(index - 1) * vocabSize + token] ?? Number.NEGATIVE_INFINITY;
      logprobs.push(logit - row.logSumExp);
      isGreedy.push(logit >= row.max);
    });
    const last = logSoftmaxRow(logits, chunk.length - 1, vocabSize);
    state = { cache, length: (state?.length ?? 0) + chunk.length, ...last };
  }
  return { logprobs, isGreedy, end: state, evaluatedTokens: tokens.length };
}

/** Length of the longest token prefix all sequences share. */
export function commonPrefixLength(sequences: ReadonlyArray<readonly number[]>): number {
  const [first, ...rest] = sequences;
  if (!first) return 0;
  let length = first.length;
  for (const sequence of rest) {
    let index = 0;
    while (index < length && index < sequence.length && sequence[index] === first[index]) index++;
    length = index;
  }
  return length;
}

/** Sum of a list of numbers (log-probabilities). */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function rowStatistics(logits: Float32Array, row: number, vocabSize: number): { max: number; logSumExp: number } {
  const start = row * vocabSize;
  let max = Number.NEGATIVE_INFINITY;
  for (let index = start; index < start + vocabSize; index++) max = Math.max(max, logits[index] as number);
  let total = 0;
  for (let index = start; index < start + vocabSize; index++) total += Math.exp((logits[index] as number) - max);
  return { max, logSumExp: max + Math.log(total) };
}

function logSoftmaxRow(logits: Float32Array, row: number, vocabSize: number) {
  const { max, logSumExp } = rowStatistics(logits, row, vocabSize);
  const nextLogprobs = new Float64Array(vocabSize);
  for (let index = 0; index < vocabSize; index++) nextLogprobs[index] = (logits[row * vocabSize + index] as number) - logSumExp;
  return { nextLogprobs, nextMaxLogprob: max - logSumExp };
}
