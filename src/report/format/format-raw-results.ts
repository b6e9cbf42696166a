import { pythonRepr } from './python-repr.js';

/** One model's raw results, in the order OpenCompass collected them (datasets in config order, then groups). */
export interface RawModelResults {
  /** Model abbr. */
  readonly model: string;
  readonly results: readonly RawDatasetResult[];
}

/** The contents of one `results/<model>/<dataset>.json` without `details`, or a group's score dict. */
export interface RawDatasetResult {
  /** Dataset or group abbr. */
  readonly dataset: string;
  /** Rendered with {@link pythonRepr}, e.g. `{'accuracy': 47.368421052631575}` or `{'error': '…'}`. */
  readonly result: unknown;
}

/**
 * The body of the "raw format" block: per model a line of 31 `-`, `Model: <abbr>`, then `<dataset>: <repr>` for
 * every dataset any model has, in order of first appearance across models. A dataset this model lacks prints as
 * `{}`, as OpenCompass does. Lines are joined by `\n` with no trailing newline.
 */
export function formatRawResults(raw: readonly RawModelResults[]): string {
  const datasets = [...new Set(raw.flatMap((model) => model.results.map((entry) => entry.dataset)))];
  const lines = raw.flatMap((model) => {
    const byDataset = new Map(model.results.map((entry) => [entry.dataset, entry.result]));
    return [
      '-'.repeat(31),
      `Model: ${model.model}`,
      ...datasets.map((dataset) => `${dataset}: ${byDataset.has(dataset) ? pythonRepr(byDataset.get(dataset)) : '{}'}`),
    ];
  });
  return lines.join('\n');
}
