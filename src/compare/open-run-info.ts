import { join, resolve } from 'node:path';
import { ConfigError } from '../spec/index.js';
import { isRunFolder, listRunFolders, readRunInfo, type RunInfo } from '../store/index.js';

/**
 * Reads the run at `path`: a run folder (`<work-dir>/<YYYYmmdd_HHMMSS>` with `configs/`), or a work dir, whose newest
 * run is taken.
 *
 * @param options.argument how the user named the path (e.g. `A`, `RUN`), for the error message.
 * @throws {ConfigError} naming the path when it is neither, or its recorded config cannot be read (bad input: exit 2).
 */
export async function openRunInfo(options: { path: string; argument: string }): Promise<RunInfo> {
  const path = resolve(options.path);
  let root = path;
  if (!(await isRunFolder(path))) {
    const newest = (await listRunFolders(path))[0];
    if (newest === undefined) {
      throw new ConfigError({ field: options.argument, message: `${options.path} is not a sextant run folder (no configs/*.json) and holds no run folders` });
    }
    root = join(path, newest);
  }
  try {
    return await readRunInfo(root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError({ field: options.argument, message: `cannot read the run at ${root}: ${reason}`, cause: error });
  }
}
