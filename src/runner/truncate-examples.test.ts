import { describe, expect, it } from 'vitest';
import type { RenderedPrompt, TaskSample } from '../spec/index.js';
import { truncateGenPrompt, truncatePplPrompt, type CountTokens } from './truncate-examples.js';

/** Examples of given lengths; a prompt's text is its kept examples then the question, one character per token. */
function examplesOf(lengths: number[], question: string, labels: string[] = []): NonNullable<TaskSample['examples']> {
  const textAt = (keep: number) =>
    lengths
      .slice(0, keep)
      .map((length) => 'x'.repeat(length))
      .join('') + question;
  return {
    count: lengths.length,
    render: (keep: number): RenderedPrompt => ({
      dialogue: [{ type: 'turn', role: 'HUMAN', prompt: textAt(keep) }],
      ...(labels.length > 0
        ? {
            candidates: labels.map((label) => ({
              label,
              dialogue: [{ type: 'turn', role: 'HUMAN', prompt: textAt(keep) + label }],
              withoutExamples: [{ type: 'turn', role: 'HUMAN', prompt: question + label }],
            })),
          }
        : {}),
    }),
  };
}

const textOf = (rendered: RenderedPrompt) => (rendered.dialogue[0] as { prompt: string }).prompt;
const calls: string[] = [];
const countTokens: CountTokens = async (texts) => {
  calls.push(...texts);
  return texts.map((text) => [...text].length);
};

describe('truncateGenPrompt (GenInferencer)', () => {
  it('keeps every example when the prompt fits, counting once', async () => {
    calls.length = 0;
    const result = await truncateGenPrompt({ examples: examplesOf([3, 3], 'qq'), maxSeqLen: 8, textOf, countTokens });
    expect(result.kept).toBe(2);
    expect(calls).toEqual(['xxxxxxqq']);
  });

  it('drops examples from the end, one at a time, while the count exceeds maxSeqLen (equal fits)', async () => {
    calls.length = 0;
    const result = await truncateGenPrompt({ examples: examplesOf([2, 3, 4], 'q'), maxSeqLen: 6, textOf, countTokens });
    expect(result.kept).toBe(2);
    expect(textOf(result.rendered)).toBe('xxxxxq');
    expect(calls.map((text) => text.length)).toEqual([10, 6]);
  });

  it('stops at zero examples even when the question alone is over budget', async () => {
    const result = await truncateGenPrompt({ examples: examplesOf([2, 2], 'question'), maxSeqLen: 3, textOf, countTokens });
    expect(result.kept).toBe(0);
    expect(textOf(result.rendered)).toBe('question');
  });
});

describe('truncatePplPrompt (PPLInferencer)', () => {
  const candidateTextOf = (rendered: RenderedPrompt, index: number) => (rendered.candidates?.[index]?.dialogue[0] as { prompt: string }).prompt;

  it('visits labels in order, each starting from what the previous label kept; earlier labels are not re-rendered', async () => {
    // Examples 2+2, question 'q'; label texts of different lengths: 'A' (1), 'BBB' (3), 'C' (1).
    const examples = examplesOf([2, 2], 'q', ['A', 'BBB', 'C']);
    const result = await truncatePplPrompt({ examples, maxSeqLen: 6, candidateTextOf, countTokens });
    // A: 2+2+1+1 = 6 fits (2 kept); BBB: 4+1+3 = 8 > 6, 2+1+3 = 6 (1 kept); C starts at 1: 2+1+1 = 4 (1 kept).
    expect(result.keptPerCandidate).toEqual([2, 1, 1]);
    expect(result.kept).toBe(1);
    expect(result.rendered.candidates?.map((candidate) => (candidate.dialogue[0] as { prompt: string }).prompt)).toEqual(['xxxxqA', 'xxqBBB', 'xxqC']);
  });

  it('keeps every example of every label when all fit', async () => {
    const result = await truncatePplPrompt({ examples: examplesOf([1], 'q', ['A', 'B']), maxSeqLen: 100, candidateTextOf, countTokens });
    expect(result.keptPerCandidate).toEqual([1, 1]);
  });
});
