import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../spec/index.js';
import { formatTimestamp } from '../utils/timestamp.js';

/** The paths of one run, in OpenCompass's layout (plus sextant's per-sample `samples/` log). */
export class RunDirectory {
  constructor(
    /** `<work-dir>/<YYYYmmdd_HHMMSS>` */
    readonly root: string,
    /** The folder name (the run's timestamp). */
    readonly timestamp: string,
  ) {}

  configFile(launchTimestamp: string): string {
    return join(this.root, 'configs', `${launchTimestamp}_${process.pid}.json`);
  }

  configsFolder(): string {
    return join(this.root, 'configs');
  }

  inferLog(modelAbbr: string): string {
    return join(this.root, 'logs', 'infer', `${modelAbbr}.log`);
  }

  evalLog(modelAbbr: string): string {
    return join(this.root, 'logs', 'eval', `${modelAbbr}.log`);
  }

  predictions(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'predictions', modelAbbr, `${datasetAbbr}.json`);
  }

  results(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'results', modelAbbr, `${datasetAbbr}.json`);
  }

  /** sextant's durable per-sample log: one JSON line per finished (or failed) sample. */
  samples(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', modelAbbr, `${datasetAbbr}.jsonl`);
  }

  /**
   * An evaluator's cache of expensive per-sample outcomes (program executions), one JSON line `{key, value}` each:
   * sextant's, beside the sample log, so `--mode eval` re-scoring need not redo them.
   */
  evaluationCache(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', modelAbbr, `${datasetAbbr}.eval-cache.jsonl`);
  }

  /** Prompt token counts (`maxSeqLen` truncation), one JSON line `{key, value}` per distinct text, beside the sample log. */
  tokenCounts(modelAbbr: string, datasetAbbr: string): string {
    return join(this.root, 'samples', modelAbbr, `${datasetAbbr}.token-counts.jsonl`);
  }

  summary(launchTimestamp: string, extension: 'csv' | 'txt' | 'md' | 'intervals.csv'): string {
    return join(this.root, 'summary', `summary_${launchTimestamp}.${extension}`);
  }
}

const runFolderPattern = /^\d{8}_\d{6}$/;

/**
 * The run folder: a new `<work-dir>/<timestamp>`, or with `reuse` an existing one (`'latest'`: the
 * lexicographically last timestamp folder, as OpenCompass's `-r` does).
 */
export async function openRunDirectory(options: { workDir: string; reuse?: string; now?: Date }): Promise<RunDirectory> {
  const workDir = resolve(options.workDir);
  if (options.reuse === undefined) {
    const timestamp = formatTimestamp(options.now);
    return new RunDirectory(join(workDir, timestamp), timestamp);
  }
  if (options.reuse !== 'latest') {
    const root = join(workDir, options.reuse);
    const exists = await stat(root).then((stats) => stats.isDirectory(), () => false);
    if (!exists) throw new ConfigError({ field: '--reuse', message: `no run ${options.reuse} in ${workDir} (looked for ${root})` });
    return new RunDirectory(root, options.reuse);
  }
  const entries = await readdir(workDir).catch(() => [] as string[]);
  const runs = entries.filter((entry) => runFolderPattern.test(entry)).sort();
  const latest = runs.at(-1);
  if (!latest) throw new ConfigError({ field: '--reuse', message: `no earlier run to reuse in ${workDir}` });
  return new RunDirectory(join(workDir, latest), latest);
}
