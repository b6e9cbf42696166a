import type { InferenceMode, SummaryGroup } from '../../spec/index.js';
import { buildSummary, type DatasetScore } from '../build-summary.js';
import { datasetLabel } from './dataset-labels.js';
import { measureExtraction } from './measure-extraction.js';
import { readScoredSamples, sampleOutcomes } from './read-scored-samples.js';
import type { RunReport, RunReportHeader, RunReportModel } from './run-report.js';

/** A results file's content, as the report reads it (`AccuracyResults` of the store). */
export interface ScoredDatasetResults {
  readonly accuracy: number;
  readonly failed: number;
  /** Per-sample details keyed `"0"`…`"N-1"`, plus `type`: `'GEN'` or `'PPL'`. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Options for {@link buildRunReport}. */
export interface BuildRunReportOptions {
  readonly run: Omit<RunReportHeader, 'generatedAt'> & { readonly generatedAt?: string };
  readonly models: ReadonlyArray<{ readonly abbr: string; readonly modelName?: string }>;
  /** The run's datasets in run order, with their OpenCompass version hashes. */
  readonly datasets: ReadonlyArray<{ readonly abbr: string; readonly version: string }>;
  /** Model abbr → dataset abbr → results; a missing entry is a (model, dataset) that was not scored. */
  readonly results: ReadonlyMap<string, ReadonlyMap<string, ScoredDatasetResults>>;
  /** Summary groups (`summaryGroups()` of the registry); those with a subset in the run become group rows. */
  readonly groups: readonly SummaryGroup[];
  /** Unextracted samples listed per model. @default 100 */
  readonly unextractedLimit?: number;
}

/** The group intervals' bootstrap, as `buildSummary` runs it. */
const bootstrap = { iterations: 2000, seed: 0 } as const;

/** Computes a {@link RunReport}: the summary with intervals, and each model's totals and extraction audit. */
export function buildRunReport(options: BuildRunReportOptions): RunReport {
  const limit = options.unextractedLimit ?? 100;
  const scores = new Map<string, Map<string, DatasetScore>>();
  const questions = new Map<string, number>();
  const models = options.models.map((model): RunReportModel => {
    const modelScores = new Map<string, DatasetScore>();
    const extractionByDataset = new Map<string, { extracted: number; total: number }>();
    const unextracted: Array<RunReportModel['unextracted'][number]> = [];
    let failed = 0;
    let unextractedTotal = 0;
    for (const dataset of options.datasets) {
      const results = options.results.get(model.abbr)?.get(dataset.abbr);
      if (!results) continue;
      const samples = readScoredSamples(results.details);
      const outcomes = sampleOutcomes(samples);
      modelScores.set(dataset.abbr, { accuracy: results.accuracy, failed: results.failed, count: samples.length, outcomes });
      questions.set(dataset.abbr, Math.max(questions.get(dataset.abbr) ?? 0, samples.length));
      const extraction = measureExtraction(samples);
      extractionByDataset.set(dataset.abbr, { extracted: extraction.extracted, total: extraction.total });
      unextractedTotal += extraction.unextracted.length;
      for (const sample of extraction.unextracted.slice(0, Math.max(0, limit - unextracted.length))) unextracted.push({ ...sample, dataset: dataset.abbr });
      failed += results.failed;
    }
    scores.set(model.abbr, modelScores);
    const totals = [...extractionByDataset.values()];
    return {
      abbr: model.abbr,
      ...(model.modelName !== undefined ? { modelName: model.modelName } : {}),
      datasetCount: modelScores.size,
      questions: totals.reduce((sum, entry) => sum + entry.total, 0),
      failed,
      extracted: totals.reduce((sum, entry) => sum + entry.extracted, 0),
      extractionByDataset,
      unextracted,
      unextractedTotal,
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
    datasets: options.datasets.map((dataset) => ({ abbr: dataset.abbr, label: datasetLabel(dataset.abbr), questions: questions.get(dataset.abbr) ?? 0 })),
    bootstrap,
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
