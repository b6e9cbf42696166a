// Not the registry's index: it loads every backend, which a comparison never needs.
import { summaryGroups } from '../registry/dataset-registry.js';
import type { SummaryGroup } from '../spec/index.js';
import { minimumPairsForSignificance, newcombePairedInterval, signFlipTest, StatisticsInputError } from '../stats/index.js';
import { groupComparison, ownGroupScores, planGroups, type GroupFullScores } from './group-comparison.js';
import { detectConfigDifferences, type ConfigDifference } from './detect-config-differences.js';
import { pairModelRuns, type PairingSummary } from './pair-model-runs.js';
import { datasetStatistics, type DatasetStatistics } from './paired-statistics.js';
import { promptFingerprint } from './prompt-fingerprint.js';
import type { ModelRun } from './read-model-run.js';
import {
  comparisonFormatVersion,
  type ComparedRun,
  type ComparisonSettings,
  type DatasetComparison,
  type FailIfWorseGate,
  type GroupComparison,
  type OwnGroupScore,
  type PromptDifference,
  type RunComparison,
} from './run-comparison.js';
import { tallyPairedDataset, type PairedDatasetTally } from './tally-paired-dataset.js';

/** Options for {@link compareModelRuns}. */
export interface CompareModelRunsOptions {
  /** The baseline. */
  a: ModelRun;
  /** The candidate; differences are B − A. */
  b: ModelRun;
  /** Summary groups to compare. @default the registry's `summaryGroups()` (C-Eval's) */
  groups?: readonly SummaryGroup[];
  /** Significance level: per group test, and family-wise (Holm) over the per-dataset McNemar tests. @default 0.05 */
  alpha?: number;
  /** Confidence level of the intervals. @default 0.95 */
  confidence?: number;
  /** Monte Carlo sign flips for a group test too large to enumerate. @default 10000 */
  draws?: number;
  /** Seed of those sign flips, an integer in [0, 2^32 − 1]. @default 0 */
  seed?: number;
  /** Points: when set, {@link RunComparison.gate} reports whether B is significantly worse by more than this. */
  failIfWorse?: number;
}

/**
 * Compares two models' runs sample by sample: the one implementation behind `sextant compare` (text, JSON,
 * Markdown) and the viewer's compare page. Pure (no I/O) and deterministic (the only random part is seeded).
 *
 * Per dataset: accuracies over the paired samples, Newcombe's paired score interval of B − A, the exact McNemar test
 * with Holm's correction across datasets. Per group: see {@link groupComparison}. A row gets a direction only when
 * its test rejects at alpha AND its interval excludes 0, and "not enough data" below `minimumPairs` paired samples.
 * Cost: O(samples), plus at most `draws` × (discordant pairs / 32) word draws per naive group with unequal subsets.
 *
 * @throws {StatisticsInputError} for invalid statistical settings (e.g. alpha or confidence outside (0, 1)).
 */
export function compareModelRuns(options: CompareModelRunsOptions): RunComparison {
  const settings = resolveSettings(options);
  const groupsToCompare = options.groups ?? summaryGroups();
  const { datasets: pairedDatasets, pairing } = pairModelRuns({ a: options.a, b: options.b });
  const allTallies = pairedDatasets.map(tallyPairedDataset);
  // Generations of one question (`--num-samples`) are not independent pairs: no interval or test may treat them so.
  const repeated = (tally: PairedDatasetTally) =>
    tally.paired.a.some((sample) => sample.repeat !== undefined) || tally.paired.b.some((sample) => sample.repeat !== undefined);
  const notCompared = allTallies
    .filter((tally) => tally.samples > 0 && repeated(tally))
    .map((tally) => ({
      dataset: tally.paired.dataset,
      samples: tally.samples,
      reason: 'several generations per question (--num-samples): the paired intervals and tests need independent questions',
    }));
  const tallies = allTallies.filter((tally) => tally.samples > 0 && !repeated(tally));
  const statistics = datasetStatistics(tallies, settings);
  const datasets = tallies.map((tally, position) => datasetComparison(tally, statistics[position]!));
  const { planned, skipped } = planGroups({ groups: groupsToCompare, tallies: new Map(tallies.map((tally) => [tally.paired.dataset, tally])) });
  const fullScores = { a: ownGroupScores(groupsToCompare, options.a.datasets), b: ownGroupScores(groupsToCompare, options.b.datasets) };
  const groups = planned.map((group) => groupComparison(group, settings, indexFullScores(fullScores)));
  const configDifferences = detectConfigDifferences({ a: options.a, b: options.b });
  const promptDifferences = allTallies.flatMap(promptDifference);
  const sum = (pick: (row: DatasetComparison) => number) => datasets.reduce((total, row) => total + pick(row), 0);
  return {
    formatVersion: comparisonFormatVersion,
    a: describeRun(options.a, 'A'),
    b: describeRun(options.b, 'B'),
    settings,
    pairing,
    measurementChanges: describeMeasurementChanges({ configDifferences, promptDifferences, pairing }),
    configDifferences,
    unscored: { a: options.a.unscored, b: options.b.unscored },
    datasets,
    groups,
    skippedGroups: skipped,
    notCompared,
    fullScores,
    agreement: {
      paired: pairing.paired,
      extracted: sum((row) => row.agreement.extracted),
      raw: sum((row) => row.agreement.raw),
      promptsDiffer: pairing.excludedByPrompt,
      requestsDiffered: {
        prompts: promptDifferences,
        settings: configDifferences.filter((difference) => difference.kind === 'generation' || difference.kind === 'template'),
      },
    },
    discordant: tallies.flatMap((tally) => tally.discordant),
    ...(options.failIfWorse !== undefined ? { gate: failIfWorseGate(options.failIfWorse, datasets, groups) } : {}),
  };
}

/** A dataset row: its {@link datasetStatistics}, counts, own full scores and agreement. */
function datasetComparison(tally: PairedDatasetTally, statistics: DatasetStatistics): DatasetComparison {
  return {
    dataset: tally.paired.dataset,
    version: tally.paired.version,
    samples: tally.samples,
    accuracyA: statistics.accuracyA,
    accuracyB: statistics.accuracyB,
    difference: statistics.difference,
    lower: statistics.lower,
    upper: statistics.upper,
    intervalMethod: 'newcombe',
    b: tally.b,
    c: tally.c,
    pValue: statistics.pValue,
    adjustedPValue: statistics.adjustedPValue,
    testMethod: statistics.testMethod,
    verdict: statistics.verdict,
    fullA: { samples: tally.fullA.samples, accuracy: tally.fullA.accuracy },
    fullB: { samples: tally.fullB.samples, accuracy: tally.fullB.accuracy },
    onlyInA: tally.paired.onlyInA,
    onlyInB: tally.paired.onlyInB,
    excluded: tally.paired.excludedA.length,
    agreement: tally.agreement,
  };
}

/** Defaults, validated with the stats module's own checks before any work. */
function resolveSettings(options: CompareModelRunsOptions): ComparisonSettings {
  const alpha = options.alpha ?? 0.05;
  const confidence = options.confidence ?? 0.95;
  const draws = options.draws ?? 10_000;
  const seed = options.seed ?? 0;
  if (!(alpha > 0 && alpha < 1)) throw new StatisticsInputError({ parameter: 'alpha', message: `must be strictly between 0 and 1, got ${alpha}` });
  newcombePairedInterval({ table: { both: 1, onlyFirst: 0, onlySecond: 0, neither: 0 }, confidence });
  signFlipTest({ strata: [], draws, seed });
  return { alpha, confidence, draws, seed, minimumPairs: minimumPairsForSignificance(alpha) };
}

function indexFullScores(fullScores: { a: readonly OwnGroupScore[]; b: readonly OwnGroupScore[] }): GroupFullScores {
  const index = new Map<string, { a?: OwnGroupScore; b?: OwnGroupScore }>();
  for (const side of ['a', 'b'] as const) {
    for (const score of fullScores[side]) {
      const key = `${score.group}\u0000${score.metric}`;
      index.set(key, { ...index.get(key), [side]: score });
    }
  }
  return index;
}

function promptDifference(tally: PairedDatasetTally): PromptDifference[] {
  const { paired } = tally;
  if (paired.excludedA.length === 0) return [];
  return [
    {
      dataset: paired.dataset,
      samples: paired.excludedA.length,
      present: paired.a.length + paired.excludedA.length,
      hashA: promptFingerprint(paired.excludedA.map((sample) => sample.originPrompt)),
      hashB: promptFingerprint(paired.excludedB.map((sample) => sample.originPrompt)),
      firstIndex: paired.excludedA[0]!.index,
    },
  ];
}

/** Trips where the verdict is "lower" and the whole interval lies below −threshold (the drop exceeds it with the stated confidence). */
function failIfWorseGate(threshold: number, datasets: readonly DatasetComparison[], groups: readonly GroupComparison[]): FailIfWorseGate {
  const worse = (row: { verdict: { direction: string }; upper: number }) => row.verdict.direction === 'lower' && row.upper < -threshold;
  const failures = [
    ...datasets.filter(worse).map((row) => ({ kind: 'dataset' as const, name: row.dataset, difference: row.difference, lower: row.lower, upper: row.upper })),
    ...groups
      .filter(worse)
      .map((row) => ({ kind: 'group' as const, name: row.group, metric: row.metric, difference: row.difference, lower: row.lower, upper: row.upper })),
  ];
  return { threshold, tripped: failures.length > 0, failures };
}

function describeRun(run: ModelRun, label: 'A' | 'B'): ComparedRun {
  const backend = run.model.config?.['type'];
  return {
    label,
    run: run.info.root,
    timestamp: run.info.timestamp,
    model: run.model.abbr,
    ...(run.model.modelName !== undefined ? { modelName: run.model.modelName } : {}),
    ...(run.model.apiBase !== undefined ? { apiBase: run.model.apiBase } : {}),
    ...(typeof backend === 'string' ? { backend } : {}),
  };
}

/** The "not a deployment check" findings, in plain words, most serious first. */
function describeMeasurementChanges(options: {
  configDifferences: readonly ConfigDifference[];
  promptDifferences: readonly PromptDifference[];
  pairing: PairingSummary;
}): string[] {
  const lines: string[] = [];
  const mismatches = options.pairing.promptVersionMismatches;
  if (mismatches.length > 0) {
    const first = mismatches[0]!;
    lines.push(
      `prompt version differs for ${mismatches.length} dataset(s) (e.g. ${first.dataset}: A ${first.versionA || '-'}, B ${first.versionB || '-'}); ` +
        `their ${options.pairing.excludedByVersion} samples were excluded`,
    );
  }
  if (options.promptDifferences.length > 0) {
    const first = options.promptDifferences[0]!;
    lines.push(
      `rendered prompts differ in ${options.promptDifferences.length} dataset(s) (e.g. ${first.dataset} #${first.firstIndex}); ` +
        `those ${options.pairing.excludedByPrompt} pair(s) were excluded`,
    );
  }
  for (const difference of options.configDifferences) {
    if (!difference.changesMeasurement || difference.kind === 'prompt-version') continue;
    lines.push(`${difference.kind}: ${difference.field} differs (A ${JSON.stringify(difference.a)}, B ${JSON.stringify(difference.b)})`);
  }
  return lines;
}
