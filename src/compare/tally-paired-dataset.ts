import type { PairedDataset } from './pair-model-runs.js';
import type { DiscordantSample, OwnScore, SampleAgreement } from './run-comparison.js';

/** The counts of one paired dataset, from one pass over its pairs. */
export interface PairedDatasetTally {
  readonly paired: PairedDataset;
  /** Paired samples. */
  readonly samples: number;
  /** Pairs both runs got right. */
  readonly both: number;
  readonly correctA: number;
  readonly correctB: number;
  /** A correct, B not. */
  readonly b: number;
  /** B correct, A not. */
  readonly c: number;
  readonly agreement: SampleAgreement;
  /** Each run's own score over all its samples of the dataset. */
  readonly fullA: OwnScore & { readonly correct: number };
  readonly fullB: OwnScore & { readonly correct: number };
  readonly discordant: readonly DiscordantSample[];
}

/** Counts agreement and correctness over one dataset's pairs. O(samples). */
export function tallyPairedDataset(paired: PairedDataset): PairedDatasetTally {
  const discordant: DiscordantSample[] = [];
  let extracted = 0;
  let raw = 0;
  let both = 0;
  let b = 0;
  let c = 0;
  for (let position = 0; position < paired.a.length; position += 1) {
    const left = paired.a[position]!;
    const right = paired.b[position]!;
    if (left.extracted === right.extracted) extracted += 1;
    if (left.raw === right.raw) raw += 1;
    if (left.correct === right.correct) {
      if (left.correct) both += 1;
      continue;
    }
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
  return {
    paired,
    samples: paired.a.length,
    both,
    correctA: both + b,
    correctB: both + c,
    b,
    c,
    agreement: { extracted, raw },
    fullA: ownScore(paired.allA),
    fullB: ownScore(paired.allB),
    discordant,
  };
}

function ownScore(samples: PairedDataset['allA']): OwnScore & { correct: number } {
  const correct = samples.reduce((total, sample) => total + (sample.correct ? 1 : 0), 0);
  return { samples: samples.length, correct, accuracy: samples.length > 0 ? (100 * correct) / samples.length : 0 };
}
