import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDataRoot, type DataRoot } from '../datasets/index.js';
import {
  dataGroups,
  dataManifest,
  fetchData,
  resolveDataTargets,
  verifyData,
  type DataFetchReporter,
  type DataTarget,
  type DataVerification,
} from '../datasets/fetch/index.js';

export type { DataFetchReporter, DataTarget, DataVerification } from '../datasets/fetch/index.js';

/** Where data goes and where it comes from: `--data-dir` / SEXTANT_DATA_DIR / default, and `--mirror` / SEXTANT_DATA_MIRROR. */
export interface DataSourceOptions {
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** One row of `sextant data list`. */
export interface DataSourceEntry {
  readonly name: string;
  readonly kind: 'dataset' | 'model';
  readonly title: string;
  readonly license: string;
  readonly source: string;
  readonly files: number;
  readonly bytes: number;
  /** Files of the manifest that exist under the data root (by name; `verify` checks their bytes). */
  readonly present: number;
  readonly folder: string;
}

/** Every dataset and model `sextant data fetch` knows, with how much of each the data root holds. */
export async function listDataSources(
  options: DataSourceOptions = {},
): Promise<{ root: DataRoot; entries: DataSourceEntry[]; groups: Readonly<Record<string, readonly string[]>> }> {
  const root = resolveDataRoot(options);
  const names = [...Object.keys(dataManifest.datasets), ...Object.keys(dataManifest.models)];
  const entries: DataSourceEntry[] = [];
  for (const target of resolveDataTargets({ names, root: root.path })) {
    let present = 0;
    for (const file of target.entry.files)
      if (
        await stat(join(target.folder, file.path)).then(
          () => true,
          () => false,
        )
      )
        present += 1;
    entries.push({
      name: target.name,
      kind: target.kind,
      title: target.entry.title,
      license: target.entry.license,
      source:
        target.entry.archive?.url ??
        (target.entry.repository ? `github.com/${target.entry.repository} @ ${target.entry.commit}` : (target.entry.files[0]?.url ?? '')),
      files: target.entry.files.length,
      bytes: target.entry.files.reduce((total, file) => total + file.size, 0),
      present,
      folder: target.folder,
    });
  }
  return { root, entries, groups: dataGroups };
}

/** Fetch the named datasets/models (or groups: `demo`, `all`) into the data root; see `fetchData`. */
export async function fetchDataSources(
  options: DataSourceOptions & { names: readonly string[]; mirror?: string; reporter?: DataFetchReporter; signal?: AbortSignal },
): Promise<{ root: DataRoot; targets: DataTarget[] }> {
  const root = resolveDataRoot(options);
  const mirror = options.mirror ?? (options.env ?? process.env).SEXTANT_DATA_MIRROR;
  const targets = await fetchData({
    names: options.names,
    root: root.path,
    ...(mirror ? { mirror } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { root, targets };
}

/** Check the data root's files against the shipped checksums; see `verifyData`. */
export async function verifyDataSources(
  options: DataSourceOptions & { names?: readonly string[] } = {},
): Promise<{ root: DataRoot; results: DataVerification[] }> {
  const root = resolveDataRoot(options);
  return { root, results: await verifyData({ root: root.path, ...(options.names ? { names: options.names } : {}) }) };
}
