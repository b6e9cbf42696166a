import { describe, expect, it } from 'vitest';
import { optionSimAccEvaluator } from './option-sim-acc-evaluator.js';

const options = { A: '2258', B: '2263', C: 'Paris is big' };

describe('OptionSimAccEvaluator', () => {
  // Each prediction with the option OpenCompass's match_any_label picks, worked by hand.
  const table: Array<[string, string, string]> = [
    ['  B \n', 'B', 'a bare letter after strip'],
    ['The answer is C.', 'C', 'first_option_postprocess'],
    ['I think 2263 is right', 'B', 'the one option text in the answer'],
    ['paris is BIG for sure', 'C', 'option text, case-insensitive'],
    ['2259', 'A', 'closest by edit distance (2258)'],
    ['', 'A', 'empty: every option at distance 1 from its letter, the first letter wins'],
  ];
  it.each(table)('%j → %s (%s)', async (prediction, expected) => {
    const result = await optionSimAccEvaluator(['A', 'B', 'C']).evaluate({
      predictions: [prediction],
      references: [expected],
      originPredictions: [prediction],
      evaluatorInputs: [options],
      context: { signal: new AbortController().signal },
    });
    expect(result.samples[0]).toEqual({ correct: true, pred: prediction, fields: { parsed: expected, refr: expected } });
    expect(result.metrics.accuracy).toBe(100);
  });

  it('two option texts in the answer: falls through to edit distance', async () => {
    const result = await optionSimAccEvaluator(['A', 'B', 'C']).evaluate({
      predictions: ['2258 or 2263'],
      references: ['B'],
      originPredictions: ['2258 or 2263'],
      evaluatorInputs: [options],
      context: { signal: new AbortController().signal },
    });
    // Distances to [letter, text, 'X. text']: A [12, 8, 9], B [12, 8, 7], C [12, 11, 14] → B (7).
    expect(result.samples[0]?.fields?.parsed).toBe('B');
    expect(result.metrics.accuracy).toBe(100);
  });
});
