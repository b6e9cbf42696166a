import { sampleFlag, type SampleFacts } from './sample-facts.js';

/** How two logs of the same dataset agree, sample by sample (matched by sample index). */
export interface FactsComparison {
  /** Samples present in both logs. */
  readonly paired: number;
  /** Paired samples right in A and wrong in B (McNemar's b). */
  readonly onlyFirstCorrect: number;
  /** Paired samples wrong in A and right in B (McNemar's c). */
  readonly onlySecondCorrect: number;
  /** Positions in A's log of the discordant samples, ascending. */
  readonly discordantPositions: Int32Array;
}

/** Compare the correctness of two logs of one dataset at each shared sample index (one merge pass). */
export function compareFacts(first: SampleFacts, second: SampleFacts): FactsComparison {
  const left = first.index.sampleIndexes;
  const right = second.index.sampleIndexes;
  const discordant: number[] = [];
  let paired = 0;
  let onlyFirstCorrect = 0;
  let onlySecondCorrect = 0;
  let leftAt = 0;
  let rightAt = 0;
  while (leftAt < left.length && rightAt < right.length) {
    const leftIndex = left[leftAt] as number;
    const rightIndex = right[rightAt] as number;
    if (leftIndex < rightIndex) leftAt += 1;
    else if (rightIndex < leftIndex) rightAt += 1;
    else {
      paired += 1;
      const firstCorrect = ((first.flags[leftAt] as number) & sampleFlag.correct) !== 0;
      const secondCorrect = ((second.flags[rightAt] as number) & sampleFlag.correct) !== 0;
      if (firstCorrect !== secondCorrect) {
        discordant.push(leftAt);
        if (firstCorrect) onlyFirstCorrect += 1;
        else onlySecondCorrect += 1;
      }
      leftAt += 1;
      rightAt += 1;
    }
  }
  return { paired, onlyFirstCorrect, onlySecondCorrect, discordantPositions: Int32Array.from(discordant) };
}
