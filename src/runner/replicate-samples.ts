import type { TaskSample } from '../spec/index.js';

/**
 * OpenCompass's `n`: each sample `count` times in a row, re-indexed `0..N·count-1`, with its `repeat` number (part
 * of the sample key, so every generation is stored and resumed on its own). `count` 1 returns the samples as they are.
 */
export function replicateSamples(samples: readonly TaskSample[], count: number): readonly TaskSample[] {
  if (count === 1) return samples;
  return samples.flatMap((sample, position) => Array.from({ length: count }, (_, repeat) => ({ ...sample, index: position * count + repeat, repeat })));
}
