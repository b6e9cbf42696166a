import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { checkDataFiles, type DataFileOwner, type DataRoot } from '../datasets/index.js';
import { findBenchmark, resolveDatasets } from '../registry/index.js';
import { DataError, type DatasetTask } from '../spec/index.js';
import { customDatasetTask } from '../tasks/custom/index.js';

/**
 * The run's datasets, in order: the configs and abbrs named in `datasets` (filtered by `subjects`), then the custom
 * datasets. With `checkData`, every data file of every benchmark is checked first, and all that are missing are
 * reported in one error, before anything is read or requested.
 */
export async function selectDatasets(options: {
  resolved: Pick<ResolvedConfig, 'datasets' | 'subjects' | 'customDatasets'>;
  root: DataRoot;
  checkData: boolean;
}): Promise<DatasetTask[]> {
  const { resolved } = options;
  const registered = resolved.datasets.length > 0 ? resolveDatasets(resolved.datasets, resolved.subjects ? { subjects: resolved.subjects } : {}) : [];
  if (options.checkData) {
    const custom: DataFileOwner[] =
      resolved.customDatasets.length > 0
        ? [{ benchmark: 'custom', title: 'custom dataset', files: resolved.customDatasets.map((entry) => resolve(entry.path)), fetchable: false }]
        : [];
    await checkDataFiles({ root: options.root, owners: [...dataFileOwners(registered), ...custom] });
  }
  const custom = await Promise.all(resolved.customDatasets.map((entry) => customDatasetTask(entry)));
  const tasks = [...registered, ...custom];
  const abbrs = new Set<string>();
  for (const task of tasks) {
    if (abbrs.has(task.abbr))
      throw new DataError({
        path: task.dataFiles[0] ?? task.abbr,
        message: `two datasets share the abbr "${task.abbr}"; give the custom dataset an abbr of its own`,
      });
    abbrs.add(task.abbr);
  }
  return tasks;
}

/** The data files of the tasks, grouped by benchmark, for the one missing-data message. */
export function dataFileOwners(tasks: readonly DatasetTask[]): DataFileOwner[] {
  const owners = new Map<string, { benchmark: string; title: string; files: string[] }>();
  for (const task of tasks) {
    // Named by its data folder, which is also its `sextant data fetch` name (NQ-Open's is `nq_open`).
    const definition = findBenchmark(task.benchmark);
    const owner = owners.get(task.benchmark) ?? { benchmark: definition?.dataFolder ?? task.benchmark, title: definition?.title ?? task.benchmark, files: [] };
    owner.files.push(...task.dataFiles);
    owners.set(task.benchmark, owner);
  }
  return [...owners.values()];
}
