import type { DatasetSamples } from './read-model-run.js';
import type { SummaryGroup } from '../spec/index.js';
import { groupStatistics, type GroupWeighting } from './paired-statistics.js';
import type { ComparisonSettings, GroupComparison, OwnGroupScore, SkippedGroup } from './run-comparison.js';
import type { PairedDatasetTally } from './tally-paired-dataset.js';

/** A group whose subsets are all paired, with their tallies in the group's order. */
export interface PlannedGroup {
  readonly group: string;
  readonly metric: 'naive_average' | 'weighted_average';
  readonly tallies: readonly PairedDatasetTally[];
  /** OpenCompass's `weights` of the subsets, in order (`weighted` groups only). */
  readonly weights?: readonly number[];
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
    const metric = group.average === 'naive' ? 'naive_average' : 'weighted_average';
    const tallies = group.subsets.flatMap((subset) => {
      const tally = options.tallies.get(subset);
      return tally ? [tally] : [];
    });
    if (tallies.length === 0) continue;
    if (tallies.length < group.subsets.length)
      skipped.push({ group: group.name, metric, missing: group.subsets.filter((subset) => !options.tallies.has(subset)) });
    else planned.push({ group: group.name, metric, tallies, ...(group.average === 'weighted' ? { weights: subsetWeights(group) } : {}) });
  }
  return { planned, skipped };
}

/** A group row over the paired samples, with {@link groupStatistics}; each run's own full score beside it. */
export function groupComparison(group: PlannedGroup, settings: ComparisonSettings, fullScores: GroupFullScores): GroupComparison {
  const { tallies } = group;
  const weighting: GroupWeighting = { metric: group.metric, ...(group.weights ? { weights: group.weights } : {}) };
  const statistics = groupStatistics(tallies, weighting, settings);
  const own = fullScores.get(`${group.group}\u0000${group.metric}`);
  return {
    group: group.group,
    metric: group.metric,
    subsets: tallies.length,
    samples: tallies.reduce((total, tally) => total + tally.samples, 0),
    effectiveSamples: statistics.effectiveSamples,
    accuracyA: statistics.accuracyA,
    accuracyB: statistics.accuracyB,
    difference: statistics.difference,
    lower: statistics.lower,
    upper: statistics.upper,
    intervalMethod: 'newcombe-pooled',
    ...(group.weights ? { weighting: 'opencompass-weights' as const } : {}),
    b: tallies.reduce((total, tally) => total + tally.b, 0),
    c: tallies.reduce((total, tally) => total + tally.c, 0),
    pValue: statistics.pValue,
    testMethod: statistics.testMethod,
    verdict: statistics.verdict,
    ...(own?.a ? { fullA: { samples: own.a.samples, accuracy: own.a.accuracy } } : {}),
    ...(own?.b ? { fullB: { samples: own.b.samples, accuracy: own.b.accuracy } } : {}),
  };
}

/** Each run's own group scores, by `group\0metric`. */
export type GroupFullScores = ReadonlyMap<string, { a?: OwnGroupScore; b?: OwnGroupScore }>;

/** A run's own score of every group whose subsets it all has, over all its samples, as its summary computes it. */
export function ownGroupScores(groups: readonly SummaryGroup[], datasets: readonly DatasetSamples[]): OwnGroupScore[] {
  const byAbbr = new Map(datasets.map((dataset) => [dataset.abbr, dataset]));
  const scores: OwnGroupScore[] = [];
  for (const group of groups) {
    const members = group.subsets.map((subset) => byAbbr.get(subset));
    if (members.length === 0 || members.some((member) => member === undefined)) continue;
    const counts = (members as DatasetSamples[]).map((member) => ({
      samples: member.samples.length,
      correct: member.samples.reduce((total, sample) => total + (sample.correct ? 1 : 0), 0),
    }));
    const samples = counts.reduce((total, count) => total + count.samples, 0);
    const weights = group.average === 'weighted' ? subsetWeights(group) : undefined;
    const totalWeight = weights?.reduce((total, weight) => total + weight, 0) ?? 0;
    const accuracy = weights
      ? counts.reduce((total, count, index) => total + (weights[index]! * 100 * count.correct) / count.samples, 0) / totalWeight
      : group.average === 'naive'
        ? counts.reduce((total, count) => total + (100 * count.correct) / count.samples, 0) / counts.length
        : (100 * counts.reduce((total, count) => total + count.correct, 0)) / samples;
    scores.push({ group: group.name, metric: group.average === 'naive' ? 'naive_average' : 'weighted_average', samples, accuracy });
  }
  return scores;
}

/** A `weighted` group's weight of each subset, in order (a subset it gives no weight counts 0, as in its summary row). */
function subsetWeights(group: SummaryGroup): number[] {
  return group.subsets.map((subset) => group.weights?.[subset] ?? 0);
}
