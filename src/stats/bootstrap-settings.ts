/**
 * How subset accuracies combine into one score.
 * - `naive`: the unweighted mean of the subsets' accuracies (C-Eval's group and overall averages).
 * - `questions`: every question counts once, i.e. total correct / total questions.
 */
export type SubsetWeighting = 'naive' | 'questions';

/** Settings shared by the stratified bootstraps ({@link bootstrapGroupMean}). */
export interface BootstrapSettings {
  /** Number of bootstrap resamples, a positive integer. @default 2000 */
  iterations?: number;
  /**
   * Seed for the xoshiro128** stream, an integer in [0, 2^32 − 1]. The same seed, data and subset order give the same
   * interval on every run and platform. @default 0
   */
  seed?: number;
  /** Two-sided confidence level in (0, 1) of the percentile interval. @default 0.95 */
  confidence?: number;
  /** How subset accuracies are combined. @default 'naive' */
  weighting?: SubsetWeighting;
}
