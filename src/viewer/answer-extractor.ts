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
}

/** The raw prediction as the answer (datasets scored without a postprocessor). */
export const rawPredictionExtractor: AnswerExtractor = { name: 'none', extract: (sample) => sample.prediction };

/**
 * The extractors of a run's datasets by abbr, from the dataset configs it recorded (e.g. `ceval_gen`): each is the
 * dataset's own postprocessor, exactly what the eval stage applies to the same predictions. Config names sextant no
 * longer knows are left out (the viewer then falls back to the run's results file).
 */
export function resolveAnswerExtractors(datasetConfigs: readonly string[]): Map<string, AnswerExtractor> {
  const extractors = new Map<string, AnswerExtractor>();
  for (const name of datasetConfigs) {
    let tasks;
    try {
      tasks = resolveDatasets([name]);
    } catch {
      continue;
    }
    for (const task of tasks) {
      // Only where correctness is "extracted answer equals gold"; other evaluators' verdicts come from the results file.
      if (task.evaluator.name !== 'AccEvaluator') continue;
      extractors.set(task.abbr, { name: task.postprocessorName ?? 'none', extract: (sample) => task.postprocess(sample.prediction) });
    }
  }
  return extractors;
}
