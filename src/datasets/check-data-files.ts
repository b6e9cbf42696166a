import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataError } from '../spec/index.js';
import { quoteForShell, type DataRoot } from './resolve-data-root.js';

/** What a missing-data message says about a benchmark. */
export interface DataFileOwner {
  /** `ceval` (also the `sextant data fetch` name). */
  readonly benchmark: string;
  /** `C-Eval`. */
  readonly title: string;
  /** Files relative to the data root (or absolute: a custom dataset's file). */
  readonly files: readonly string[];
  /** `false` for files `sextant data fetch` cannot fetch (the user's own). @default true */
  readonly fetchable?: boolean;
}

const originText = {
  flag: 'given by --data-dir',
  env: 'from the environment variable SEXTANT_DATA_DIR',
  default: 'the default data root; set --data-dir DIR or SEXTANT_DATA_DIR=DIR to use another',
} as const;

/**
 * Check that every data file of every benchmark exists, before any request. One {@link DataError} lists every
 * benchmark with missing files (the first few paths of each), where the data root was looked for, and the
 * `sextant data fetch` command that fetches them.
 */
export async function checkDataFiles(options: { root: DataRoot; owners: readonly DataFileOwner[] }): Promise<void> {
  const { root } = options;
  const problems: Array<{ owner: DataFileOwner; missing: string[] }> = [];
  for (const owner of options.owners) {
    const unique = [...new Set(owner.files)];
    const present = await Promise.all(
      unique.map((file) =>
        stat(resolve(root.path, file)).then(
          (stats) => stats.isFile(),
          () => false,
        ),
      ),
    );
    const missing = unique.filter((_, index) => !present[index]).map((file) => resolve(root.path, file));
    if (missing.length > 0) problems.push({ owner, missing });
  }
  if (problems.length === 0) return;
  const lines = problems.map(({ owner, missing }) => {
    const shown = missing.slice(0, 3).join(', ');
    const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
    return `  ${owner.title} (${owner.benchmark}): ${missing.length} file${missing.length > 1 ? 's' : ''} missing: ${shown}${more}`;
  });
  const names = problems.filter(({ owner }) => owner.fetchable !== false).map(({ owner }) => owner.benchmark);
  throw new DataError({
    path: problems[0]?.missing[0] ?? root.path,
    message:
      `data missing for ${problems.length} benchmark${problems.length > 1 ? 's' : ''}; nothing was requested:\n${lines.join('\n')}\n` +
      `  data root: ${root.path} (${originText[root.source]})` +
      (names.length > 0
        ? `\n  Fetch it (sha256-checked) with: sextant data fetch ${names.join(' ')}${root.source === 'flag' ? ` --data-dir ${quoteForShell(root.path)}` : ''}.` +
          ` Or point --data-dir at a folder that holds it (in this repository's tests: SEXTANT_DATA_DIR=../shared/data).`
        : ''),
  });
}
