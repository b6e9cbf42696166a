import { Worker } from 'node:worker_threads';
import type { PairedDifferenceInterval } from '../stats/index.js';
import { pairedIntervalJobCost, runPairedIntervalJob, type PairedIntervalJob, type PairedIntervalSettings } from './paired-interval-job.js';

/** Below this many resampled questions per iteration, a worker's start-up costs more than it saves. */
const minimumParallelCost = 500;

/**
 * A second thread for the paired bootstraps of a comparison. Start it early (it loads while the runs are read), then
 * {@link IntervalWorker.computeIntervals} splits the jobs between it and the calling thread. Every job is the same
 * seeded call wherever it runs, so results are identical to computing them all in one thread; if the worker cannot
 * start (e.g. under a TypeScript test runner, where its compiled file does not exist), its share runs here instead.
 */
export class IntervalWorker {
  /** Set once the thread failed or exited: its share of the work then runs in the calling thread. */
  private unusable = false;

  private constructor(private readonly worker: Worker | undefined) {
    if (!worker) return;
    // Unreferenced while idle, so an unclosed worker never keeps the process alive.
    worker.unref();
    worker.on('error', () => (this.unusable = true));
    worker.on('exit', () => (this.unusable = true));
  }

  /** Starts the worker thread; never throws (a failure means "compute here"). */
  static start(): IntervalWorker {
    try {
      return new IntervalWorker(new Worker(new URL('./paired-interval-worker.js', import.meta.url)));
    } catch {
      return new IntervalWorker(undefined);
    }
  }

  /** The intervals of `jobs`, in order: about half of the resampling work in the worker, the rest here. */
  async computeIntervals(jobs: readonly PairedIntervalJob[], settings: PairedIntervalSettings): Promise<PairedDifferenceInterval[]> {
    const here = () => jobs.map((job) => runPairedIntervalJob(job, settings));
    const totalCost = jobs.reduce((total, job) => total + pairedIntervalJobCost(job), 0);
    if (!this.worker || this.unusable || totalCost < minimumParallelCost) return here();
    const { local, remote } = splitByCost(jobs);
    const remoteResult = this.send(remote.map((index) => jobs[index]!), settings);
    const intervals = new Array<PairedDifferenceInterval>(jobs.length);
    for (const index of local) intervals[index] = runPairedIntervalJob(jobs[index]!, settings);
    const remoteIntervals = await remoteResult.catch(() => remote.map((index) => runPairedIntervalJob(jobs[index]!, settings)));
    remote.forEach((index, position) => {
      intervals[index] = remoteIntervals[position]!;
    });
    return intervals;
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private send(jobs: readonly PairedIntervalJob[], settings: PairedIntervalSettings): Promise<PairedDifferenceInterval[]> {
    const worker = this.worker!;
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage).off('error', onFailure).off('exit', onFailure);
        worker.unref();
      };
      const onMessage = (message: { intervals?: PairedDifferenceInterval[]; error?: string }) => {
        settle();
        if (message.intervals) resolve(message.intervals);
        else reject(new Error(message.error ?? 'interval worker failed'));
      };
      const onFailure = () => {
        settle();
        reject(new Error('interval worker stopped'));
      };
      worker.on('message', onMessage).on('error', onFailure).on('exit', onFailure);
      // Referenced while it works, so the process waits for the answer.
      worker.ref();
      worker.postMessage({ jobs, settings });
    });
  }
}

/** Job indexes for this thread and the worker, greedily balanced by cost (largest first). */
function splitByCost(jobs: readonly PairedIntervalJob[]): { local: number[]; remote: number[] } {
  const order = jobs.map((_, index) => index).sort((left, right) => pairedIntervalJobCost(jobs[right]!) - pairedIntervalJobCost(jobs[left]!));
  const local: number[] = [];
  const remote: number[] = [];
  let localCost = 0;
  let remoteCost = 0;
  for (const index of order) {
    const cost = pairedIntervalJobCost(jobs[index]!);
    if (cost === 0) local.push(index);
    else if (remoteCost < localCost) {
      remote.push(index);
      remoteCost += cost;
    } else {
      local.push(index);
      localCost += cost;
    }
  }
  return { local, remote };
}
