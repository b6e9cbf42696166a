import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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

/** `text` as one shell word (quoted only when it needs to be). */
export function quoteForShell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
