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
      (await fetchAdvice(options.root, options.folder)) +
      `Or point sextant at a folder holding ${options.folder}/ with --data-dir DIR or SEXTANT_DATA_DIR=DIR ` +
      `(in this repository's tests: SEXTANT_DATA_DIR=../shared/data).`,
  });
}

/** The exact `sextant data fetch` command that puts `folder` where this run looks, when sextant can fetch it. */
export async function fetchAdvice(root: DataRoot, folder: string): Promise<string> {
  // Loaded only on this error path: the manifest is ~120 kB of checksums.
  const { dataManifest } = await import('./fetch/data-manifest.js');
  if (!(folder in dataManifest.datasets)) return '';
  const where = root.source === 'flag' ? ` --data-dir ${quoteForShell(root.path)}` : '';
  return `Fetch it (sha256-checked) with: sextant data fetch ${folder}${where}. `;
}

function quoteForShell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
