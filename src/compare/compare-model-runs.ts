// Not the registry's index: it loads every backend, which a comparison never needs.
import { summaryGroups } from '../registry/dataset-registry.js';
import type { SummaryGroup } from '../spec/index.js';
import {
  holmCorrection,
  mcnemarExact,
  pairedBootstrapDifference,
  StatisticsInputError,
  type PairedDifferenceInterval,
} from '../stats/index.js';
import { groupComparison, groupIntervalJob, planGroups, type PlannedGroup } from './group-comparison.js';
import { comparisonVerdict } from './comparison-verdict.js';
import { detectConfigDifferences, type ConfigDifference } from './detect-config-differences.js';
import { pairModelRuns, type PairingSummary } from './pair-model-runs.js';
import type { IntervalWorker } from './interval-worker.js';
import { runPairedIntervalJob, type PairedIntervalJob } from './paired-interval-job.js';
import { promptFingerprint } from './prompt-fingerprint.js';
import type { ModelRun } from './read-model-run.js';
import {
  comparisonFormatVersion,
  type ComparedRun,
  type ComparisonSettings,
  type DatasetComparison,
  type FailIfWorseGate,
  type GroupComparison,
  type PromptDifference,
  type RunComparison,
  type SkippedGroup,
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
  /** Family-wise significance level for the per-dataset McNemar tests. @default 0.05 */
  alpha?: number;
  /** Confidence level of the bootstrap intervals. @default 0.95 */
  confidence?: number;
  /** Bootstrap resamples. @default 2000 */
  iterations?: number;
  /** Bootstrap seed, an integer in [0, 2^32 − 1]. @default 0 */
  seed?: number;
  /** Points: when set, {@link RunComparison.gate} reports whether B is significantly worse by more than this. */
  failIfWorse?: number;
}

/**
 * Compares two models' runs sample by sample. Pure (no I/O) and deterministic: the bootstraps are seeded.
 * Cost: O(samples) for pairing and counting, plus O(iterations × questions) per row with discordant pairs.
 *
 * @throws {StatisticsInputError} for invalid statistical settings (e.g. alpha or confidence outside (0, 1)).
 */
export function compareModelRuns(options: CompareModelRunsOptions): RunComparison {
  const plan = planComparison(options);
  return finishComparison(plan, plan.jobs.map((job) => runPairedIntervalJob(job, plan.settings)));
}

/**
 * {@link compareModelRuns} with the bootstraps shared between this thread and `worker`; the result is identical.
 */
export async function compareModelRunsInParallel(options: CompareModelRunsOptions & { worker: IntervalWorker }): Promise<RunComparison> {
  const plan = planComparison(options);
  return finishComparison(plan, await options.worker.computeIntervals(plan.jobs, plan.settings));
}

/** Everything but the bootstraps: pairing, counts, McNemar, Holm, the groups to compare, and the bootstrap jobs. */
interface ComparisonPlan {
  readonly options: CompareModelRunsOptions;
  readonly settings: ComparisonSettings;
  readonly configDifferences: ConfigDifference[];
  readonly pairing: PairingSummary;
  readonly tallies: PairedDatasetTally[];
  readonly pValues: number[];
  readonly adjustedPValues: number[];
  readonly groups: PlannedGroup[];
  readonly skippedGroups: SkippedGroup[];
  /** One job per tally, then one per planned group. */
  readonly jobs: PairedIntervalJob[];
}

function planComparison(options: CompareModelRunsOptions): ComparisonPlan {
  const settings: ComparisonSettings = {
    alpha: options.alpha ?? 0.05,
    confidence: options.confidence ?? 0.95,
    iterations: options.iterations ?? 2000,
    seed: options.seed ?? 0,
  };
  // Fail on bad settings before any work, wherever the bootstraps will run.
  validateSettings(settings);
  const { datasets, pairing } = pairModelRuns({ a: options.a, b: options.b });
  const tallies = datasets.map(tallyPairedDataset);
  const pValues = tallies.map((tally) => mcnemarExact({ b: tally.b, c: tally.c }));
  const { planned, skipped } = planGroups({
    groups: options.groups ?? summaryGroups(),
    tallies: new Map(tallies.map((tally) => [tally.paired.dataset, tally])),
  });
  const datasetJobs = tallies.map((tally): PairedIntervalJob => ({
    subsets: [{ a: tally.outcomesA, b: tally.outcomesB }],
    weighting: 'naive',
    discordant: tally.b + tally.c,
  }));
  return {
    options,
    settings,
    configDifferences: detectConfigDifferences({ a: options.a, b: options.b }),
    pairing,
    tallies,
    pValues,
    adjustedPValues: holmCorrection(pValues),
    groups: planned,
    skippedGroups: skipped,
    jobs: [...datasetJobs, ...planned.map(groupIntervalJob)],
  };
}

function finishComparison(plan: ComparisonPlan, intervals: readonly PairedDifferenceInterval[]): RunComparison {
  const { options, settings, configDifferences, pairing, tallies } = plan;
  const datasets = tallies.map((tally, position) => datasetComparison(plan, tally, position, intervals[position]!));
  const groups = plan.groups.map((group, position) => groupComparison(group, intervals[tallies.length + position]!));
  const promptDifferences = tallies.flatMap(promptDifference);
  const sum = (pick: (row: DatasetComparison) => number) => datasets.reduce((total, row) => total + pick(row), 0);
  return {
    formatVersion: comparisonFormatVersion,
    a: describeRun(options.a, 'A'),
    b: describeRun(options.b, 'B'),
    settings,
    measurementChanges: describeMeasurementChanges({ configDifferences, promptDifferences, pairing }),
    configDifferences,
    pairing,
    unscored: { a: options.a.unscored, b: options.b.unscored },
    datasets,
    groups,
    skippedGroups: plan.skippedGroups,
    agreement: {
      paired: pairing.paired,
      extracted: sum((row) => row.agreement.extracted),
      raw: sum((row) => row.agreement.raw),
      promptsDiffer: sum((row) => row.agreement.promptsDiffer),
      requestsDiffered: {
        prompts: promptDifferences,
        settings: configDifferences.filter((difference) => difference.kind === 'generation' || difference.kind === 'template'),
      },
    },
    discordant: tallies.flatMap((tally) => tally.discordant),
    ...(options.failIfWorse !== undefined ? { gate: failIfWorseGate(options.failIfWorse, datasets, groups) } : {}),
  };
}

/** A dataset row: exact McNemar, Holm-adjusted across all datasets, and the bootstrap interval of the difference. */
function datasetComparison(plan: ComparisonPlan, tally: PairedDatasetTally, position: number, interval: PairedDifferenceInterval): DatasetComparison {
  const samples = tally.outcomesA.length;
  const adjustedPValue = plan.adjustedPValues[position] ?? 1;
  return {
    dataset: tally.paired.dataset,
    version: tally.paired.version,
    samples,
    accuracyA: (100 * tally.correctA) / samples,
    accuracyB: (100 * tally.correctB) / samples,
    ...interval,
    b: tally.b,
    c: tally.c,
    pValue: plan.pValues[position] ?? 1,
    adjustedPValue,
    verdict: comparisonVerdict({ significant: adjustedPValue <= plan.settings.alpha, ...interval }),
    onlyInA: tally.paired.onlyInA,
    onlyInB: tally.paired.onlyInB,
    agreement: tally.agreement,
  };
}

/** Validates alpha and the bootstrap settings with the stats module's own checks. */
function validateSettings(settings: ComparisonSettings): void {
  if (!(settings.alpha > 0 && settings.alpha < 1)) {
    throw new StatisticsInputError({ parameter: 'alpha', message: `must be strictly between 0 and 1, got ${settings.alpha}` });
  }
  // One tiny bootstrap checks iterations, seed and confidence exactly as every real one will.
  pairedBootstrapDifference({ subsets: [{ a: [1], b: [1] }], iterations: settings.iterations, seed: settings.seed, confidence: settings.confidence });
}

function promptDifference(tally: PairedDatasetTally): PromptDifference[] {
  if (tally.agreement.promptsDiffer === 0) return [];
  const { paired } = tally;
  return [
    {
      dataset: paired.dataset,
      samples: tally.agreement.promptsDiffer,
      paired: paired.a.length,
      hashA: promptFingerprint(paired.a.map((sample) => sample.originPrompt)),
      hashB: promptFingerprint(paired.b.map((sample) => sample.originPrompt)),
      firstIndex: tally.firstPromptDifference,
    },
  ];
}

function failIfWorseGate(threshold: number, datasets: readonly DatasetComparison[], groups: readonly GroupComparison[]): FailIfWorseGate {
  const worse = (row: { verdict: { direction: string }; difference: number }) => row.verdict.direction === 'lower' && -row.difference > threshold;
  const failures = [
    ...datasets.filter(worse).map((row) => ({ kind: 'dataset' as const, name: row.dataset, difference: row.difference, lower: row.lower, upper: row.upper })),
    ...groups.filter(worse).map((row) => ({ kind: 'group' as const, name: row.group, metric: row.metric, difference: row.difference, lower: row.lower, upper: row.upper })),
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
    const excluded = mismatches.reduce((total, mismatch) => total + mismatch.samplesA + mismatch.samplesB, 0);
    lines.push(
      `prompt version differs for ${mismatches.length} dataset(s) (e.g. ${first.dataset}: A ${first.versionA || '-'}, B ${first.versionB || '-'}); ` +
        `their ${excluded} samples were not paired`,
    );
  }
  if (options.promptDifferences.length > 0) {
    const samples = options.promptDifferences.reduce((total, difference) => total + difference.samples, 0);
    const first = options.promptDifferences[0]!;
    lines.push(`rendered prompts differ in ${options.promptDifferences.length} dataset(s), ${samples} pair(s) (e.g. ${first.dataset} #${first.firstIndex})`);
  }
  for (const difference of options.configDifferences) {
    if (!difference.changesMeasurement || difference.kind === 'prompt-version') continue;
    lines.push(`${difference.kind}: ${difference.field} differs (A ${JSON.stringify(difference.a)}, B ${JSON.stringify(difference.b)})`);
  }
  return lines;
}
