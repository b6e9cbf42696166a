import type { SummaryTable } from '../format/index.js';
import type { DatasetLabel } from './dataset-labels.js';

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
  /** Group name → its label from the benchmark's definition (`ceval-stem` → `STEM 理工`); a group without one shows its name. */
  readonly groupLabels: Readonly<Record<string, string>>;
  /** How the group intervals were computed. */
  readonly bootstrap: { readonly iterations: number; readonly seed: number };
  /** The option letters that count as an extracted answer where a dataset's answer format is unknown, e.g. `ABCD`. */
  readonly validOptions: string;
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
  /** Scored questions over all datasets. */
  readonly questions: number;
  /** Samples that failed after all retries (scored as wrong). */
  readonly failed: number;
  /** Audited samples, and those whose extracted answer is a valid option, over all datasets. */
  readonly extraction: { readonly samples: number; readonly extracted: number };
  /** Dataset abbr → audited and extracted samples, and what counted as extracted there (`one of A, B, C, D`, `a number`, …). */
  readonly extractionByDataset: ReadonlyMap<string, { readonly samples: number; readonly extracted: number; readonly rule?: string }>;
  /** The first unextracted samples (at most the report's limit), in dataset then index order. */
  readonly unextracted: readonly UnextractedSampleRow[];
  /** How many samples were unextracted in all (may exceed `unextracted.length`). */
  readonly unextractedTotal: number;
}

/** A sample whose extracted answer does not follow its dataset's rule (none found, or not an option). */
export interface UnextractedSampleRow {
  readonly dataset: string;
  readonly index: number;
  readonly gold: string;
  /** The raw model output (`''` when the sample failed). */
  readonly raw: string;
  /** What the postprocessor returned (`''`, or e.g. `T` from "The answer is B"). */
  readonly extracted: string;
  /** Why the sample failed, when it did. */
  readonly error?: string;
}
