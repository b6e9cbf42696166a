import type { InferenceMode, SummaryGroup } from '../spec/index.js';
import { bootstrapGroupMean, wilsonInterval } from '../stats/index.js';
import type { SummaryRow, SummaryTable } from './format/index.js';

/** One dataset's score for one model, as the summary needs it. */
export interface DatasetScore {
  readonly accuracy: number;
  /** Per-question correctness (1/0), in sample order, when known: intervals are computed from it. */
  readonly outcomes?: Uint8Array;
  /** Number of scored samples (the weight of a question-weighted average). */
  readonly count: number;
  readonly failed: number;
}

/**
 * The summary table, as OpenCompass's default summarizer lays it out: one `accuracy` row per dataset (config
 * order, or `datasetAbbrs` order), then the group rows whose subsets are in this run. A group is the naive mean of
 * its subsets' accuracies (`naive_average`), or for sextant's extra row the question-weighted mean
 * (`weighted_average`); a group with a missing subset is `-`, as in OpenCompass.
 */
export function buildSummary(options: {
  datasets: ReadonlyArray<{ abbr: string; version: string; mode: InferenceMode }>;
  models: readonly string[];
  scores: ReadonlyMap<string, ReadonlyMap<string, DatasetScore>>;
  groups: readonly SummaryGroup[];
  datasetAbbrs?: readonly string[];
}): SummaryTable {
  const { datasets, models, scores } = options;
  const known = new Set(datasets.map((dataset) => dataset.abbr));
  const datasetRows = new Map<string, SummaryRow>(
    datasets.map((dataset) => {
      const datasetScores = models.map((model) => scores.get(model)?.get(dataset.abbr));
      const values = datasetScores.map((score) => score?.accuracy);
      const intervals = datasetScores.map((score) => (score?.outcomes ? wilsonPoints(score.outcomes) : undefined));
      // No model has a result: OpenCompass shows the row as dashes.
      const known = values.some((value) => value !== undefined);
      return [
        dataset.abbr,
        { dataset: dataset.abbr, version: known ? dataset.version : '-', metric: known ? 'accuracy' : '-', mode: known ? dataset.mode : '-', values, intervals },
      ];
    }),
  );
  const modes = new Map(datasets.map((dataset) => [dataset.abbr, dataset.mode]));
  const groupRows: Array<{ name: string; row: SummaryRow }> = options.groups
    .filter((group) => group.subsets.some((subset) => known.has(subset)))
    .map((group) => ({ name: group.name, row: groupRow(group, models, scores, modes) }));
  if (!options.datasetAbbrs) return { models, rows: [...datasetRows.values(), ...groupRows.map((entry) => entry.row)] };
  const rows = options.datasetAbbrs.flatMap((abbr) => {
    const datasetRow = datasetRows.get(abbr);
    if (datasetRow) return [datasetRow];
    const matching = groupRows.filter((entry) => entry.name === abbr).map((entry) => entry.row);
    return matching.length > 0 ? matching : [{ dataset: abbr, version: '-', metric: '-', mode: '-', values: models.map(() => undefined) }];
  });
  return { models, rows };
}

function groupRow(
  group: SummaryGroup,
  models: readonly string[],
  scores: ReadonlyMap<string, ReadonlyMap<string, DatasetScore>>,
  modes: ReadonlyMap<string, InferenceMode>,
): SummaryRow {
  const subsetModes = new Set(group.subsets.map((subset) => modes.get(subset)).filter((mode) => mode !== undefined));
  const mode = subsetModes.size === 1 ? ([...subsetModes][0] as string) : subsetModes.size === 0 ? '-' : 'mixed';
  const presentScores = models.map((model) => {
    const subsetScores = group.subsets.map((subset) => scores.get(model)?.get(subset));
    if (subsetScores.some((score) => score === undefined || Number.isNaN(score.accuracy))) return undefined;
    return subsetScores as DatasetScore[];
  });
  const values = presentScores.map((present) => {
    if (!present) return undefined;
    if (group.average === 'naive') return present.reduce((sum, score) => sum + score.accuracy, 0) / present.length;
    const questions = present.reduce((sum, score) => sum + score.count, 0);
    return present.reduce((sum, score) => sum + score.accuracy * score.count, 0) / questions;
  });
  const intervals = presentScores.map((present) => {
    if (!present || present.some((score) => !score.outcomes || score.outcomes.length === 0)) return undefined;
    // Every subset all right or all wrong (e.g. the unlabelled C-Eval test split): resampling cannot move the mean.
    if (present.every((score) => isConstant(score.outcomes as Uint8Array))) {
      const value = group.average === 'naive' ? mean(present.map((score) => score.accuracy)) : weightedMean(present);
      return { lower: value, upper: value };
    }
    const bootstrap = bootstrapGroupMean({
      subsets: present.map((score) => ({ outcomes: score.outcomes as Uint8Array })),
      weighting: group.average === 'naive' ? 'naive' : 'questions',
      seed: 0,
      iterations: 2000,
    });
    return { lower: bootstrap.lower, upper: bootstrap.upper };
  });
  return { dataset: group.name, version: '-', metric: group.average === 'naive' ? 'naive_average' : 'weighted_average', mode, values, intervals };
}

/** A dataset's 95% Wilson interval, in points. */
function wilsonPoints(outcomes: Uint8Array): { lower: number; upper: number } {
  let successes = 0;
  for (const outcome of outcomes) successes += outcome;
  const interval = wilsonInterval({ successes, trials: outcomes.length });
  return { lower: 100 * interval.lower, upper: 100 * interval.upper };
}

function isConstant(outcomes: Uint8Array): boolean {
  return outcomes.every((outcome) => outcome === outcomes[0]);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function weightedMean(scores: readonly DatasetScore[]): number {
  const questions = scores.reduce((sum, score) => sum + score.count, 0);
  return scores.reduce((sum, score) => sum + score.accuracy * score.count, 0) / questions;
}
