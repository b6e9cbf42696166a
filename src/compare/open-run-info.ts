import { ConfigError } from '../spec/index.js';
import { readRunInfo, resolveRunFolder, type RunInfo } from '../store/index.js';

/**
 * Reads the run at `path`: a run folder (`<work-dir>/<YYYYmmdd_HHMMSS>` with `configs/`), or a work dir, whose newest
 * run is taken ({@link resolveRunFolder}).
 *
 * @param options.argument how the user named the path (e.g. `A`, `RUN`), for the error message.
 * @throws {ConfigError} naming the path when it is neither, or its recorded config cannot be read (bad input: exit 2).
 */
export async function openRunInfo(options: { path: string; argument: string }): Promise<RunInfo> {
  const root = await resolveRunFolder(options);
  try {
    return await readRunInfo(root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError({ field: options.argument, message: `cannot read the run at ${root}: ${reason}`, cause: error });
  }
}
