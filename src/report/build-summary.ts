import type { InferenceMode, SummaryGroup } from '../spec/index.js';
import { bootstrapGroupMean, wilsonInterval } from '../stats/index.js';
import type { SummaryRow, SummaryTable } from './format/index.js';

/** One dataset's score for one model, as the summary needs it. */
export interface DatasetScore {
  /**
   * The results file's metrics in OpenCompass's order (`resultMetrics`: whitelist first); empty when the evaluator
   * failed (`{"error": …}`), which OpenCompass shows as `-`.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Per-question correctness (1/0), in sample order, when known: intervals are computed from it. */
  readonly outcomes?: Uint8Array;
  /**
   * The metric that is 100 × the mean of `outcomes` (the one with an interval). @default the first metric, when
   * `outcomes` is given
   */
  readonly outcomeMetric?: string;
  /** Number of scored samples (the weight of a question-weighted average). */
  readonly count: number;
  readonly failed: number;
}

type Scores = ReadonlyMap<string, ReadonlyMap<string, DatasetScore>>;
/** A summarizer row request: a dataset or group abbr (its first metric), or an abbr with the metric to show. */
export type SummaryRowRequest = string | { readonly abbr: string; readonly metric: string };

/** A dataset's or group's computed metrics for one model (`undefined`: missing or an error). */
interface Entry {
  readonly values: ReadonlyArray<Readonly<Record<string, number>> | undefined>;
  /** Metric names in order (OpenCompass's `dataset_metrics`). */
  readonly metrics: readonly string[];
  readonly mode: string;
  readonly version: string;
  readonly intervals: Map<string, ReadonlyArray<{ lower: number; upper: number } | undefined>>;
}

/**
 * The summary table, as OpenCompass's `DefaultSummarizer` (2025-03 and later) lays it out.
 * - Dataset rows: one per metric, in the results' order (`score, auc_score, accuracy, humaneval_pass@1, …` first).
 * - Groups (`naive`, `weighted`): a row for each metric every subset shares (their mean), then `naive_average` /
 *   `weighted_average` over each subset's first metric (mixed-metric groups such as AGIEval get only that row). A
 *   model missing a subset (or whose subset's evaluation failed) gets `-`; a group no model has completely is
 *   left out, as OpenCompass leaves it out.
 * - Groups over `[abbr, metric]` pairs (`metrics`): one `naive_average` row, the mean of the pairs, under the same
 *   missing-subset rule.
 * - sextant's `questions` groups: one `weighted_average` row, the question-weighted mean of each subset's first
 *   metric, marked `origin: 'sextant'` (kept out of OpenCompass's csv). `available` groups: where some model lacks
 *   a subset, the mean over those it has, its metric saying how many (`naive_average of 3 of 17 available`),
 *   marked the same way.
 * Without `rows`, the order is datasets in config order, then the groups; with `rows` (a summarizer's
 * `dataset_abbrs`), exactly those rows (unknown ones as `-`), each followed by sextant's rows of the same name.
 */
export function buildSummary(options: {
  datasets: ReadonlyArray<{ abbr: string; version: string; mode: InferenceMode }>;
  models: readonly string[];
  scores: Scores;
  groups: readonly SummaryGroup[];
  /** A summarizer's rows (OpenCompass `dataset_abbrs`). */
  datasetAbbrs?: readonly SummaryRowRequest[];
}): SummaryTable {
  const { datasets, models, scores } = options;
  const entries = new Map<string, Entry>();
  for (const dataset of datasets) {
    const perModel = models.map((model) => scores.get(model)?.get(dataset.abbr));
    const values = perModel.map((score) => (score && Object.keys(score.metrics).length > 0 ? score.metrics : undefined));
    const metrics = unionInOrder(values);
    const intervals = new Map<string, ReadonlyArray<{ lower: number; upper: number } | undefined>>();
    for (const metric of metrics) {
      intervals.set(
        metric,
        perModel.map((score) => (score?.outcomes && score.outcomes.length > 0 && outcomeMetric(score) === metric ? wilsonPoints(score.outcomes) : undefined)),
      );
    }
    entries.set(dataset.abbr, { values, metrics, mode: dataset.mode, version: dataset.version, intervals });
  }
  const datasetAbbrs = new Set(datasets.map((dataset) => dataset.abbr));
  const groupNames: string[] = [];
  const sextantRows = new Map<string, SummaryRow[]>();
  for (const group of options.groups) {
    if (!group.subsets.some((subset) => entries.has(subset) || datasetAbbrs.has(subset))) continue;
    if (group.average === 'questions' || group.average === 'available') {
      const row = group.average === 'questions' ? questionsRow(group, models, scores, entries) : availableRow(group, models, entries);
      if (row) sextantRows.set(group.name, [...(sextantRows.get(group.name) ?? []), row]);
      continue;
    }
    const entry = group.metrics ? pairGroupEntry(group, group.metrics, models, entries) : groupEntry(group, models, scores, entries);
    if (!entry) continue;
    entries.set(group.name, entry);
    if (!groupNames.includes(group.name)) groupNames.push(group.name);
  }

  const rowsOf = (abbr: string, metric: string | undefined): SummaryRow[] => {
    const entry = entries.get(abbr);
    const chosen = metric ?? entry?.metrics[0];
    if (!entry || chosen === undefined || !entry.metrics.includes(chosen)) {
      return [{ dataset: abbr, version: '-', metric: '-', mode: '-', values: models.map(() => undefined) }];
    }
    return [
      {
        dataset: abbr,
        version: entry.version,
        metric: chosen,
        mode: entry.mode,
        values: entry.values.map((value) => value?.[chosen]),
        intervals: entry.intervals.get(chosen) ?? models.map(() => undefined),
      },
    ];
  };
  if (!options.datasetAbbrs) {
    const rows: SummaryRow[] = [];
    for (const dataset of datasets) {
      const entry = entries.get(dataset.abbr) as Entry;
      if (entry.metrics.length === 0) rows.push(...rowsOf(dataset.abbr, undefined));
      for (const metric of entry.metrics) rows.push(...rowsOf(dataset.abbr, metric));
    }
    const shown = new Set<string>();
    for (const name of groupNames) {
      for (const metric of (entries.get(name) as Entry).metrics) rows.push(...rowsOf(name, metric));
      rows.push(...(sextantRows.get(name) ?? []));
      shown.add(name);
    }
    for (const [name, extra] of sextantRows) if (!shown.has(name)) rows.push(...extra);
    return { models, rows };
  }
  const rows = options.datasetAbbrs.flatMap((request) => {
    const abbr = typeof request === 'string' ? request : request.abbr;
    return [...rowsOf(abbr, typeof request === 'string' ? undefined : request.metric), ...(sextantRows.get(abbr) ?? [])];
  });
  return { models, rows };
}

function unionInOrder(values: ReadonlyArray<Readonly<Record<string, number>> | undefined>): string[] {
  const metrics: string[] = [];
  for (const value of values) for (const metric of Object.keys(value ?? {})) if (!metrics.includes(metric)) metrics.push(metric);
  return metrics;
}

function outcomeMetric(score: DatasetScore): string | undefined {
  return score.outcomeMetric ?? Object.keys(score.metrics)[0];
}

/** A naive or weighted group (OpenCompass's rules); `undefined` when no model has every subset. */
function groupEntry(group: SummaryGroup, models: readonly string[], scores: Scores, entries: ReadonlyMap<string, Entry>): Entry | undefined {
  const subsets = group.subsets.map((subset) => entries.get(subset));
  if (subsets.some((subset) => subset === undefined)) return undefined;
  const known = subsets as Entry[];
  // A subset without a result, with an evaluator error, or with no samples (NaN) leaves the model's group `-`.
  const complete = models.map((_, index) =>
    known.every((subset) => {
      const value = subset.values[index];
      return value !== undefined && !Number.isNaN(value[subset.metrics[0] as string]);
    }),
  );
  if (!complete.some(Boolean)) return undefined;
  const defaultMetric = group.average === 'weighted' ? 'weighted_average' : 'naive_average';
  const shared = (known[0]?.metrics ?? []).filter((metric) => known.every((subset) => subset.metrics.includes(metric)));
  const metrics = [...shared.filter((metric) => metric !== defaultMetric), defaultMetric];
  const weights = group.weights;
  const average = (values: readonly number[]) => {
    if (group.average !== 'weighted' || !weights) return values.reduce((sum, value) => sum + value, 0) / values.length;
    let numerator = 0;
    group.subsets.forEach((subset, index) => {
      const weight = weights[subset] ?? 0;
      if (weight !== 0) numerator += (values[index] as number) * weight;
    });
    return numerator / Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  };
  const values = models.map((_, index) => {
    if (!complete[index]) return undefined;
    const result: Record<string, number> = {};
    for (const metric of metrics) {
      const picked = known.map((subset) => {
        const value = subset.values[index] as Readonly<Record<string, number>>;
        return metric === defaultMetric ? (value[subset.metrics[0] as string] as number) : (value[metric] as number);
      });
      result[metric] = average(picked);
    }
    return result;
  });
  const modes = new Set(known.map((subset) => subset.mode));
  const mode = modes.size === 1 ? ([...modes][0] as string) : 'mixed';
  const intervals = new Map<string, ReadonlyArray<{ lower: number; upper: number } | undefined>>();
  if (group.average === 'naive') {
    for (const metric of metrics) {
      intervals.set(
        metric,
        models.map((model, index) => {
          if (!complete[index]) return undefined;
          const subsetScores = group.subsets.map((subset) => scores.get(model)?.get(subset));
          // Intervals only where every subset is a dataset whose value here is the mean of its 0/1 outcomes.
          const usable = subsetScores.every((score, position) => {
            if (!score?.outcomes || score.outcomes.length === 0) return false;
            const used = metric === defaultMetric ? known[position]?.metrics[0] : metric;
            return outcomeMetric(score) === used;
          });
          return usable ? bootstrapInterval(subsetScores as DatasetScore[], 'naive', values[index]?.[metric] as number) : undefined;
        }),
      );
    }
  }
  return { values, metrics, mode, version: '-', intervals };
}

/** Each subset's value of its paired metric for one model (`undefined`: the subset, metric or value is missing). */
function pairValues(group: SummaryGroup, metrics: readonly string[], entries: ReadonlyMap<string, Entry>, index: number): Array<number | undefined> {
  return group.subsets.map((subset, position) => {
    const metric = metrics[position] as string;
    const entry = entries.get(subset);
    const value = entry?.metrics.includes(metric) ? entry.values[index]?.[metric] : undefined;
    return value === undefined || Number.isNaN(value) ? undefined : value;
  });
}

/**
 * A group over `[abbr, metric]` pairs (OpenCompass's list-form subsets): one `naive_average` row, the mean of the
 * pairs; a model missing any pair gets `-`, and a group no model has completely is left out (an error row when a
 * summarizer asks for it).
 */
function pairGroupEntry(group: SummaryGroup, metrics: readonly string[], models: readonly string[], entries: ReadonlyMap<string, Entry>): Entry | undefined {
  const values = models.map((_, index) => {
    const picked = pairValues(group, metrics, entries, index);
    if (picked.some((value) => value === undefined)) return undefined;
    return { naive_average: (picked as number[]).reduce((sum, value) => sum + value, 0) / picked.length };
  });
  if (!values.some(Boolean)) return undefined;
  const modes = new Set(group.subsets.map((subset) => (entries.get(subset) as Entry).mode));
  return {
    values,
    metrics: ['naive_average'],
    mode: modes.size === 1 ? ([...modes][0] as string) : 'mixed',
    version: '-',
    intervals: new Map([['naive_average', models.map(() => undefined)]]),
  };
}

/**
 * sextant's mean over the subsets (pairs, with `metrics`) each model has, only where some model lacks one (there
 * OpenCompass's row is an error row); its metric says how many of the subsets it averages.
 */
function availableRow(group: SummaryGroup, models: readonly string[], entries: ReadonlyMap<string, Entry>): SummaryRow | undefined {
  const metrics = group.metrics ?? group.subsets.map((subset) => entries.get(subset)?.metrics[0] ?? '');
  const present = models.map((_, index) => pairValues(group, metrics, entries, index).filter((value): value is number => value !== undefined));
  if (present.every((values) => values.length === group.subsets.length) || present.every((values) => values.length === 0)) return undefined;
  const counts = [...new Set(present.map((values) => values.length).filter((count) => count > 0))];
  const modes = new Set(group.subsets.flatMap((subset) => (entries.has(subset) ? [(entries.get(subset) as Entry).mode] : [])));
  return {
    dataset: group.name,
    version: '-',
    metric: `naive_average of ${counts.join('/')} of ${group.subsets.length} available`,
    mode: modes.size === 1 ? ([...modes][0] as string) : 'mixed',
    values: present.map((values) => (values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined)),
    intervals: models.map(() => undefined),
    origin: 'sextant',
  };
}

/** sextant's question-weighted mean of each subset's first metric (datasets only), as a labelled extra row. */
function questionsRow(group: SummaryGroup, models: readonly string[], scores: Scores, entries: ReadonlyMap<string, Entry>): SummaryRow | undefined {
  const subsets = group.subsets.map((subset) => entries.get(subset));
  if (subsets.some((subset) => subset === undefined)) return undefined;
  const perModel = models.map((model) => {
    const present = group.subsets.map((subset) => scores.get(model)?.get(subset));
    if (present.some((score) => score === undefined || Object.keys(score.metrics).length === 0 || Number.isNaN(Object.values(score.metrics)[0])))
      return undefined;
    return present as DatasetScore[];
  });
  if (!perModel.some(Boolean)) return undefined;
  const first = (score: DatasetScore) => Object.values(score.metrics)[0] as number;
  const values = perModel.map((present) => {
    if (!present) return undefined;
    const questions = present.reduce((sum, score) => sum + score.count, 0);
    return present.reduce((sum, score) => sum + first(score) * score.count, 0) / questions;
  });
  const intervals = perModel.map((present, index) => {
    if (!present || present.some((score) => !score.outcomes || score.outcomes.length === 0 || outcomeMetric(score) !== Object.keys(score.metrics)[0]))
      return undefined;
    return bootstrapInterval(present, 'questions', values[index] as number);
  });
  const modes = new Set(subsets.map((subset) => (subset as Entry).mode));
  return {
    dataset: group.name,
    version: '-',
    metric: 'weighted_average',
    mode: modes.size === 1 ? ([...modes][0] as string) : 'mixed',
    values,
    intervals,
    origin: 'sextant',
  };
}

function bootstrapInterval(present: readonly DatasetScore[], weighting: 'naive' | 'questions', value: number): { lower: number; upper: number } {
  // Every subset all right or all wrong (e.g. the unlabelled C-Eval test split): resampling cannot move the mean.
  if (present.every((score) => isConstant(score.outcomes as Uint8Array))) return { lower: value, upper: value };
  const bootstrap = bootstrapGroupMean({
    subsets: present.map((score) => ({ outcomes: score.outcomes as Uint8Array })),
    weighting,
    seed: 0,
    iterations: 2000,
  });
  return { lower: bootstrap.lower, upper: bootstrap.upper };
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
