import {
  auditExtractedAnswers,
  extractionAuditFormatVersion,
  findJudgeDisagreements,
  openRunInfo,
  readModelRun,
  resolveExtractor,
  selectRunModel,
  type ExtractionAudit,
} from '../compare/index.js';
import { ConfigError } from '../spec/index.js';
import { readRunResults } from '../store/index.js';

export {
  formatExtractionAudit,
  type DatasetExtractionAudit,
  type ExtractionAudit,
  type ExtractionTotals,
  type ExtractorDisagreement,
  type FormatExtractionAuditOptions,
  type JudgeAgreement,
  type JudgeDisagreement,
  type SecondExtraction,
  type UnextractedSample,
} from '../compare/index.js';

/** Options for {@link auditExtraction}. */
export interface AuditExtractionOptions {
  /** A run folder, or a work dir (its newest run). */
  run: string;
  /** The model abbr; may be omitted when the run holds one model. */
  model?: string;
  /**
   * A second extractor to run side by side with each dataset's own, e.g. `first_option_postprocess` (or
   * `first_option`). Its rate, accuracy and the samples where it disagrees are reported.
   */
  extractor?: string;
  /** Only these dataset abbrs (default: all of the run's). */
  datasets?: readonly string[];
  /** The option letters that count as an extracted answer. @default 'ABCD' */
  validOptions?: string;
}

/**
 * The extraction audit of one model's run (`sextant audit`), for the CLI, the HTML report and the viewer: per
 * dataset, the share of raw outputs from which the dataset's postprocessor got a valid option, every sample where
 * it did not, optionally a second extractor's results with the samples where the two disagree, and, for datasets
 * whose results record two judges per sample (MATH-500's symbolic and legacy judges), the samples they disagree on. Reads the run's
 * per-sample log; sends nothing to any model.
 *
 * @throws {ConfigError} when `run` is not a run folder (the message names it), the model is missing or ambiguous,
 *   or the extractor is unknown.
 */
export async function auditExtraction(options: AuditExtractionOptions): Promise<ExtractionAudit> {
  const second = options.extractor !== undefined ? resolveExtractor(options.extractor) : undefined;
  const validOptions = options.validOptions ?? 'ABCD';
  if (validOptions.length === 0) throw new ConfigError({ field: 'validOptions', message: 'must name at least one option letter' });
  const info = await openRunInfo({ path: options.run, argument: 'RUN' });
  const model = selectRunModel({ info, abbr: options.model, flag: '--models' });
  const run = await readModelRun({ info, model, ...(options.datasets ? { datasets: options.datasets } : {}) });
  const wanted = options.datasets ? new Set(options.datasets) : undefined;
  const datasets = wanted ? run.datasets.filter((dataset) => wanted.has(dataset.abbr)) : run.datasets;
  const audit = auditExtractedAnswers({ datasets, validOptions, ...(second ? { second } : {}) });
  // Datasets scored by two judges (MATH-500) record both verdicts in their results file: list where they differ.
  const judged = await Promise.all(
    audit.datasets.map(async (dataset) => {
      const results = await readRunResults(info.root, model.abbr, dataset.dataset);
      const judges = results ? findJudgeDisagreements(results.details) : undefined;
      return judges ? { ...dataset, judges } : dataset;
    }),
  );
  return {
    formatVersion: extractionAuditFormatVersion,
    run: info.root,
    timestamp: info.timestamp,
    model: model.abbr,
    validOptions,
    ...(second ? { extractor: second.name } : {}),
    ...audit,
    datasets: judged,
  };
}
