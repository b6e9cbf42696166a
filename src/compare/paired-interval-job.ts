import { pairedBootstrapDifference, type PairedDifferenceInterval, type SubsetWeighting } from '../stats/index.js';

/** One paired bootstrap to run: a dataset (one subset) or a group (its subsets). Plain data, so it can cross to a worker. */
export interface PairedIntervalJob {
  /** Aligned 0/1 outcomes of A and B per subset. */
  readonly subsets: ReadonlyArray<{ readonly a: Uint8Array; readonly b: Uint8Array }>;
  readonly weighting: SubsetWeighting;
  /** Discordant pairs over all subsets: with none, every resample is 0 and the resampling is skipped. */
  readonly discordant: number;
}

/** The bootstrap settings every job of a comparison shares. */
export interface PairedIntervalSettings {
  readonly iterations: number;
  readonly seed: number;
  readonly confidence: number;
}

/** The seeded paired bootstrap of B − A for one job (exactly zero without discordant pairs). */
export function runPairedIntervalJob(job: PairedIntervalJob, settings: PairedIntervalSettings): PairedDifferenceInterval {
  if (job.discordant === 0) return { difference: 0, lower: 0, upper: 0 };
  return pairedBootstrapDifference({ subsets: job.subsets, weighting: job.weighting, ...settings });
}

/** Resampling work of a job: questions drawn per iteration (0 when it is skipped). */
export function pairedIntervalJobCost(job: PairedIntervalJob): number {
  return job.discordant === 0 ? 0 : job.subsets.reduce((total, subset) => total + subset.a.length, 0);
}
