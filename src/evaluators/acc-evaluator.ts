import { accuracy } from '../metrics/index.js';
import type { EvaluationInput, EvaluationResult, Evaluator } from '../spec/index.js';
import { pythonStr } from './python-str.js';

/**
 * OpenCompass's `AccEvaluator`: `accuracy` = 100 × the share of predictions whose `str()` equals the reference's.
 * An empty prediction is wrong; no partial credit. Details per sample: `pred`, `answer`, `correct`.
 */
export const accEvaluator: Evaluator = {
  name: 'AccEvaluator',
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
