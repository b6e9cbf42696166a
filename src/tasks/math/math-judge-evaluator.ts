import {
  lastBoxedOnlyString,
  legacyMathEquivalent,
  loadSymbolicMathJudge,
  mathPostprocessV2,
  removeBoxed,
  goldFinalAnswer,
  type SymbolicMathJudge,
} from '../../postprocess/index.js';
import type { EvaluationInput, EvaluationResult, Evaluator, JsonValue, SampleEvaluation } from '../../spec/index.js';

/** Which judge decides the metric; the other is recorded beside it in every sample's details. */
export type MathJudgeName = 'symbolic' | 'legacy';

/** One judge's reading of one sample: what it extracted from the prediction and the reference, and its verdict. */
interface JudgeVerdict {
  readonly pred: string | null;
  readonly answer: string | null;
  readonly correct: boolean;
}

let judgeLoading: Promise<SymbolicMathJudge> | undefined;

/** The symbolic judge, loaded once per process (the CAS takes about a second to load). */
function symbolicJudge(): Promise<SymbolicMathJudge> {
  judgeLoading ??= loadSymbolicMathJudge();
  return judgeLoading;
}

function symbolicVerdict(judge: SymbolicMathJudge, prediction: string, reference: string): JudgeVerdict {
  const pred = judge.extract(prediction);
  const answer = goldFinalAnswer(reference);
  return { pred: pred ?? null, answer, correct: pred !== undefined && judge.equivalent(pred, answer) };
}

/** The legacy reference: MATHDataset's boxed answer of a worked solution, else the reference as it is. */
function legacyReference(reference: string): string | undefined {
  return reference.includes('\\boxed') || reference.includes('\\fbox') ? removeBoxed(lastBoxedOnlyString(reference)) : reference;
}

function legacyVerdict(prediction: string, reference: string): JudgeVerdict {
  const pred = mathPostprocessV2(prediction);
  const answer = legacyReference(reference);
  return { pred, answer: answer ?? null, correct: legacyMathEquivalent(pred, answer) };
}

/**
 * The MATH evaluators. Both judges read each raw prediction (before any postprocessor) and the reference:
 * - `symbolic` (sextant's port of OpenCompass's `MATHVerifyEvaluator`, reference 9.2): the last `\boxed{…}` of the
 *   prediction against the reference's final answer (the last boxed answer of a worked solution), by the CAS judge;
 * - `legacy` (`math_postprocess_v2` + `MATHEvaluator(version='v2')`, Appendix B): string normalisation.
 * `accuracy` = 100 × the primary judge's correct / N. Each sample's details carry `pred`, `answer` and `correct` of
 * the primary judge and both judges' readings under `symbolic` and `legacy`, so `sextant audit` can list the
 * samples where they disagree.
 */
export function createMathJudgeEvaluator(options: { readonly primary: MathJudgeName }): Evaluator {
  return {
    name: options.primary === 'symbolic' ? 'MATHVerifyEvaluator' : 'MATHEvaluator',
    metrics: ['accuracy'],
    async evaluate(input: EvaluationInput): Promise<EvaluationResult> {
      if (input.originPredictions.length !== input.references.length) {
        throw new RangeError(`MATH evaluator: ${input.originPredictions.length} predictions for ${input.references.length} references`);
      }
      const judge = await symbolicJudge();
      let correctCount = 0;
      const samples = input.originPredictions.map((prediction, index): SampleEvaluation => {
        input.context.signal.throwIfAborted();
        const gold = input.references[index] as JsonValue;
        const reference = typeof gold === 'string' ? gold : JSON.stringify(gold);
        const verdicts = { symbolic: symbolicVerdict(judge, prediction, reference), legacy: legacyVerdict(prediction, reference) };
        const primary = verdicts[options.primary];
        if (primary.correct) correctCount += 1;
        return {
          correct: primary.correct,
          pred: primary.pred,
          fields: { answer: primary.answer, symbolic: { ...verdicts.symbolic }, legacy: { ...verdicts.legacy } },
        };
      });
      const total = samples.length;
      return { metrics: { accuracy: total === 0 ? Number.NaN : 100 * (correctCount / total) }, samples };
    },
  };
}
