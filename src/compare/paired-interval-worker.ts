// Worker-thread entry: runs the paired bootstrap jobs it is sent and posts the intervals back in the same order.
import { parentPort } from 'node:worker_threads';
import { runPairedIntervalJob, type PairedIntervalJob, type PairedIntervalSettings } from './paired-interval-job.js';

parentPort?.on('message', (message: { jobs: readonly PairedIntervalJob[]; settings: PairedIntervalSettings }) => {
  try {
    parentPort?.postMessage({ intervals: message.jobs.map((job) => runPairedIntervalJob(job, message.settings)) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
