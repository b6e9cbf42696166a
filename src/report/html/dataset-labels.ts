import type { DatasetLabel, SummaryGroup } from '../../spec/index.js';

export type { DatasetLabel } from '../../spec/index.js';

/**
 * The label of a dataset abbr: its benchmark's own (subject key, name, category: `DatasetTask.label`) when the
 * caller knows it, else the abbr alone. No benchmark is special here: the names come from the definitions.
 */
export function datasetLabel(abbr: string, labels: ReadonlyMap<string, DatasetLabel> = new Map()): DatasetLabel {
  return labels.get(abbr) ?? { key: abbr };
}

/** Each group's report label (`SummaryGroup.label`: `ceval-stem` → `STEM 理工`), by group name. */
export function groupLabels(groups: readonly SummaryGroup[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const group of groups) if (group.label !== undefined && labels[group.name] === undefined) labels[group.name] = group.label;
  return labels;
}
