import type { ScoredSample } from './read-scored-samples.js';

/** The answer letters a C-Eval prediction must be extracted to. */
export const answerOptions = 'ABCD';

/** How well one dataset's predictions were extracted. */
export interface DatasetExtraction {
  /** Samples whose extracted answer is one of {@link answerOptions}. */
  readonly extracted: number;
  readonly total: number;
  /** The other samples, in index order. */
  readonly unextracted: readonly ScoredSample[];
}

/**
 * The extraction audit of one (model, dataset): which extracted answers are an option letter (A–D). Anything else
 * (`''`, `T` from "The answer is B", a full-width `Ｂ`) can never match a gold answer, so a low rate means the
 * postprocessor, not the model, decided the score.
 */
export function measureExtraction(samples: readonly ScoredSample[]): DatasetExtraction {
  const unextracted = samples.filter((sample) => !isAnswerOption(sample.extracted));
  return { extracted: samples.length - unextracted.length, total: samples.length, unextracted };
}

function isAnswerOption(text: string): boolean {
  return text.length === 1 && answerOptions.includes(text);
}
