import { describe, expect, it } from 'vitest';
import { findJudgeDisagreements } from './find-judge-disagreements.js';

describe('findJudgeDisagreements', () => {
  it('lists samples whose judges decide differently, ascending by index', () => {
    const details = {
      type: 'GEN',
      '10': {
        pred: '0.5',
        correct: true,
        symbolic: { pred: '0.5', answer: '\\frac{1}{2}', correct: true },
        legacy: { pred: '0.5', answer: '\\frac{1}{2}', correct: false },
      },
      '2': { pred: '3', correct: true, symbolic: { pred: '3', correct: true }, legacy: { pred: '3', correct: true } },
      '3': { pred: null, correct: false, symbolic: { pred: null, correct: false }, legacy: { pred: 'x', correct: true } },
    };
    expect(findJudgeDisagreements(details)).toEqual({
      judges: ['symbolic', 'legacy'],
      judged: 3,
      disagreements: [
        { index: 3, verdicts: { symbolic: { pred: null, correct: false }, legacy: { pred: 'x', correct: true } } },
        { index: 10, verdicts: { symbolic: { pred: '0.5', correct: true }, legacy: { pred: '0.5', correct: false } } },
      ],
    });
  });

  it('is undefined for one-judge details (AccEvaluator, HumanEval)', () => {
    expect(findJudgeDisagreements({ type: 'GEN', '0': { pred: 'A', answer: 'A', correct: true } })).toBeUndefined();
  });
});
