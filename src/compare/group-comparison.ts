import type { SummaryGroup } from '../spec/index.js';
import type { PairedDifferenceInterval, SubsetWeighting } from '../stats/index.js';
import { comparisonVerdict } from './comparison-verdict.js';
import type { PairedIntervalJob } from './paired-interval-job.js';
import type { GroupComparison, SkippedGroup } from './run-comparison.js';
import type { PairedDatasetTally } from './tally-paired-dataset.js';

/** A group whose subsets are all paired, with their tallies in the group's order. */
export interface PlannedGroup {
  readonly group: string;
  readonly metric: 'naive_average' | 'weighted_average';
  readonly weighting: SubsetWeighting;
  readonly tallies: readonly PairedDatasetTally[];
}

/**
 * Which summary groups get a row: those whose subsets all have paired samples. Groups with some subsets missing are
 * skipped (and listed); groups with none are ignored.
 */
export function planGroups(options: { groups: readonly SummaryGroup[]; tallies: ReadonlyMap<string, PairedDatasetTally> }): {
  planned: PlannedGroup[];
  skipped: SkippedGroup[];
} {
  const planned: PlannedGroup[] = [];
  const skipped: SkippedGroup[] = [];
  for (const group of options.groups) {
    // OpenCompass's `weights` groups (only `mmlu-weighted`) have no paired bootstrap yet: not compared.
    if (group.average === 'weighted') continue;
    const metric = group.average === 'naive' ? 'naive_average' : 'weighted_average';
    const tallies = group.subsets.flatMap((subset) => {
      const tally = options.tallies.get(subset);
      return tally ? [tally] : [];
    });
    if (tallies.length === 0) continue;
    if (tallies.length < group.subsets.length) skipped.push({ group: group.name, metric, missing: group.subsets.filter((subset) => !options.tallies.has(subset)) });
    else planned.push({ group: group.name, metric, weighting: group.average, tallies });
  }
  return { planned, skipped };
}

/** The bootstrap job of a group: questions resampled within each subset, subsets combined by the group's average. */
export function groupIntervalJob(group: PlannedGroup): PairedIntervalJob {
  return {
    subsets: group.tallies.map((tally) => ({ a: tally.outcomesA, b: tally.outcomesB })),
    weighting: group.weighting,
    discordant: group.tallies.reduce((total, tally) => total + tally.b + tally.c, 0),
  };
}

/**
 * A group row: both runs' group scores (naive mean of subset accuracies, as OpenCompass, or per question), the
 * difference with its paired bootstrap interval, and a verdict that is significant when the interval excludes 0.
 */
export function groupComparison(group: PlannedGroup, interval: PairedDifferenceInterval): GroupComparison {
  const { tallies } = group;
  const samples = tallies.reduce((total, tally) => total + tally.outcomesA.length, 0);
  const score = (correct: (tally: PairedDatasetTally) => number) =>
    group.weighting === 'naive'
      ? tallies.reduce((total, tally) => total + (100 * correct(tally)) / tally.outcomesA.length, 0) / tallies.length
      : (100 * tallies.reduce((total, tally) => total + correct(tally), 0)) / samples;
  const significant = interval.lower > 0 || interval.upper < 0;
  return {
    group: group.group,
    metric: group.metric,
    subsets: tallies.length,
    samples,
    accuracyA: score((tally) => tally.correctA),
    accuracyB: score((tally) => tally.correctB),
    ...interval,
    b: tallies.reduce((total, tally) => total + tally.b, 0),
    c: tallies.reduce((total, tally) => total + tally.c, 0),
    verdict: comparisonVerdict({ significant, ...interval }),
  };
}
