import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../spec/index.js';
import { isRunFolder, listRunFolders } from './run-reader.js';

/**
 * The run a command means by `path`: a run folder (`<work-dir>/<YYYYmmdd_HHMMSS>` with `configs/`) is itself, a work
 * dir means its newest run. Shared by `report`, `audit` and `compare` (and `view`, through {@link resolveWorkDir}).
 *
 * @param options.argument how the user named the path (`RUN`, `A`), for the message.
 * @throws {ConfigError} naming the path when it does not exist, or holds no run.
 */
export async function resolveRunFolder(options: { path: string; argument: string }): Promise<string> {
  const path = resolve(options.path);
  await requireFolder(options.path, options.argument);
  if (await isRunFolder(path)) return path;
  const newest = (await listRunFolders(path))[0];
  if (newest === undefined) {
    throw new ConfigError({ field: options.argument, message: `${options.path} is not a sextant run folder (no configs/*.json) and holds no run folders` });
  }
  return join(path, newest);
}

/** The work dir a `view` of `path` shows, and what to tell the user about how it was found. */
export interface ResolvedWorkDir {
  readonly workDir: string;
  /** Set when `path` was a run folder: the run to open first. */
  readonly run?: string;
  /** Lines for the user (another work dir found beside the chosen one, an empty folder). */
  readonly notes: readonly string[];
}

/**
 * The work dir behind `path`: a work dir (it holds run folders) is itself; a run folder means its work dir; a
 * folder without runs whose subfolders are work dirs (`outputs/` holding `outputs/default/…`) means the one
 * with the newest run, and the others are named in `notes`.
 *
 * @throws {ConfigError} when `path` does not exist or is not a folder.
 */
export async function resolveWorkDir(options: { path: string; argument: string }): Promise<ResolvedWorkDir> {
  const path = resolve(options.path);
  await requireFolder(options.path, options.argument);
  if (await isRunFolder(path)) return { workDir: dirname(path), run: basename(path), notes: [] };
  if ((await listRunFolders(path)).length > 0) return { workDir: path, notes: [] };
  const children = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => join(path, entry.name));
  const nested = (await Promise.all(children.map(async (child) => ({ child, newest: (await listRunFolders(child))[0] })))).filter(
    (entry): entry is { child: string; newest: string } => entry.newest !== undefined,
  );
  nested.sort((left, right) => right.newest.localeCompare(left.newest) || left.child.localeCompare(right.child));
  const [chosen, ...others] = nested;
  if (!chosen) return { workDir: path, notes: [`${options.path} holds no runs yet`] };
  const notes =
    others.length > 0
      ? [`${options.path} holds several work dirs; showing ${chosen.child} (newest run). Others: ${others.map((entry) => entry.child).join(', ')}`]
      : [];
  return { workDir: chosen.child, notes };
}

async function requireFolder(path: string, argument: string): Promise<void> {
  const stats = await stat(path).catch(() => undefined);
  if (!stats) throw new ConfigError({ field: argument, message: `${path} does not exist (expected a run folder or a work dir such as outputs/default)` });
  if (!stats.isDirectory())
    throw new ConfigError({ field: argument, message: `${path} is not a folder (expected a run folder or a work dir such as outputs/default)` });
}
