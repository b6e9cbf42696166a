import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../spec/index.js';
import { readResultsFile, type AccuracyResults } from './opencompass-files.js';
import { compareRunFolders, pathSegment, runFolderPattern } from './run-directory.js';
import { readSampleLog, type SampleRecord } from './sample-log.js';

/** What a run recorded about itself (`configs/<ts>_<pid>.json`, the newest one). */
export interface RunInfo {
  readonly root: string;
  readonly timestamp: string;
  readonly sextantVersion?: string;
  readonly datasets: readonly string[];
  /** Dataset abbr → OpenCompass version hash, in run order. */
  readonly datasetVersions: Readonly<Record<string, string>>;
  readonly limit: number | null;
  readonly models: ReadonlyArray<{
    readonly abbr: string;
    readonly modelName?: string;
    readonly apiBase?: string;
    readonly config?: Readonly<Record<string, unknown>>;
    readonly promptStyle?: unknown;
    readonly generation?: unknown;
    readonly maxOutLen?: number;
    readonly backendSettings?: unknown;
  }>;
}

/** The run folders under a work dir, newest first. */
export async function listRunFolders(workDir: string): Promise<string[]> {
  const entries = await readdir(workDir).catch(() => [] as string[]);
  return entries
    .filter((entry) => runFolderPattern.test(entry))
    .sort(compareRunFolders)
    .reverse();
}

/** Read a run's recorded config; throws a {@link DataError} naming the folder when it is not a sextant run. */
export async function readRunInfo(root: string): Promise<RunInfo> {
  const configs = join(root, 'configs');
  const files = (await readdir(configs).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort();
  const newest = files.at(-1);
  if (!newest) throw new DataError({ path: root, message: `${root} is not a sextant run folder (no configs/*.json)` });
  const dump = JSON.parse(await readFile(join(configs, newest), 'utf8')) as Partial<RunInfo> & { datasetVersions?: Record<string, string> };
  const timestamp = root.split(/[/\\]/).filter(Boolean).at(-1) ?? '';
  return {
    root,
    timestamp,
    ...(dump.sextantVersion ? { sextantVersion: dump.sextantVersion } : {}),
    datasets: dump.datasets ?? [],
    datasetVersions: dump.datasetVersions ?? {},
    limit: dump.limit ?? null,
    models: dump.models ?? [],
  };
}

/** A run's stored samples for one (model, dataset), by index. */
export async function readRunSamples(root: string, modelAbbr: string, datasetAbbr: string): Promise<Map<number, SampleRecord>> {
  return readSampleLog(join(root, 'samples', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.jsonl`));
}

/** A run's results file for one (model, dataset), or `undefined` when it was not scored. */
export async function readRunResults(root: string, modelAbbr: string, datasetAbbr: string): Promise<AccuracyResults | undefined> {
  return readResultsFile(join(root, 'results', pathSegment(modelAbbr), `${pathSegment(datasetAbbr)}.json`));
}

/** Whether `path` is a run folder (has configs/). */
export async function isRunFolder(path: string): Promise<boolean> {
  return stat(join(path, 'configs')).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}
