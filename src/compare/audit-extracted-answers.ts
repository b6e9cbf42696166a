import { answerFormatRule, type AnswerRule } from '../postprocess/index.js';
import type { AnswerFormat } from '../spec/index.js';
import type { JudgeAgreement } from './find-judge-disagreements.js';
import type { DatasetSamples } from './read-model-run.js';

/**
 * Version of the {@link ExtractionAudit} JSON; bumped on any incompatible change. 2: each dataset is audited by its
 * own answer format (`rule`), not always by option letters.
 */
export const extractionAuditFormatVersion = 2;

/**
 * How well answer extraction worked on one model's run (`sextant audit RUN`). Rates and accuracies are percent
 * (0–100). A prediction counts as extracted when its answer has the dataset's answer format (each dataset's `rule`):
 * one of its option letters, a number (GSM8K), non-empty text (NQ, BBH free-form, MATH's judged answer), a non-empty
 * program (HumanEval, MBPP); a PPL prediction is always a label. A dataset whose config this sextant version does not
 * know is audited against `validOptions`.
 */
export interface ExtractionAudit {
  readonly formatVersion: typeof extractionAuditFormatVersion;
  /** The run folder. */
  readonly run: string;
  readonly timestamp: string;
  /** The model abbr audited. */
  readonly model: string;
  /** The option letters that count as a valid answer where a dataset's own answer format is unknown, e.g. `ABCD`. */
  readonly validOptions: string;
  /** The second extractor run side by side, when one was asked for. */
  readonly extractor?: string;
  readonly datasets: readonly DatasetExtractionAudit[];
  readonly totals: ExtractionTotals;
}

/** One dataset's extraction audit. */
export interface DatasetExtractionAudit {
  readonly dataset: string;
  /** The dataset's own extraction: its postprocessor name, `identity` (PPL), or `recorded` (from the results file). */
  readonly extraction: string;
  /** What counted as extracted here, in words: `one of A, B, C, D`, `a number`, `non-empty text`, … */
  readonly rule: string;
  readonly samples: number;
  /** Samples whose extracted answer follows `rule`. */
  readonly extracted: number;
  /** 100 × extracted / samples. */
  readonly rate: number;
  /** Accuracy with the dataset's own extraction, in percent. */
  readonly accuracy: number;
  /** Every sample whose answer does not follow `rule`, by index. */
  readonly unextracted: readonly UnextractedSample[];
  readonly second?: SecondExtraction;
  /** When the results file records two judges per sample (MATH-500: `symbolic`, `legacy`): where they disagree. */
  readonly judges?: JudgeAgreement;
}

/** A sample whose extracted answer does not follow its dataset's rule (none found, or not an option). */
export interface UnextractedSample {
  readonly index: number;
  readonly gold: string;
  /** The raw model output. */
  readonly raw: string;
  /**
   * What the postprocessor returned (`''`; something that is not an option, such as `T` from "The answer…"; GSM8K's
   * `NULL` when no number was found).
   */
  readonly extracted: string;
  /** Set when the sample failed (its raw output is then empty). */
  readonly error?: string;
}

/** The second extractor's results on one dataset. */
export interface SecondExtraction {
  readonly extractor: string;
  readonly extracted: number;
  readonly rate: number;
  readonly accuracy: number;
  /** Every sample where the two extractors return different answers, by index. */
  readonly disagreements: readonly ExtractorDisagreement[];
}

/** A sample where the second extractor's answer differs from the dataset's own. */
export interface ExtractorDisagreement {
  readonly index: number;
  readonly gold: string;
  readonly raw: string;
  /** The dataset's own extraction. */
  readonly primary: string;
  /** The second extractor's. */
  readonly secondary: string;
}

/** Sums over all datasets. */
export interface ExtractionTotals {
  readonly samples: number;
  readonly extracted: number;
  readonly rate: number;
  readonly second?: { readonly extracted: number; readonly rate: number; readonly disagreements: number };
}

/** A named answer extractor, e.g. `first_option_postprocess`. */
export interface NamedExtractor {
  readonly name: string;
  readonly extract: (text: string) => string;
}

/**
 * Audits the extracted answers of a run's datasets and, with `second`, runs another extractor over the same raw
 * outputs and lists where the two disagree. Pure; O(samples) extractor calls.
 *
 * @returns the per-dataset audits (in the given order) and their totals; the caller adds the run's identity.
 */
export function auditExtractedAnswers(options: {
  datasets: readonly DatasetSamples[];
  /** Option letters for datasets whose answer format is unknown. @default 'ABCD' */
  validOptions?: string;
  second?: NamedExtractor;
}): { datasets: DatasetExtractionAudit[]; totals: ExtractionTotals } {
  const fallback: AnswerFormat = { kind: 'options', options: options.validOptions ?? 'ABCD' };
  const datasets = options.datasets.map((dataset) => auditDataset(dataset, answerFormatRule(dataset.answerFormat ?? fallback), options.second));
  const samples = datasets.reduce((total, dataset) => total + dataset.samples, 0);
  const extracted = datasets.reduce((total, dataset) => total + dataset.extracted, 0);
  const totals: ExtractionTotals = { samples, extracted, rate: percent(extracted, samples) };
  if (!options.second) return { datasets, totals };
  const secondExtracted = datasets.reduce((total, dataset) => total + (dataset.second?.extracted ?? 0), 0);
  const disagreements = datasets.reduce((total, dataset) => total + (dataset.second?.disagreements.length ?? 0), 0);
  return { datasets, totals: { ...totals, second: { extracted: secondExtracted, rate: percent(secondExtracted, samples), disagreements } } };
}

function auditDataset(dataset: DatasetSamples, rule: AnswerRule, second: NamedExtractor | undefined): DatasetExtractionAudit {
  const isValid = rule.test;
  const unextracted: UnextractedSample[] = [];
  const disagreements: ExtractorDisagreement[] = [];
  let correct = 0;
  let secondExtracted = 0;
  let secondCorrect = 0;
  for (const sample of dataset.samples) {
    if (sample.correct) correct += 1;
    if (!isValid(sample.extracted)) {
      unextracted.push({
        index: sample.index,
        gold: sample.gold,
        raw: sample.raw,
        extracted: sample.extracted,
        ...(sample.error !== undefined ? { error: sample.error } : {}),
      });
    }
    if (!second) continue;
    const answer = second.extract(sample.raw);
    if (isValid(answer)) secondExtracted += 1;
    if (answer === sample.gold) secondCorrect += 1;
    if (answer !== sample.extracted)
      disagreements.push({ index: sample.index, gold: sample.gold, raw: sample.raw, primary: sample.extracted, secondary: answer });
  }
  const samples = dataset.samples.length;
  const extracted = samples - unextracted.length;
  return {
    dataset: dataset.abbr,
    extraction: dataset.extraction,
    rule: rule.description,
    samples,
    extracted,
    rate: percent(extracted, samples),
    accuracy: percent(correct, samples),
    unextracted,
    ...(second
      ? {
          second: {
            extractor: second.name,
            extracted: secondExtracted,
            rate: percent(secondExtracted, samples),
            accuracy: percent(secondCorrect, samples),
            disagreements,
          },
        }
      : {}),
  };
}

function percent(count: number, total: number): number {
  return total === 0 ? 0 : (100 * count) / total;
}
