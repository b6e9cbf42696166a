/**
 * The summary table OpenCompass writes to `summary/summary_<time>.{txt,csv,md}`: one row per (dataset, metric), one
 * score column per model.
 */
export interface SummaryTable {
  /** Model abbrs, one column each, in config order. */
  readonly models: readonly string[];
  readonly rows: readonly SummaryRow[];
}

/** One (dataset, metric) row of a {@link SummaryTable}. */
export interface SummaryRow {
  /** Dataset or group abbr, e.g. `'ceval-computer_network'` or `'ceval'`. */
  readonly dataset: string;
  /** 6-hex prompt hash for datasets; `'-'` for groups and for datasets with no result at all. */
  readonly version: string;
  /** `'accuracy'`, `'naive_average'`, `'weighted_average'`, …; `'-'` when no model has a result. */
  readonly metric: string;
  /** `'gen'`, `'ppl'`, `'ll'`, `'mixed'` or `'-'`. */
  readonly mode: string;
  /** One score per model, same order as {@link SummaryTable.models}, in percent; `undefined` when missing. */
  readonly values: readonly (number | undefined)[];
  /**
   * 95% intervals in points, one per model (`undefined` where there is none): Wilson for a dataset's accuracy,
   * a seeded bootstrap over questions within each subset for a group's average.
   */
  readonly intervals?: readonly ({ readonly lower: number; readonly upper: number } | undefined)[];
  /**
   * `'sextant'` for sextant's own rows (the question-weighted `weighted_average`): left out of OpenCompass's csv,
   * labelled "(sextant)" in the md, txt and console tables.
   */
  readonly origin?: 'sextant';
}

/** A summary table as rows of cell strings, header first, as OpenCompass hands it to its writers. */
export type SummaryGrid = readonly (readonly string[])[];
