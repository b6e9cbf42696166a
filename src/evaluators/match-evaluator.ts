import type { EvaluationInput, EvaluationResult, Evaluator, JsonValue } from '../spec/index.js';

/**
 * An evaluator that scores each sample on its own as right or wrong (OpenCompass's `AccEvaluator`,
 * `Gsm8kEvaluator`, `NQEvaluator`, BBH's, AGIEval's): the metric is 100 × the share of correct samples (fraction
 * first, then × 100, as OpenCompass computes it), and each sample's details hold `pred`, `answer`, `correct`.
 */
export function createMatchEvaluator(options: {
  /** OpenCompass's class name, recorded in results. */
  readonly name: string;
  readonly metric: string;
  /** Turn a postprocessed prediction into the compared answer (NQ and AGIEval's cloze sets parse it here). */
  readonly extract?: (prediction: string) => JsonValue;
  readonly isCorrect: (pred: JsonValue, reference: JsonValue) => boolean;
}): Evaluator {
  const extract = options.extract ?? ((prediction: string) => prediction);
  return {
    name: options.name,
    metrics: [options.metric],
    evaluate(input: EvaluationInput): EvaluationResult {
      if (input.predictions.length !== input.references.length) {
        throw new RangeError(`${options.name}: ${input.predictions.length} predictions for ${input.references.length} references`);
      }
      let correctCount = 0;
      const samples = input.predictions.map((prediction, index) => {
        const pred = extract(prediction);
        const answer = input.references[index] as JsonValue;
        const correct = options.isCorrect(pred, answer);
        if (correct) correctCount += 1;
        return { correct, pred, fields: { answer } };
      });
      const total = input.predictions.length;
      return { metrics: { [options.metric]: total === 0 ? Number.NaN : 100 * (correctCount / total) }, samples };
    },
  };
}
