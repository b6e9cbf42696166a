import type { RenderedPrompt, TaskSample } from '../spec/index.js';

/** Counts the tokens of texts (the backend's `doCountTokens`, through the run's token-count cache). */
export type CountTokens = (texts: readonly string[]) => Promise<readonly number[]>;

/** How many in-context examples a sample keeps under the token budget, and the prompt that results. */
export interface TruncatedPrompt {
  /** Gen mode: the examples kept. PPL mode: those kept by the last label (the fewest). */
  readonly kept: number;
  /** PPL mode: the examples each label's candidate kept, in label order (non-increasing). */
  readonly keptPerCandidate?: readonly number[];
  readonly rendered: RenderedPrompt;
}

/**
 * OpenCompass's `max_seq_len` truncation (`GenInferencer.get_generation_prompt_list_from_retriever_indices`): while
 * the prompt's token count exceeds `maxSeqLen` and examples remain, drop the last one and render again. `textOf`
 * turns a rendered prompt into the text whose tokens are counted.
 */
export async function truncateGenPrompt(options: {
  readonly examples: NonNullable<TaskSample['examples']>;
  readonly maxSeqLen: number;
  readonly textOf: (rendered: RenderedPrompt) => string;
  readonly countTokens: CountTokens;
}): Promise<TruncatedPrompt> {
  const { examples, maxSeqLen, textOf, countTokens } = options;
  let kept = examples.count;
  let rendered = examples.render(kept);
  while (kept > 0 && (await countOne(countTokens, textOf(rendered))) > maxSeqLen) {
    kept -= 1;
    rendered = examples.render(kept);
  }
  return { kept, rendered };
}

/**
 * OpenCompass's `PPLInferencer` truncation: labels are visited in order and the sample's example list is shortened in
 * place, so each label starts from the examples the previous label kept. Label i's candidate keeps the most examples
 * (at most the previous label's) for which its own full prompt (examples + question + that label's answer) fits;
 * earlier labels are not rendered again, so candidates may differ in their examples, as in OpenCompass.
 */
export async function truncatePplPrompt(options: {
  readonly examples: NonNullable<TaskSample['examples']>;
  readonly maxSeqLen: number;
  /** The text of candidate `index` of a rendered prompt. */
  readonly candidateTextOf: (rendered: RenderedPrompt, index: number) => string;
  readonly countTokens: CountTokens;
}): Promise<TruncatedPrompt> {
  const { examples, maxSeqLen, candidateTextOf, countTokens } = options;
  let kept = examples.count;
  const renders = new Map<number, RenderedPrompt>();
  const renderAt = (keep: number): RenderedPrompt => {
    let rendered = renders.get(keep);
    if (!rendered) {
      rendered = examples.render(keep);
      renders.set(keep, rendered);
    }
    return rendered;
  };
  const labelCount = renderAt(kept).candidates?.length ?? 0;
  const keptPerCandidate: number[] = [];
  const candidates = [];
  for (let index = 0; index < labelCount; index += 1) {
    while (kept > 0 && (await countOne(countTokens, candidateTextOf(renderAt(kept), index))) > maxSeqLen) kept -= 1;
    keptPerCandidate.push(kept);
    const candidate = renderAt(kept).candidates?.[index];
    if (candidate) candidates.push(candidate);
  }
  const last = renderAt(kept);
  return { kept, keptPerCandidate, rendered: { dialogue: last.dialogue, candidates } };
}

async function countOne(countTokens: CountTokens, text: string): Promise<number> {
  const [count] = await countTokens([text]);
  if (count === undefined) throw new TypeError('the token counter returned no count');
  return count;
}
