import type { InferenceMode, SummaryGroup } from '../../spec/index.js';
import { buildSummary, type DatasetScore } from '../build-summary.js';
import { failedSampleCount } from '../../metrics/index.js';
import { datasetScore } from '../dataset-score.js';
import { datasetLabel, groupLabels, type DatasetLabel } from './dataset-labels.js';
import type { RunReport, RunReportHeader, RunReportModel, UnextractedSampleRow } from './run-report.js';

/** A results file's content, as the report reads it (the store's `DatasetResults`): metrics at top level. */
export interface ScoredDatasetResults {
  readonly [metric: string]: unknown;
  readonly failed: number;
  /** Per-sample details keyed `"0"`…`"N-1"`, plus `type`: `'GEN'` or `'PPL'`. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** One model's extraction audit, as the api's `auditExtraction` returns it (only the fields the report reads). */
export interface ModelExtractionAudit {
  /** The option letters that count as extracted, e.g. `ABCD`. */
  readonly validOptions: string;
  readonly datasets: ReadonlyArray<{
    readonly dataset: string;
    readonly samples: number;
    readonly extracted: number;
    /** What counted as extracted (`one of A, B, C, D`, `a number`, …). */
    readonly rule?: string;
    /** Every sample whose answer does not follow the rule, by index. */
    readonly unextracted: ReadonlyArray<Omit<UnextractedSampleRow, 'dataset'>>;
  }>;
}

/** Options for {@link buildRunReport}. */
export interface BuildRunReportOptions {
  readonly run: Omit<RunReportHeader, 'generatedAt'> & { readonly generatedAt?: string };
  readonly models: ReadonlyArray<{ readonly abbr: string; readonly modelName?: string }>;
  /** The run's datasets in run order, with their OpenCompass version hashes. */
  readonly datasets: ReadonlyArray<{ readonly abbr: string; readonly version: string }>;
  /** Model abbr → dataset abbr → results; a missing entry is a (model, dataset) that was not scored. */
  readonly results: ReadonlyMap<string, ReadonlyMap<string, ScoredDatasetResults>>;
  /** Model abbr → its extraction audit; a model without one shows no extraction figures. */
  readonly extraction: ReadonlyMap<string, ModelExtractionAudit>;
  /** Summary groups (`summaryGroups()` of the registry); those with a subset in the run become group rows. */
  readonly groups: readonly SummaryGroup[];
  /** Dataset abbr → its label from its benchmark's definition (`DatasetTask.label`); others show the abbr alone. */
  readonly labels?: ReadonlyMap<string, DatasetLabel>;
  /**
   * Unextracted samples listed per model (raw outputs are cut to 300 characters), which bounds the page's size.
   * @default 200 shared among the models, but at least 20 each (100 each for one or two models)
   */
  readonly unextractedLimit?: number;
}

/** The group intervals' bootstrap, as `buildSummary` runs it. */
const bootstrap = { iterations: 2000, seed: 0 } as const;

/** Computes a {@link RunReport}: the summary with intervals, and each model's totals and extraction audit. */
export function buildRunReport(options: BuildRunReportOptions): RunReport {
  const scores = new Map<string, Map<string, DatasetScore>>();
  const questions = new Map<string, number>();
  const limit = options.unextractedLimit ?? Math.max(20, Math.floor(200 / Math.max(1, options.models.length)));
  const models = options.models.map((model): RunReportModel => {
    const modelScores = new Map<string, DatasetScore>();
    let failed = 0;
    for (const dataset of options.datasets) {
      const results = options.results.get(model.abbr)?.get(dataset.abbr);
      if (!results) continue;
      const score = datasetScore(results);
      modelScores.set(dataset.abbr, score);
      questions.set(dataset.abbr, Math.max(questions.get(dataset.abbr) ?? 0, score.count));
      failed += failedSampleCount(results);
    }
    scores.set(model.abbr, modelScores);
    const count = [...modelScores.values()].reduce((sum, score) => sum + score.count, 0);
    return {
      abbr: model.abbr,
      ...(model.modelName !== undefined ? { modelName: model.modelName } : {}),
      datasetCount: modelScores.size,
      questions: count,
      failed,
      ...extractionFigures(options.extraction.get(model.abbr), limit),
    };
  });
  const summary = buildSummary({
    datasets: options.datasets.map((dataset) => ({ ...dataset, mode: datasetMode(options.results, dataset.abbr) })),
    models: models.map((model) => model.abbr),
    scores,
    groups: options.groups,
  });
  return {
    run: { ...options.run, generatedAt: options.run.generatedAt ?? new Date().toISOString() },
    models,
    summary,
    datasets: options.datasets.map((dataset) => ({
      abbr: dataset.abbr,
      label: datasetLabel(dataset.abbr, options.labels),
      questions: questions.get(dataset.abbr) ?? 0,
    })),
    groupLabels: groupLabels(options.groups),
    bootstrap,
    validOptions: [...options.extraction.values()][0]?.validOptions ?? 'ABCD',
  };
}

function extractionFigures(
  audit: ModelExtractionAudit | undefined,
  limit: number,
): Pick<RunReportModel, 'extraction' | 'extractionByDataset' | 'unextracted' | 'unextractedTotal'> {
  const datasets = audit?.datasets ?? [];
  const unextracted = datasets.flatMap((dataset) => dataset.unextracted.map((sample) => ({ dataset: dataset.dataset, ...sample })));
  return {
    extraction: {
      samples: datasets.reduce((sum, dataset) => sum + dataset.samples, 0),
      extracted: datasets.reduce((sum, dataset) => sum + dataset.extracted, 0),
    },
    extractionByDataset: new Map(
      datasets.map((dataset) => [
        dataset.dataset,
        { samples: dataset.samples, extracted: dataset.extracted, ...(dataset.rule !== undefined ? { rule: dataset.rule } : {}) },
      ]),
    ),
    unextracted: unextracted.slice(0, limit),
    unextractedTotal: unextracted.length,
  };
}

/** A dataset's inference mode, from the `type` its results files record. */
function datasetMode(results: BuildRunReportOptions['results'], abbr: string): InferenceMode {
  for (const modelResults of results.values()) {
    const type = modelResults.get(abbr)?.details.type;
    if (type === 'PPL') return 'ppl';
    if (type === 'GEN') return 'gen';
  }
  return 'gen';
}
