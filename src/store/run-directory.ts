import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, OutputError } from '../spec/index.js';
import { formatTimestamp } from '../utils/timestamp.js';

/**
 * A name that becomes one path segment (model abbr, dataset abbr) as a safe folder or file name: `/`, `\` and
 * control characters are percent-encoded, and a name made only of dots (`.`, `..`) has its dots encoded, so no name
 * (from a config, a flag or a server's `/v1/models`) can reach outside its folder. Other names are kept as they are.
 */
export function pathSegment(name: string): string {
  if (name === '') throw new ConfigError({ field: 'abbr', message: 'an empty name cannot name a folder: give the model (or dataset) an abbr' });
  // eslint-disable-next-line no-control-regex
  const encoded = name.replace(/[/\\\u0000-\u001f\u007f]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return /^\.+$/.test(encoded) ? encoded.replaceAll('.', '%2E') : encoded;
}

/** The paths of one run, in OpenCompass's layout (plus sextant's per-sample `samples/` log and `sextant/` extras). */
export class RunDirectory {
  constructor(
    /** `<work-dir>/<YYYYmmdd_HHMMSS>` (with `_N` added when that name was taken) */
    readonly root: string,
    /** The folder name (the run's timestamp, with its suffix if any). */
    readonly timestamp: string,
  ) {}

  configFile(launchTimestamp: string): string {
    return join(this.root, 'configs', `${pathSegment(launchTimestamp)}_${process.pid}.json`);
  }

  configsFolder(): string {
    return join(this.root, 'configs');
  }

  inferLog(modelAbbr: string): string {
    return join(this.root, 'logs', 'infer', `${pathSegment(modelAbbr)}.log`);
  }

  evalLog(modelAbbr: string): string {
    return join(this.root, 'logs', 'eval', `${pathSegment(modelAbbr)}.log`);
  }

  predictions(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'predictions', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.json`);
  }

  results(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'results', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.json`);
  }

  /** sextant's durable per-sample log: one JSON line per finished (or failed) sample. */
  samples(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.jsonl`);
  }

  /**
   * An evaluator's cache of expensive per-sample outcomes (program executions), one JSON line `{key, value}` each:
   * sextant's, beside the sample log, so `--mode eval` re-scoring need not redo them.
   */
  evaluationCache(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.eval-cache.jsonl`);
  }

  /** Prompt token counts (`maxSeqLen` truncation), one JSON line `{key, value}` per distinct text, beside the sample log. */
  tokenCounts(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.token-counts.jsonl`);
  }

  /** OpenCompass's summary files: `summary/` holds exactly these three kinds. */
  summary(launchTimestamp: string, extension: 'csv' | 'txt' | 'md'): string {
    return join(this.root, 'summary', `summary_${pathSegment(launchTimestamp)}.${extension}`);
  }

  /** sextant's group intervals beside OpenCompass's summary (`sextant/summary_<ts>.intervals.csv`), not in `summary/`. */
  summaryIntervals(launchTimestamp: string): string {
    return join(this.root, 'sextant', `summary_${pathSegment(launchTimestamp)}.intervals.csv`);
  }

  /** The lock a process holds while it writes this run. */
  lockFile(): string {
    return join(this.root, '.sextant.lock');
  }
}

/** A run folder's name: OpenCompass's `YYYYmmdd_HHMMSS`, with `_N` when two runs started in the same second. */
export const runFolderPattern = /^\d{8}_\d{6}(?:_\d+)?$/;

/** Orders run folder names by start time, then by their collision suffix (`_2` before `_10`). */
export function compareRunFolders(left: string, right: string): number {
  const key = (name: string) => [name.slice(0, 15), Number(name.slice(16) || 0)] as const;
  const [leftStamp, leftSuffix] = key(left);
  const [rightStamp, rightSuffix] = key(right);
  return leftStamp < rightStamp ? -1 : leftStamp > rightStamp ? 1 : leftSuffix - rightSuffix;
}

/**
 * The run folder: a new `<work-dir>/<timestamp>` (created here, atomically: a name already taken gets `_1`, `_2`, …),
 * or with `reuse` an existing one (`'latest'`: the newest run folder, as OpenCompass's `-r` does). The work dir is
 * checked first: a file, a folder under a file, or a folder this process cannot write is an {@link OutputError}.
 */
export async function openRunDirectory(options: { workDir: string; reuse?: string; now?: Date }): Promise<RunDirectory & { readonly created: boolean }> {
  const workDir = resolve(options.workDir);
  await assertUsableWorkDir(workDir);
  if (options.reuse === undefined) {
    const timestamp = formatTimestamp(options.now);
    for (let suffix = 0; ; suffix += 1) {
      const name = suffix === 0 ? timestamp : `${timestamp}_${suffix}`;
      try {
        await mkdir(join(workDir, name));
        return Object.assign(new RunDirectory(join(workDir, name), name), { created: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(workDir, error);
      }
    }
  }
  if (options.reuse !== 'latest') {
    if (!runFolderPattern.test(options.reuse)) {
      throw new ConfigError({
        field: '--reuse',
        message: `expected a run folder name such as 20240101_120000 (or -r alone for the latest run), got "${options.reuse}"`,
      });
    }
    const root = join(workDir, options.reuse);
    const exists = await stat(root).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!exists) throw new ConfigError({ field: '--reuse', message: `no run ${options.reuse} in ${workDir} (looked for ${root})` });
    return Object.assign(new RunDirectory(root, options.reuse), { created: false });
  }
  const entries = await readdir(workDir).catch(() => [] as string[]);
  const runs = entries.filter((entry) => runFolderPattern.test(entry)).sort(compareRunFolders);
  const latest = runs.at(-1);
  if (!latest) throw new ConfigError({ field: '--reuse', message: `no earlier run to reuse in ${workDir}` });
  return Object.assign(new RunDirectory(join(workDir, latest), latest), { created: false });
}

/** Remove a run folder this process created if nothing was written into it (the run stopped before any output). */
export async function removeIfEmpty(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => undefined);
  if (entries && entries.length === 0) await rmdir(root).catch(() => undefined);
}

/**
 * Say what is wrong with a work dir before anything is requested: it is a file, it lies under a file, or it cannot
 * be written. Writability is tested by creating (and removing) a file, which also holds for root, for read-only
 * mounts and for ACLs, where permission bits would mislead.
 */
export async function assertUsableWorkDir(workDir: string): Promise<void> {
  const existing = await stat(workDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new OutputError({ path: workDir, message: `work dir ${workDir} is a file, not a folder: give --work-dir a folder (it is created if missing)` });
  }
  if (!existing) {
    for (let parent = dirname(workDir); ; parent = dirname(parent)) {
      const stats = await stat(parent).catch(() => undefined);
      if (stats && !stats.isDirectory()) {
        throw new OutputError({ path: workDir, message: `work dir ${workDir} cannot be created: ${parent} is a file, not a folder` });
      }
      if (stats || dirname(parent) === parent) break;
    }
    await mkdir(workDir, { recursive: true }).catch((error: unknown) => {
      throw unusable(workDir, error);
    });
  }
  const probe = join(workDir, `.sextant-write-test-${process.pid}-${randomUUID()}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw unusable(workDir, error);
  }
}

function unusable(workDir: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'this user may not write there'
      : code === 'EROFS'
        ? 'it is on a read-only file system'
        : code === 'ENOSPC'
          ? 'the device is full'
          : (error as Error).message;
  return new OutputError({ path: workDir, message: `work dir ${workDir} is not writable: ${reason}`, cause: error });
}

/** Who holds a run folder's lock. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * Take the run folder's lock (`.sextant.lock`, created exclusively, holding pid, host and start time), so two
 * processes never write one run. A lock whose holder is a dead process on this host is stale: it is taken over and
 * `onStale` says so. A live holder (or one on another host) is an {@link OutputError} naming it. Resolves with the
 * release function (idempotent).
 */
export async function lockRunDirectory(run: RunDirectory, options: { onStale?: (message: string) => void } = {}): Promise<() => Promise<void>> {
  const path = run.lockFile();
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // The lock is written whole to a private file, then linked into place: link fails if the lock exists (like
  // O_EXCL), and a reader never sees a lock without its holder.
  const draft = `${path}.${process.pid}.tmp`;
  await writeFile(draft, `${JSON.stringify(mine)}\n`).catch((error: unknown) => {
    throw unusable(run.root, error);
  });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(draft, path);
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(run.root, error);
      }
      const text = await readFile(path, 'utf8').catch(() => '');
      const holder = parseHolder(text);
      if (holder && (holder.host !== mine.host || isAlive(holder.pid))) {
        throw new OutputError({
          path,
          message:
            `run ${run.root} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); ` +
            `wait for it to finish, or if no sextant runs there any more, delete ${path}`,
        });
      }
      // A dead holder on this host, or an unreadable lock: take it over, unless someone else did meanwhile.
      if ((await readFile(path, 'utf8').catch(() => '')) !== text) continue;
      await rm(path, { force: true });
      options.onStale?.(
        holder
          ? `took over the stale lock of run ${run.timestamp}: process ${holder.pid} on ${holder.host} (since ${holder.since}) is gone`
          : `took over an unreadable lock file ${path}`,
      );
    }
  } finally {
    await rm(draft, { force: true }).catch(() => undefined);
  }
  throw new OutputError({ path, message: `could not take the lock ${path}: another process keeps taking it` });
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, since: String(value.since ?? '?') }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
