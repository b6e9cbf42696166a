import type { PairedDataset } from './pair-model-runs.js';
import { samePrompt } from './prompt-fingerprint.js';
import type { DiscordantSample, SampleAgreement } from './run-comparison.js';

/** The counts and per-question outcomes of one paired dataset, from one pass over its pairs. */
export interface PairedDatasetTally {
  readonly paired: PairedDataset;
  /** 1 where A is correct, aligned with `paired.a`. */
  readonly outcomesA: Uint8Array;
  readonly outcomesB: Uint8Array;
  readonly correctA: number;
  readonly correctB: number;
  /** A correct, B not. */
  readonly b: number;
  /** B correct, A not. */
  readonly c: number;
  readonly agreement: SampleAgreement;
  /** Lowest index whose prompts differ, or -1. */
  readonly firstPromptDifference: number;
  readonly discordant: readonly DiscordantSample[];
}

/** Counts agreement and correctness over one dataset's pairs. O(pairs); prompts are compared structurally. */
export function tallyPairedDataset(paired: PairedDataset): PairedDatasetTally {
  const count = paired.a.length;
  const outcomesA = new Uint8Array(count);
  const outcomesB = new Uint8Array(count);
  const discordant: DiscordantSample[] = [];
  let extracted = 0;
  let raw = 0;
  let promptsDiffer = 0;
  let firstPromptDifference = -1;
  let b = 0;
  let c = 0;
  for (let position = 0; position < count; position += 1) {
    const left = paired.a[position]!;
    const right = paired.b[position]!;
    outcomesA[position] = left.correct ? 1 : 0;
    outcomesB[position] = right.correct ? 1 : 0;
    if (left.extracted === right.extracted) extracted += 1;
    if (left.raw === right.raw) raw += 1;
    if (!samePrompt(left.originPrompt, right.originPrompt)) {
      promptsDiffer += 1;
      if (firstPromptDifference < 0) firstPromptDifference = left.index;
    }
    if (left.correct === right.correct) continue;
    if (left.correct) b += 1;
    else c += 1;
    discordant.push({
      dataset: paired.dataset,
      index: left.index,
      gold: left.gold,
      correct: left.correct ? 'A' : 'B',
      a: { extracted: left.extracted, raw: left.raw, ...(left.error !== undefined ? { error: left.error } : {}) },
      b: { extracted: right.extracted, raw: right.raw, ...(right.error !== undefined ? { error: right.error } : {}) },
    });
  }
  const correctA = outcomesA.reduce((total, outcome) => total + outcome, 0);
  const correctB = outcomesB.reduce((total, outcome) => total + outcome, 0);
  return {
    paired,
    outcomesA,
    outcomesB,
    correctA,
    correctB,
    b,
    c,
    agreement: { extracted, raw, promptsDiffer },
    firstPromptDifference,
    discordant,
  };
}
