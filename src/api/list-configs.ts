import { readdir } from 'node:fs/promises';
// The dataset registry alone: `sextant list` must start fast, without loading any backend.
import { listDatasetConfigs, type DatasetConfigEntry } from '../registry/dataset-registry.js';

export interface ConfigListing {
  readonly datasets: readonly DatasetConfigEntry[];
  /** Example model configs shipped in `examples/` (name → path). */
  readonly models: ReadonlyArray<{ readonly name: string; readonly path: string }>;
}

/** Dataset configs and example model configs whose names contain `pattern` (`*` wildcards allowed), like OpenCompass's `list_configs`. */
export async function listConfigs(options: { pattern?: string } = {}): Promise<ConfigListing> {
  const matches = toMatcher(options.pattern);
  const examplesFolder = new URL('../../examples/', import.meta.url);
  const files = await readdir(examplesFolder).catch(() => [] as string[]);
  const models = files
    .filter((file) => /\.(ts|js|mjs|json)$/.test(file))
    .map((file) => ({ name: file.replace(/\.(ts|js|mjs|json)$/, ''), path: new URL(file, examplesFolder).pathname }))
    .filter((entry) => matches(entry.name));
  return { datasets: listDatasetConfigs().filter((entry) => matches(entry.name)), models };
}

function toMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const regex = new RegExp(escaped, 'i');
  return (name) => regex.test(name);
}
