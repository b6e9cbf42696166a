import { summaryNumber, type RunSummary } from './read-run-summary.js';

/** A model's headline score in a run summary, and the row it came from. */
export interface OverallScore {
  readonly dataset: string;
  readonly metric: string;
  readonly value: number;
}

/**
 * The headline score of one model: the broadest average row (the `_average` row with the shortest dataset name,
 * e.g. `ceval naive_average`; OpenCompass's order decides ties), else the only scored row. `undefined` when neither exists.
 */
export function overallScore(summary: RunSummary, modelColumn: number): OverallScore | undefined {
  const scored = summary.rows
    .map((row) => ({ row, value: summaryNumber(row.values[modelColumn]) }))
    .filter((entry): entry is { row: (typeof summary.rows)[number]; value: number } => entry.value !== undefined);
  const averages = scored.filter((entry) => entry.row.metric.endsWith('_average'));
  const best = averages.reduce<(typeof averages)[number] | undefined>(
    (chosen, entry) => (chosen === undefined || entry.row.dataset.length < chosen.row.dataset.length ? entry : chosen),
    undefined,
  );
  const pick = best ?? (scored.length === 1 ? scored[0] : undefined);
  return pick ? { dataset: pick.row.dataset, metric: pick.row.metric, value: pick.value } : undefined;
}
