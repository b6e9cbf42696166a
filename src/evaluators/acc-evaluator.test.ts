import { describe, expect, it } from 'vitest';
import type { EvaluationInput, JsonValue } from '../spec/index.js';
import { accEvaluator } from './acc-evaluator.js';
import { pythonStr } from './python-str.js';

const input = (predictions: string[], references: JsonValue[]): EvaluationInput => ({
  predictions,
  references,
  originPredictions: predictions,
  evaluatorInputs: predictions.map(() => ({})),
  context: { signal: new AbortController().signal },
});

describe('AccEvaluator', () => {
  it('scores 100 × correct / n (fraction first), with pred, answer, correct per sample', async () => {
    const result = await accEvaluator.evaluate(input(['A', 'B', '', 'C', 'a', 'D', 'D'], ['A', 'B', 'C', 'C', 'A', 'D', 'A']));
    // 4 of 7: Python's 4 / 7 * 100 is 57.14285714285714; 400 / 7 would be 57.142857142857146.
    expect(result.metrics).toEqual({ accuracy: 100 * (4 / 7) });
    expect(result.metrics.accuracy).toBe(57.14285714285714);
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, true, false, true, false, true, false]);
    expect(result.samples[2]).toEqual({ correct: false, pred: '', fields: { answer: 'C' } });
  });

  it("compares str() of non-string references, as OpenCompass's label mapping does (PIQA's integer labels)", async () => {
    const result = await accEvaluator.evaluate(input(['1', '0', 'True', 'None'], [1, 1, true, null]));
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, false, true, true]);
    expect(result.metrics.accuracy).toBe(75);
  });

  it('NaN for no samples', async () => {
    expect((await accEvaluator.evaluate(input([], []))).metrics.accuracy).toBeNaN();
  });
});

describe('pythonStr', () => {
  it('prints as Python str()', () => {
    expect([pythonStr('x'), pythonStr(3), pythonStr(2.5), pythonStr(1e21), pythonStr(false), pythonStr(null)]).toEqual([
      'x',
      '3',
      '2.5',
      '1e+21',
      'False',
      'None',
    ]);
  });
});
