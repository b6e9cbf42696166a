import type { SummaryTable } from '../format/index.js';
import type { DatasetLabel } from './dataset-labels.js';
import type { ScoredSample } from './read-scored-samples.js';

/**
 * Everything a run's HTML report shows, computed from the run's stored results alone (no model is called). Scores
 * and interval bounds are in percent.
 */
export interface RunReport {
  readonly run: RunReportHeader;
  /** The run's models, in config order (the table's columns and the charts' bar colours). */
  readonly models: readonly RunReportModel[];
  /**
   * The summary table (dataset rows, then group rows) as `buildSummary` lays it out, with intervals: a 95% Wilson
   * interval for each dataset, a seeded stratified bootstrap interval for each group.
   */
  readonly summary: SummaryTable;
  /** The run's datasets in run order, with their labels and question counts (the most any model has). */
  readonly datasets: ReadonlyArray<{ readonly abbr: string; readonly label: DatasetLabel; readonly questions: number }>;
  /** How the group intervals were computed. */
  readonly bootstrap: { readonly iterations: number; readonly seed: number };
}

/** Where the report comes from. */
export interface RunReportHeader {
  /** The run folder's name (`YYYYmmdd_HHMMSS`). */
  readonly timestamp: string;
  readonly sextantVersion?: string;
  /** Dataset config names as given (`ceval_gen`). */
  readonly datasetConfigs: readonly string[];
  /** `--limit`: samples per dataset, or `null` for all. */
  readonly limit: number | null;
  /** When the report was built, ISO 8601. */
  readonly generatedAt: string;
}

/** One model of the run: its totals and its extraction audit. */
export interface RunReportModel {
  readonly abbr: string;
  /** The model name the server reported, when recorded. */
  readonly modelName?: string;
  /** Datasets with a results file. */
  readonly datasetCount: number;
  readonly questions: number;
  /** Samples that failed after all retries (scored as wrong). */
  readonly failed: number;
  /** Samples whose extracted answer is an option letter, over all datasets. */
  readonly extracted: number;
  /** Dataset abbr → extracted and total samples. */
  readonly extractionByDataset: ReadonlyMap<string, { readonly extracted: number; readonly total: number }>;
  /** The first unextracted samples (at most the report's limit), in dataset then index order. */
  readonly unextracted: ReadonlyArray<ScoredSample & { readonly dataset: string }>;
  /** How many samples were unextracted in all (may exceed `unextracted.length`). */
  readonly unextractedTotal: number;
}
