import { accuracy } from '../metrics/index.js';
import type { EvaluationInput, EvaluationResult, Evaluator } from '../spec/index.js';
import { pythonStr } from './python-str.js';

/**
 * OpenCompass's `AccwithDetailsEvaluator` (CMMLU/MMLU 5-shot configs): `accuracy` = 100 × the share of predictions
 * equal to their reference (`pred == gold`; the references are letters, so `str()` changes nothing). Details per
 * sample: `pred`, `answer`, `correct`, as {@link accEvaluator}'s.
 */
export const accWithDetailsEvaluator: Evaluator = {
  name: 'AccwithDetailsEvaluator',
  metrics: ['accuracy'],
  evaluate(input: EvaluationInput): EvaluationResult {
    const references = input.references.map(pythonStr);
    const samples = input.predictions.map((prediction, index) => {
      const answer = references[index] as string;
      return { correct: prediction === answer, pred: prediction, fields: { answer } };
    });
    return { metrics: { accuracy: accuracy(input.predictions, references) }, samples };
  },
};
