import type { DatasetSamples } from './read-model-run.js';
import type { SummaryGroup } from '../spec/index.js';
import { mcnemarExact, newcombePairedInterval, signFlipTest, type SignFlipMethod } from '../stats/index.js';
import { comparisonVerdict } from './comparison-verdict.js';
import type { ComparisonSettings, ComparisonTestMethod, GroupComparison, OwnGroupScore, SkippedGroup } from './run-comparison.js';
import type { PairedDatasetTally } from './tally-paired-dataset.js';

/** A group whose subsets are all paired, with their tallies in the group's order. */
export interface PlannedGroup {
  readonly group: string;
  readonly metric: 'naive_average' | 'weighted_average';
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
    const metric = group.average === 'naive' ? 'naive_average' : 'weighted_average';
    const tallies = group.subsets.flatMap((subset) => {
      const tally = options.tallies.get(subset);
      return tally ? [tally] : [];
    });
    if (tallies.length === 0) continue;
    if (tallies.length < group.subsets.length) skipped.push({ group: group.name, metric, missing: group.subsets.filter((subset) => !options.tallies.has(subset)) });
    else planned.push({ group: group.name, metric, tallies });
  }
  return { planned, skipped };
}

const signFlipMethods: Record<SignFlipMethod, ComparisonTestMethod> = {
  'exact-mcnemar': 'sign-flip-mcnemar',
  'exact-enumeration': 'sign-flip-exact',
  'monte-carlo': 'sign-flip-monte-carlo',
};

/**
 * A group row over the paired samples. Scores: the naive mean of subset accuracies (OpenCompass's `naive_average`)
 * or accuracy over all pairs (`weighted_average`). Interval: Newcombe's paired score interval on the strata pooled
 * into one weighted table (each pair weighs as in the score) with Kish's effective n, so a subject of one question
 * never gives a zero-width interval. Test: for `naive_average` the stratified sign-flip test of the naive difference
 * (exact under "the two runs are exchangeable on every question"), for `weighted_average` the exact McNemar test of
 * the pooled counts. O(subsets) plus the sign flips, if any.
 */
export function groupComparison(group: PlannedGroup, settings: ComparisonSettings, fullScores: GroupFullScores): GroupComparison {
  const { tallies } = group;
  const samples = tallies.reduce((total, tally) => total + tally.samples, 0);
  const naive = group.metric === 'naive_average';
  const weight = (tally: PairedDatasetTally) => (naive ? 1 / (tallies.length * tally.samples) : 1 / samples);
  const weighted = (count: (tally: PairedDatasetTally) => number) => tallies.reduce((total, tally) => total + count(tally) * weight(tally), 0);
  // Kish's (Σw)²/Σw² with Σw = 1: K²/Σ(1/n_k) for the naive mean of K subsets, the pair count per question.
  const effectiveSamples = naive ? tallies.length ** 2 / tallies.reduce((total, tally) => total + 1 / tally.samples, 0) : samples;
  const proportions = {
    both: weighted((tally) => tally.both),
    onlyFirst: weighted((tally) => tally.c),
    onlySecond: weighted((tally) => tally.b),
    neither: weighted((tally) => tally.samples - tally.both - tally.b - tally.c),
  };
  const interval = newcombePairedInterval({
    table: {
      both: proportions.both * effectiveSamples,
      onlyFirst: proportions.onlyFirst * effectiveSamples,
      onlySecond: proportions.onlySecond * effectiveSamples,
      neither: proportions.neither * effectiveSamples,
    },
    confidence: settings.confidence,
  });
  const b = tallies.reduce((total, tally) => total + tally.b, 0);
  const c = tallies.reduce((total, tally) => total + tally.c, 0);
  const test = naive
    ? signFlipTest({ strata: tallies.map((tally) => ({ size: tally.samples, b: tally.b, c: tally.c })), draws: settings.draws, seed: settings.seed })
    : undefined;
  const pValue = test ? test.pValue : mcnemarExact({ b, c });
  const accuracyA = 100 * weighted((tally) => tally.correctA);
  const accuracyB = 100 * weighted((tally) => tally.correctB);
  // The difference from the counts directly (not B − A of two rounded sums), so identical runs give exactly 0.
  const difference = 100 * weighted((tally) => tally.c - tally.b);
  const lower = 100 * interval.lower;
  const upper = 100 * interval.upper;
  const own = fullScores.get(`${group.group}\u0000${group.metric}`);
  return {
    group: group.group,
    metric: group.metric,
    subsets: tallies.length,
    samples,
    effectiveSamples,
    accuracyA,
    accuracyB,
    difference,
    lower,
    upper,
    intervalMethod: 'newcombe-pooled',
    b,
    c,
    pValue,
    testMethod: test ? signFlipMethods[test.method] : 'mcnemar-exact',
    verdict: comparisonVerdict({ samples, minimumPairs: settings.minimumPairs, pValue, alpha: settings.alpha, difference, lower, upper }),
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
    const accuracy =
      group.average === 'naive'
        ? counts.reduce((total, count) => total + (100 * count.correct) / count.samples, 0) / counts.length
        : (100 * counts.reduce((total, count) => total + count.correct, 0)) / samples;
    scores.push({ group: group.name, metric: group.average === 'naive' ? 'naive_average' : 'weighted_average', samples, accuracy });
  }
  return scores;
}
