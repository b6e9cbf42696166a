import { describe, expect, it } from 'vitest';
import { IntervalWorker } from './interval-worker.js';
import { runPairedIntervalJob, type PairedIntervalJob } from './paired-interval-job.js';

function job(size: number, flips: number, weighting: 'naive' | 'questions' = 'naive'): PairedIntervalJob {
  const a = Uint8Array.from({ length: size }, (_, index) => (index % 3 === 0 ? 0 : 1));
  const b = a.map((outcome, index) => (index < flips ? 1 - outcome : outcome));
  return { subsets: [{ a, b }, { a: a.slice(0, size / 2), b: b.slice(0, size / 2) }], weighting, discordant: 2 * flips };
}

describe('IntervalWorker', () => {
  it('gives exactly the intervals of running each job here, in job order (worker or fallback)', async () => {
    const jobs = [job(4000, 40), job(3000, 0), job(2000, 25, 'questions'), job(6000, 90)];
    const settings = { iterations: 300, seed: 11, confidence: 0.95 };
    const worker = IntervalWorker.start();
    try {
      const intervals = await worker.computeIntervals(jobs, settings);
      expect(intervals).toEqual(jobs.map((entry) => runPairedIntervalJob(entry, settings)));
      expect(intervals[1]).toEqual({ difference: 0, lower: 0, upper: 0 });
    } finally {
      await worker.close();
    }
  });
});
