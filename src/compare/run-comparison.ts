import type { ConfigDifference } from './detect-config-differences.js';
import type { PairingSummary } from './pair-model-runs.js';

/** Version of the {@link RunComparison} JSON (`compare.json`); bumped on any incompatible change. */
export const comparisonFormatVersion = 1;

/**
 * A paired comparison of run B against run A (`sextant compare A B`), as written to `compare.json`. All accuracies
 * and differences are in percentage points; every difference is B − A (negative: B is worse). Samples are paired by
 * (dataset, sample index) under the same prompt version; everything else is counted in {@link pairing}.
 */
export interface RunComparison {
  readonly formatVersion: typeof comparisonFormatVersion;
  readonly a: ComparedRun;
  readonly b: ComparedRun;
  readonly settings: ComparisonSettings;
  /**
   * Why this is not a pure deployment check, in plain words (prompt versions, templates, generation parameters,
   * rendered prompts that differ); empty when only the deployment differs. Reports list these first.
   */
  readonly measurementChanges: readonly string[];
  /** Every recorded setting that differs, measurement-changing ones first. */
  readonly configDifferences: readonly ConfigDifference[];
  readonly pairing: PairingSummary;
  /** Datasets with samples that could not be scored (no results file, dataset config unknown), per side. */
  readonly unscored: { readonly a: readonly string[]; readonly b: readonly string[] };
  /** One row per dataset with paired samples, in A's order. */
  readonly datasets: readonly DatasetComparison[];
  /** Summary groups (e.g. `ceval-stem`) whose subsets are all paired. */
  readonly groups: readonly GroupComparison[];
  /** Groups with some but not all subsets paired: left out, as OpenCompass leaves out incomplete groups. */
  readonly skippedGroups: readonly SkippedGroup[];
  readonly agreement: AgreementReport;
  /** Every pair where exactly one run is correct, in dataset order then index order. */
  readonly discordant: readonly DiscordantSample[];
  /** Present when a `failIfWorse` threshold was given. */
  readonly gate?: FailIfWorseGate;
}

/** One side of the comparison. */
export interface ComparedRun {
  readonly label: 'A' | 'B';
  /** The run folder. */
  readonly run: string;
  readonly timestamp: string;
  /** The model abbr (its column in the run's summary). */
  readonly model: string;
  readonly modelName?: string;
  readonly apiBase?: string;
  /** The model config's `type` (`openai`, `lmdeploy`, `llama-cpp`, …). */
  readonly backend?: string;
}

/** The statistical settings a comparison used (all reproducible: the bootstrap is seeded). */
export interface ComparisonSettings {
  /** Family-wise significance level for the Holm-adjusted McNemar tests over datasets. */
  readonly alpha: number;
  /** Two-sided confidence level of the paired bootstrap intervals. */
  readonly confidence: number;
  /** Bootstrap resamples per interval. */
  readonly iterations: number;
  /** Bootstrap seed; every interval uses it, so a row's interval does not depend on the other rows. */
  readonly seed: number;
}

/**
 * The plain-words reading of one row. `lower`/`higher`: B differs significantly from A in that direction (datasets:
 * Holm-adjusted McNemar p ≤ alpha; groups: the bootstrap interval excludes 0); `none`: no detectable difference.
 */
export interface ComparisonVerdict {
  readonly direction: 'lower' | 'higher' | 'none';
  /** `"no detectable difference"`, or e.g. `"B is lower by 1.2 points [0.3, 2.1]"` (the interval as magnitudes). */
  readonly text: string;
}

/** Shared by dataset and group rows. */
export interface PairedScores {
  /** Paired samples. */
  readonly samples: number;
  /** A's accuracy over the paired samples, in percent. */
  readonly accuracyA: number;
  readonly accuracyB: number;
  /** B − A in points (for groups: of the group averages). */
  readonly difference: number;
  /** Paired bootstrap interval of `difference`, in points. */
  readonly lower: number;
  readonly upper: number;
  /** Discordant pairs where A is correct and B is not (McNemar's b). */
  readonly b: number;
  /** Discordant pairs where B is correct and A is not (McNemar's c). */
  readonly c: number;
  readonly verdict: ComparisonVerdict;
}

/** One dataset (e.g. a C-Eval subject). */
export interface DatasetComparison extends PairedScores {
  readonly dataset: string;
  /** The prompt version both runs used. */
  readonly version: string;
  /** Exact two-sided McNemar p-value of (b, c). */
  readonly pValue: number;
  /** `pValue` after Holm's correction across all compared datasets. */
  readonly adjustedPValue: number;
  /** Samples of this dataset present in one run only. */
  readonly onlyInA: number;
  readonly onlyInB: number;
  readonly agreement: SampleAgreement;
}

/** One summary group, e.g. `ceval-stem`; its interval resamples questions within each subject. */
export interface GroupComparison extends PairedScores {
  readonly group: string;
  /** `naive_average` (mean of subject accuracies, as OpenCompass) or `weighted_average` (per question). */
  readonly metric: 'naive_average' | 'weighted_average';
  /** Number of subsets (datasets). */
  readonly subsets: number;
}

/** A group left out because some of its subsets have no paired samples. */
export interface SkippedGroup {
  readonly group: string;
  readonly metric: 'naive_average' | 'weighted_average';
  readonly missing: readonly string[];
}

/** Per-sample agreement of paired samples (counts of pairs). */
export interface SampleAgreement {
  /** Pairs whose extracted answers are equal. */
  readonly extracted: number;
  /** Pairs whose raw outputs are identical. */
  readonly raw: number;
  /** Pairs whose rendered prompts (`origin_prompt`) differ. */
  readonly promptsDiffer: number;
}

/** Backend agreement: how alike the two runs' outputs are, and where their requests differed. */
export interface AgreementReport extends SampleAgreement {
  readonly paired: number;
  readonly requestsDiffered: {
    /** Datasets whose rendered prompts differ in at least one pair. */
    readonly prompts: readonly PromptDifference[];
    /** Recorded stop words, sampling parameters and chat template / prompt style settings that differ. */
    readonly settings: readonly ConfigDifference[];
  };
}

/** A dataset whose rendered prompts differ between the runs. */
export interface PromptDifference {
  readonly dataset: string;
  /** Pairs whose prompts differ, out of `paired`. */
  readonly samples: number;
  readonly paired: number;
  /** First 12 hex digits of sha256 over the dataset's paired prompts (JSON, in index order), per run. */
  readonly hashA: string;
  readonly hashB: string;
  /** The lowest sample index whose prompts differ. */
  readonly firstIndex: number;
}

/** A pair where exactly one run is correct. */
export interface DiscordantSample {
  readonly dataset: string;
  readonly index: number;
  readonly gold: string;
  /** The run that got it right. */
  readonly correct: 'A' | 'B';
  readonly a: DiscordantAnswer;
  readonly b: DiscordantAnswer;
}

/** One run's side of a discordant pair. */
export interface DiscordantAnswer {
  readonly extracted: string;
  readonly raw: string;
  readonly error?: string;
}

/**
 * The deployment gate (`--fail-if-worse POINTS`): it trips when some dataset or group is significantly worse in B
 * (its verdict is `lower`) by more than `threshold` points.
 */
export interface FailIfWorseGate {
  /** Points, ≥ 0. */
  readonly threshold: number;
  readonly tripped: boolean;
  readonly failures: readonly GateFailure[];
}

/** A dataset or group that tripped the gate. */
export interface GateFailure {
  readonly kind: 'dataset' | 'group';
  /** Dataset abbr or group name. */
  readonly name: string;
  /** Groups only. */
  readonly metric?: 'naive_average' | 'weighted_average';
  readonly difference: number;
  readonly lower: number;
  readonly upper: number;
}
