import { describe, expect, it } from 'vitest';
import { sampleCorrectness, sampleOutcomes } from './sample-outcomes.js';

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

  it('gives no per-sample 0/1 for generations of one question (--num-samples) or fractions, and the tally counts true as 1', () => {
    const repeated = { type: 'GEN', '0': { correct: true, repeat: 0 }, '1': { correct: false, repeat: 1 } };
    expect(sampleCorrectness(repeated)).toBeUndefined();
    expect([...sampleOutcomes(repeated)]).toEqual([1, 0]);
    expect(sampleCorrectness({ '0': { correct: 0.5 } })).toBeUndefined();
    expect([...(sampleCorrectness({ '0': { correct: true }, '1': { correct: 0 } }) ?? [])]).toEqual([1, 0]);
  });
});
