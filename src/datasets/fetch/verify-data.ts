import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { dataManifest } from './data-manifest.js';
import type { DataManifest } from './data-manifest-types.js';
import { fileSha256, resolveDataTargets } from './fetch-data.js';

/** What `verify` found for one dataset or model folder. */
export interface DataVerification {
  readonly name: string;
  readonly folder: string;
  /** The folder does not exist (nothing fetched; not an error unless the name was asked for). */
  readonly absent: boolean;
  readonly ok: number;
  readonly missing: readonly string[];
  /** Present with another sha256 than the manifest's. */
  readonly mismatched: readonly string[];
}

/**
 * Check the files of a data root against the shipped manifest: every named entry, or (no names) every dataset and
 * model whose folder exists. Reads every byte; writes nothing.
 */
export async function verifyData(options: { root: string; names?: readonly string[]; manifest?: DataManifest }): Promise<DataVerification[]> {
  const manifest = options.manifest ?? dataManifest;
  const names = options.names && options.names.length > 0 ? options.names : [...Object.keys(manifest.datasets), ...Object.keys(manifest.models)];
  const results: DataVerification[] = [];
  for (const target of resolveDataTargets({ names, root: options.root, manifest })) {
    const absent = !(await stat(target.folder).then(
      (stats) => stats.isDirectory(),
      () => false,
    ));
    if (absent && !(options.names && options.names.length > 0)) continue;
    const missing: string[] = [];
    const mismatched: string[] = [];
    let ok = 0;
    for (const file of target.entry.files) {
      const digest = absent ? undefined : await fileSha256(join(target.folder, file.path));
      if (digest === undefined) missing.push(file.path);
      else if (digest !== file.sha256) mismatched.push(file.path);
      else ok += 1;
    }
    results.push({ name: target.name, folder: target.folder, absent, ok, missing, mismatched });
  }
  return results;
}
