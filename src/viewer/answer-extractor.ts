import { answerFormatRule } from '../postprocess/index.js';
import { resolveDatasets } from '../registry/index.js';
import type { SampleRecord } from '../store/index.js';

/** Turns a stored sample into the answer that was compared with the gold. */
export interface AnswerExtractor {
  /** Shown on pages: the postprocessor name, `results file`, or `none` (the raw prediction is the answer). */
  readonly name: string;
  extract(sample: Pick<SampleRecord, 'index' | 'prediction'>): string;
  /**
   * The evaluator's verdict for a sample (a results file's `correct`), whatever the metric; absent when correctness
   * is the extracted answer equal to the gold (AccEvaluator).
   */
  correct?(sample: Pick<SampleRecord, 'index'>): boolean | undefined;
  /**
   * Whether an extracted answer is one at all, by the dataset's answer format (a number for GSM8K, non-empty text for
   * NQ, …); absent: one of the options A–D.
   */
  found?(answer: string): boolean;
}

/** The raw prediction as the answer (datasets scored without a postprocessor). */
export const rawPredictionExtractor: AnswerExtractor = { name: 'none', extract: (sample) => sample.prediction };

/**
 * The extractors of a run's datasets by abbr, from the dataset configs it recorded (e.g. `ceval_gen`): each is the
 * dataset's own postprocessor, exactly what the eval stage applies to the same predictions. Config names sextant no
 * longer knows are left out (the viewer then falls back to the run's results file).
 */
export function resolveAnswerExtractors(datasetConfigs: readonly string[]): {
  extractors: Map<string, AnswerExtractor>;
  /** Every known dataset's test of "an answer was extracted" (its `answerFormat`; PPL: always). */
  found: Map<string, (answer: string) => boolean>;
} {
  const extractors = new Map<string, AnswerExtractor>();
  const found = new Map<string, (answer: string) => boolean>();
  for (const name of datasetConfigs) {
    let tasks;
    try {
      tasks = resolveDatasets([name]);
    } catch {
      continue;
    }
    for (const task of tasks) {
      const test = answerFormatRule(task.mode === 'ppl' ? 'label' : (task.answerFormat ?? { kind: 'options', options: 'ABCD' })).test;
      found.set(task.abbr, test);
      // Only where correctness is "extracted answer equals gold"; other evaluators' verdicts come from the results file.
      if (task.evaluator.name !== 'AccEvaluator') continue;
      extractors.set(task.abbr, { name: task.postprocessorName ?? 'none', extract: (sample) => task.postprocess(sample.prediction), found: test });
    }
  }
  return { extractors, found };
}
