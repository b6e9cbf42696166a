import type { EvaluationInput, EvaluationResult, Evaluator, JsonValue } from '../spec/index.js';
import { accuracy } from './accuracy.js';

/** Python's `str()` of a reference as OpenCompass's evaluators compare it (an integer label 0 → `'0'`). */
function pythonStr(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function scoreByStringEquality(input: EvaluationInput): EvaluationResult {
  const predictions = input.predictions.map((prediction) => pythonStr(prediction));
  const references = input.references.map(pythonStr);
  return {
    metrics: { accuracy: accuracy(predictions, references) },
    samples: predictions.map((prediction, index) => ({
      correct: prediction === references[index],
      pred: prediction,
      fields: { answer: references[index] as string },
    })),
  };
}

/**
 * OpenCompass's `AccEvaluator`: accuracy (× 100) of `str(pred) == str(gold)` over the dataset, so an integer PPL
 * label `0` equals the prediction `'0'`. An empty prediction is wrong.
 */
export const accEvaluator: Evaluator = {
  name: 'AccEvaluator',
  metrics: ['accuracy'],
  evaluate: scoreByStringEquality,
};

/**
 * OpenCompass's `AccwithDetailsEvaluator`: accuracy (× 100) of `pred == gold`. References here are always strings
 * (CMMLU/MMLU letters), so it scores as {@link accEvaluator} does.
 */
export const accWithDetailsEvaluator: Evaluator = {
  name: 'AccwithDetailsEvaluator',
  metrics: ['accuracy'],
  evaluate: scoreByStringEquality,
};
