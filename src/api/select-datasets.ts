import type { ResolvedConfig } from '../config/index.js';
import { findBenchmark, resolveDatasets } from '../registry/index.js';
import type { DatasetTask } from '../spec/index.js';
import type { DataFileOwner } from '../datasets/index.js';

/** The run's datasets: the configs and abbrs named in `datasets`, filtered by `subjects`. */
export function selectDatasets(resolved: Pick<ResolvedConfig, 'datasets' | 'subjects'>): DatasetTask[] {
  return resolveDatasets(resolved.datasets, resolved.subjects ? { subjects: resolved.subjects } : {});
}

/** The data files of the tasks, grouped by benchmark, for the one missing-data message. */
export function dataFileOwners(tasks: readonly DatasetTask[]): DataFileOwner[] {
  const owners = new Map<string, { benchmark: string; title: string; files: string[] }>();
  for (const task of tasks) {
    const owner = owners.get(task.benchmark) ?? { benchmark: task.benchmark, title: findBenchmark(task.benchmark)?.title ?? task.benchmark, files: [] };
    owner.files.push(...task.dataFiles);
    owners.set(task.benchmark, owner);
  }
  return [...owners.values()];
}
