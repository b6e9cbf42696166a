import { readdir } from 'node:fs/promises';
// The dataset registry alone: `sextant list` must start fast, without loading any backend.
import { listDatasetConfigs, type DatasetConfigEntry } from '../registry/dataset-registry.js';
// The model-class table alone (plain data), for the same reason.
import { modelClasses } from '../config/opencompass-py/model-classes.js';

export interface ConfigListing {
  readonly datasets: readonly DatasetConfigEntry[];
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
  const datasets = listDatasetConfigs().filter((entry) => matches(entry.name));
  return {
    datasets,
    models,
    opencompass: {
      datasetModules: datasets.map((entry) => entry.name),
      modelClasses: Object.entries(modelClasses)
        .filter(([name]) => matches(name))
        .map(([name, mapping]) => ({ name, description: mapping.description })),
    },
  };
}

function toMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const regex = new RegExp(escaped, 'i');
  return (name) => regex.test(name);
}
