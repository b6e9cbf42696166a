import { readdir } from 'node:fs/promises';
// The dataset registry alone: `sextant list` must start fast, without loading any backend.
import { listDatasetConfigs, listSummarizers, resolveDatasets, type DatasetConfigEntry } from '../registry/dataset-registry.js';
import type { InferenceMode } from '../spec/index.js';
// The model-class table alone (plain data), for the same reason.
import { modelClasses } from '../config/opencompass-py/model-classes.js';

export interface ConfigListing {
  readonly datasets: readonly DatasetConfigEntry[];
  /** Named summarizers (`--summarizer NAME`). */
  readonly summarizers: ReadonlyArray<{ readonly name: string; readonly description: string }>;
  /** Example model configs shipped in `examples/` (name → path). */
  readonly models: ReadonlyArray<{ readonly name: string; readonly path: string }>;
  /**
   * What `sextant run CONFIG.py` resolves in an OpenCompass config: dataset config modules (imported in
   * `with read_base():` as `.datasets.<family>.<name>` or `opencompass.configs.datasets.<family>.<name>`, where
   * `<name>` is one of the dataset configs) and model classes (`type=` of a model dict).
   */
  readonly opencompass: {
    readonly datasetModules: readonly string[];
    readonly modelClasses: ReadonlyArray<{ readonly name: string; readonly description: string }>;
  };
}

/** Dataset configs and example model configs whose names contain `pattern` (`*` wildcards allowed), like OpenCompass's `list_configs`. */
export async function listConfigs(options: { pattern?: string } = {}): Promise<ConfigListing> {
  const matches = toMatcher(options.pattern);
  const examplesFolder = new URL('../../examples/', import.meta.url);
  const files = await readdir(examplesFolder).catch(() => [] as string[]);
  const models = files
    .filter((file) => /\.(ts|js|mjs|json|py)$/.test(file))
    .map((file) => ({ name: file.replace(/\.(ts|js|mjs|json|py)$/, ''), path: new URL(file, examplesFolder).pathname }))
    .filter((entry) => matches(entry.name));
  const summarizers = listSummarizers()
    .filter((entry) => matches(entry.name))
    .map((entry) => ({ name: entry.name, description: entry.description }));
  const datasets = listDatasetConfigs().filter((entry) => matches(entry.name));
  return {
    datasets,
    summarizers,
    models,
    opencompass: {
      datasetModules: datasets.map((entry) => entry.name),
      modelClasses: Object.entries(modelClasses)
        .filter(([name]) => matches(name))
        .map(([name, mapping]) => ({ name, description: mapping.description })),
    },
  };
}

/** The single datasets that `datasets` (config names or abbrs) and `subjects` select, as `run` would run them. */
export function listSelectedDatasets(options: {
  datasets: readonly string[];
  subjects?: readonly string[];
}): Array<{ abbr: string; benchmark: string; configName: string; version: string; mode: InferenceMode }> {
  return resolveDatasets(options.datasets, options.subjects ? { subjects: options.subjects } : {}).map((task) => ({
    abbr: task.abbr,
    benchmark: task.benchmark,
    configName: task.configName,
    version: task.version,
    mode: task.mode,
  }));
}

function toMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(escaped, 'i');
  return (name) => regex.test(name);
}
