import { summaryGroups } from '../registry/index.js';
import type { SummaryGroup } from '../spec/index.js';
import { holmCorrection, mcnemarExact } from '../stats/index.js';
import { compareGroups, pairedInterval } from './compare-groups.js';
import { comparisonVerdict } from './comparison-verdict.js';
import { detectConfigDifferences, type ConfigDifference } from './detect-config-differences.js';
import { pairModelRuns, type PairingSummary } from './pair-model-runs.js';
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
  const settings: ComparisonSettings = {
    alpha: options.alpha ?? 0.05,
    confidence: options.confidence ?? 0.95,
    iterations: options.iterations ?? 2000,
    seed: options.seed ?? 0,
  };
  const configDifferences = detectConfigDifferences({ a: options.a, b: options.b });
  const { datasets: pairedDatasets, pairing } = pairModelRuns({ a: options.a, b: options.b });
  const tallies = pairedDatasets.map(tallyPairedDataset);
  const datasets = compareDatasets(tallies, settings);
  const groupResult = compareGroups({
    groups: options.groups ?? summaryGroups(),
    tallies: new Map(tallies.map((tally) => [tally.paired.dataset, tally])),
    settings,
  });
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
    groups: groupResult.groups,
    skippedGroups: groupResult.skipped,
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
    ...(options.failIfWorse !== undefined ? { gate: failIfWorseGate(options.failIfWorse, datasets, groupResult.groups) } : {}),
  };
}

/** Dataset rows: exact McNemar per dataset, Holm across all of them, bootstrap interval of the difference. */
function compareDatasets(tallies: readonly PairedDatasetTally[], settings: ComparisonSettings): DatasetComparison[] {
  const pValues = tallies.map((tally) => mcnemarExact({ b: tally.b, c: tally.c }));
  const adjusted = holmCorrection(pValues);
  return tallies.map((tally, position) => {
    const samples = tally.outcomesA.length;
    const interval = pairedInterval({ tallies: [tally], weighting: 'naive', settings, discordant: tally.b + tally.c });
    const adjustedPValue = adjusted[position] ?? 1;
    return {
      dataset: tally.paired.dataset,
      version: tally.paired.version,
      samples,
      accuracyA: (100 * tally.correctA) / samples,
      accuracyB: (100 * tally.correctB) / samples,
      ...interval,
      b: tally.b,
      c: tally.c,
      pValue: pValues[position] ?? 1,
      adjustedPValue,
      verdict: comparisonVerdict({ significant: adjustedPValue <= settings.alpha, ...interval }),
      onlyInA: tally.paired.onlyInA,
      onlyInB: tally.paired.onlyInB,
      agreement: tally.agreement,
    };
  });
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
