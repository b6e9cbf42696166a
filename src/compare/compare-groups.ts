import type { SummaryGroup } from '../spec/index.js';
import { pairedBootstrapDifference, type PairedDifferenceInterval, type SubsetWeighting } from '../stats/index.js';
import { comparisonVerdict } from './comparison-verdict.js';
import type { ComparisonSettings, GroupComparison, SkippedGroup } from './run-comparison.js';
import type { PairedDatasetTally } from './tally-paired-dataset.js';

/**
 * The group rows: for each summary group whose subsets all have paired samples, both runs' group scores (naive
 * mean of subset accuracies, or per-question for `questions` groups), their difference with a paired bootstrap
 * interval that resamples questions within each subset, and a verdict that is significant when the interval
 * excludes 0. Groups with some subsets missing are returned as skipped; groups with none are ignored.
 */
export function compareGroups(options: {
  groups: readonly SummaryGroup[];
  tallies: ReadonlyMap<string, PairedDatasetTally>;
  settings: ComparisonSettings;
}): { groups: GroupComparison[]; skipped: SkippedGroup[] } {
  const groups: GroupComparison[] = [];
  const skipped: SkippedGroup[] = [];
  for (const group of options.groups) {
    const metric = group.average === 'naive' ? 'naive_average' : 'weighted_average';
    const present = group.subsets.flatMap((subset) => {
      const tally = options.tallies.get(subset);
      return tally ? [tally] : [];
    });
    if (present.length === 0) continue;
    if (present.length < group.subsets.length) {
      skipped.push({ group: group.name, metric, missing: group.subsets.filter((subset) => !options.tallies.has(subset)) });
      continue;
    }
    groups.push({ group: group.name, metric, subsets: present.length, ...groupScores(present, group.average, options.settings) });
  }
  return { groups, skipped };
}

function groupScores(tallies: readonly PairedDatasetTally[], weighting: SubsetWeighting, settings: ComparisonSettings): Omit<GroupComparison, 'group' | 'metric' | 'subsets'> {
  const samples = tallies.reduce((total, tally) => total + tally.outcomesA.length, 0);
  const score = (correct: (tally: PairedDatasetTally) => number) =>
    weighting === 'naive'
      ? tallies.reduce((total, tally) => total + (100 * correct(tally)) / tally.outcomesA.length, 0) / tallies.length
      : (100 * tallies.reduce((total, tally) => total + correct(tally), 0)) / samples;
  const b = tallies.reduce((total, tally) => total + tally.b, 0);
  const c = tallies.reduce((total, tally) => total + tally.c, 0);
  const interval = pairedInterval({ tallies, weighting, settings, discordant: b + c });
  const significant = interval.lower > 0 || interval.upper < 0;
  return {
    samples,
    accuracyA: score((tally) => tally.correctA),
    accuracyB: score((tally) => tally.correctB),
    ...interval,
    b,
    c,
    verdict: comparisonVerdict({ significant, ...interval }),
  };
}

/**
 * The seeded paired bootstrap of B − A over the given subsets. Without discordant pairs every resample is 0, so the
 * result is exactly zero and the resampling is skipped.
 */
export function pairedInterval(options: {
  tallies: readonly PairedDatasetTally[];
  weighting: SubsetWeighting;
  settings: ComparisonSettings;
  discordant: number;
}): PairedDifferenceInterval {
  if (options.discordant === 0) return { difference: 0, lower: 0, upper: 0 };
  const { iterations, seed, confidence } = options.settings;
  return pairedBootstrapDifference({
    subsets: options.tallies.map((tally) => ({ a: tally.outcomesA, b: tally.outcomesB })),
    weighting: options.weighting,
    iterations,
    seed,
    confidence,
  });
}
