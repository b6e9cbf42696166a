import { describe, expect, it } from 'vitest';
import { sampleOutcomes } from './sample-outcomes.js';

describe('sampleOutcomes', () => {
  it('scores each sample 1 when its extracted answer equals its reference, in numeric index order', () => {
    const details: Record<string, unknown> = { type: 'GEN' };
    for (let index = 0; index < 12; index += 1) {
      details[String(index)] = { predictions: index === 10 ? 'A' : 'B', references: 'A', prompt: 'ignored' };
    }
    expect([...sampleOutcomes(details)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  it('counts an empty extraction as wrong and ignores keys that are not sample indexes', () => {
    const details = { type: 'PPL', '0': { predictions: '', references: 'C' }, '1': { predictions: 'C', references: 'C', correct: true } };
    expect([...sampleOutcomes(details)]).toEqual([0, 1]);
  });
});
