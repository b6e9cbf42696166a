import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataError } from '../spec/index.js';

/** Where the data root came from, for error messages. */
export type DataRootSource = 'flag' | 'env' | 'default';

export interface DataRoot {
  readonly path: string;
  readonly source: DataRootSource;
}

/** The data root: `--data-dir`, else env `SEXTANT_DATA_DIR`, else `~/.cache/sextant/data`. */
export function resolveDataRoot(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): DataRoot {
  const env = options.env ?? process.env;
  if (options.dataDir) return { path: resolve(options.dataDir), source: 'flag' };
  if (env.SEXTANT_DATA_DIR) return { path: resolve(env.SEXTANT_DATA_DIR), source: 'env' };
  return { path: join(homedir(), '.cache', 'sextant', 'data'), source: 'default' };
}

/** Throws a {@link DataError} naming the path tried and how to point sextant elsewhere. */
export async function assertDataFolder(options: { root: DataRoot; folder: string; what: string }): Promise<string> {
  const path = join(options.root.path, options.folder);
  const found = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (found) return path;
  const origin = {
    flag: 'given by --data-dir',
    env: 'from the environment variable SEXTANT_DATA_DIR',
    default: 'the default data root',
  }[options.root.source];
  throw new DataError({
    path,
    message:
      `${options.what} data not found at ${path} (data root ${options.root.path}, ${origin}). ` +
      `Point sextant at a folder holding ${options.folder}/ with --data-dir DIR or SEXTANT_DATA_DIR=DIR ` +
      `(in this repository's tests: SEXTANT_DATA_DIR=../shared/data).`,
  });
}
