import type { ConfigDifference } from './detect-config-differences.js';
import type { PairingSummary } from './pair-model-runs.js';

/** Version of the {@link RunComparison} JSON (`compare.json`); bumped on any incompatible change (2: small-sample statistics). */
export const comparisonFormatVersion = 2;

/**
 * A paired comparison of run B against run A (`sextant compare A B`), as written to `compare.json`. All accuracies
 * and differences are in percentage points; every difference is B − A (negative: B is worse). Samples pair by
 * (dataset, sample index) when both runs recorded the same prompt version and the same rendered prompt; everything
 * else is counted in {@link pairing}, which reports list first. The CLI, `compare.md` and the viewer's compare page
 * all render this one object.
 */
export interface RunComparison {
  readonly formatVersion: typeof comparisonFormatVersion;
  readonly a: ComparedRun;
  readonly b: ComparedRun;
  readonly settings: ComparisonSettings;
  /** What was paired, and what was left out (unpaired, excluded) and why. */
  readonly pairing: PairingSummary;
  /**
   * Why this is not a pure deployment check, in plain words (prompt versions, templates, generation parameters,
   * rendered prompts that differ); empty when only the deployment differs. Reports list these first.
   */
  readonly measurementChanges: readonly string[];
  /** Every recorded setting that differs, measurement-changing ones first. */
  readonly configDifferences: readonly ConfigDifference[];
  /** Datasets with samples that could not be scored (no results file, dataset config unknown), per side. */
  readonly unscored: { readonly a: readonly string[]; readonly b: readonly string[] };
  /** One row per dataset with paired samples, in A's order. */
  readonly datasets: readonly DatasetComparison[];
  /** Summary groups (e.g. `ceval-stem`) whose subsets are all paired. */
  readonly groups: readonly GroupComparison[];
  /** Groups with some but not all subsets paired: left out, as OpenCompass leaves out incomplete groups. */
  readonly skippedGroups: readonly SkippedGroup[];
  /**
   * Datasets with pairs that the paired statistics cannot take: several generations per question (`--num-samples`),
   * which are not independent pairs. Left out of the dataset and group rows (their groups are skipped), with why.
   */
  readonly notCompared: readonly NotComparedDataset[];
  /**
   * Each run's own group scores over all of its samples (paired or not), as its summary reports them: labelled
   * "own full score" and never compared with each other (the samples behind them may differ).
   */
  readonly fullScores: { readonly a: readonly OwnGroupScore[]; readonly b: readonly OwnGroupScore[] };
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

/** The statistical settings a comparison used (all reproducible: the only random part is seeded). */
export interface ComparisonSettings {
  /** Significance level: of each group's test, and family-wise (Holm) over the per-dataset McNemar tests. */
  readonly alpha: number;
  /** Two-sided confidence level of the Newcombe intervals. */
  readonly confidence: number;
  /** Monte Carlo sign flips of a group test whose null distribution is too large to enumerate. */
  readonly draws: number;
  /** Seed of those sign flips (the same for every group, so a row does not depend on the others). */
  readonly seed: number;
  /**
   * Rows with fewer paired samples get the verdict "not enough data": the fewest pairs with which an exact paired
   * test can reach `alpha` at all (2^(1 − n) ≤ alpha; 6 at 0.05).
   */
  readonly minimumPairs: number;
}

/**
 * The plain-words reading of one row. `lower`/`higher`: B differs significantly from A in that direction (the row's
 * paired test rejects at alpha, Holm-adjusted for datasets, AND its interval excludes 0); `none`: no detectable
 * difference; `not-enough-data`: fewer than `settings.minimumPairs` paired samples, so no outcome could be significant.
 */
export interface ComparisonVerdict {
  readonly direction: 'lower' | 'higher' | 'none' | 'not-enough-data';
  /** `"no detectable difference"`, `"not enough data (…)"`, or e.g. `"B is lower by 1.2 points [0.3, 2.1]"`. */
  readonly text: string;
}

/**
 * How a row's interval was computed:
 * - `newcombe`: Newcombe's paired score interval (1998, method 10) on the dataset's paired 2×2 table;
 * - `newcombe-pooled`: the same on the group's strata pooled into one table, each pair weighted as in the group score
 *   (naive: 1/(subsets × subset size); OpenCompass weights: w_k/(Σw × subset size)), with Kish's effective sample
 *   size (Σw)²/Σw² as n.
 */
export type ComparisonIntervalMethod = 'newcombe' | 'newcombe-pooled';

/**
 * How a row's p-value was computed:
 * - `mcnemar-exact`: exact McNemar test of (b, c) (datasets, then Holm-adjusted; question-weighted groups on the
 *   pooled counts);
 * - `sign-flip-mcnemar`: the stratified sign-flip test of a naive or OpenCompass-weighted average whose discordant
 *   pairs all weigh the same (subsets of one size; weights equal to the subsets' sizes), where it equals the exact
 *   McNemar test of the pooled counts;
 * - `sign-flip-exact`: the stratified sign-flip test, its null distribution enumerated exactly;
 * - `sign-flip-monte-carlo`: the same with `settings.draws` seeded sign flips, p = (1 + extreme)/(1 + draws).
 */
export type ComparisonTestMethod = 'mcnemar-exact' | 'sign-flip-mcnemar' | 'sign-flip-exact' | 'sign-flip-monte-carlo';

/** Shared by dataset and group rows. */
export interface PairedScores {
  /** Paired samples. */
  readonly samples: number;
  /** A's accuracy over the paired samples, in percent (groups: combined as the group's metric). */
  readonly accuracyA: number;
  readonly accuracyB: number;
  /** B − A in points, over the paired samples. */
  readonly difference: number;
  /** Confidence interval of `difference`, in points; see `intervalMethod`. */
  readonly lower: number;
  readonly upper: number;
  readonly intervalMethod: ComparisonIntervalMethod;
  /** Discordant pairs where A is correct and B is not (McNemar's b). */
  readonly b: number;
  /** Discordant pairs where B is correct and A is not (McNemar's c). */
  readonly c: number;
  /** Two-sided p-value of the row's paired test (datasets: before Holm). */
  readonly pValue: number;
  readonly testMethod: ComparisonTestMethod;
  readonly verdict: ComparisonVerdict;
}

/** A run's own score of a dataset or group over all of its samples (not only the paired ones). */
export interface OwnScore {
  readonly samples: number;
  /** In percent. */
  readonly accuracy: number;
}

/** A run's own score of one summary group (present when the run has every subset). */
export interface OwnGroupScore extends OwnScore {
  readonly group: string;
  readonly metric: 'naive_average' | 'weighted_average';
}

/** One dataset (e.g. a C-Eval subject). */
export interface DatasetComparison extends PairedScores {
  readonly dataset: string;
  /** The prompt version both runs used. */
  readonly version: string;
  /** `pValue` after Holm's correction across all compared datasets; the verdict uses this one. */
  readonly adjustedPValue: number;
  /** Each run's own accuracy on this dataset over all its samples (labelled "own full score"). */
  readonly fullA: OwnScore;
  readonly fullB: OwnScore;
  /** Samples of this dataset present in one run only. */
  readonly onlyInA: number;
  readonly onlyInB: number;
  /** Pairs left out because their rendered prompts differ. */
  readonly excluded: number;
  readonly agreement: SampleAgreement;
}

/** One summary group, e.g. `ceval-stem`. */
export interface GroupComparison extends PairedScores {
  readonly group: string;
  /**
   * `naive_average` (mean of subset accuracies, as OpenCompass) or `weighted_average` (per question, or with
   * `weighting` set, OpenCompass's `weights`).
   */
  readonly metric: 'naive_average' | 'weighted_average';
  /**
   * `opencompass-weights`: an OpenCompass `weights` group (`mmlu-weighted`), Σ w_k·accuracy_k / Σ w_k over the
   * subsets' paired samples, each pair weighing w_k/(Σw·n_k) in the interval and the sign-flip test. Absent otherwise.
   */
  readonly weighting?: 'opencompass-weights';
  /** Number of subsets (datasets). */
  readonly subsets: number;
  /** Kish effective sample size of the pooled interval ((Σw)²/Σw²; the pair count for `weighted_average`). */
  readonly effectiveSamples: number;
  /** Each run's own score of the group over all its samples, when it has every subset. */
  readonly fullA?: OwnScore;
  readonly fullB?: OwnScore;
}

/** A dataset left out of the statistics, and why. */
export interface NotComparedDataset {
  readonly dataset: string;
  readonly samples: number;
  readonly reason: string;
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
}

/** Backend agreement: how alike the two runs' outputs are, and where their requests differed. */
export interface AgreementReport extends SampleAgreement {
  readonly paired: number;
  /** Pairs left out of the comparison because their rendered prompts (`origin_prompt`) differ. */
  readonly promptsDiffer: number;
  readonly requestsDiffered: {
    /** Datasets whose rendered prompts differ in at least one pair. */
    readonly prompts: readonly PromptDifference[];
    /** Recorded stop words, sampling parameters and chat template / prompt style settings that differ. */
    readonly settings: readonly ConfigDifference[];
  };
}

/** A dataset whose rendered prompts differ between the runs for some samples (those pairs are excluded). */
export interface PromptDifference {
  readonly dataset: string;
  /** Pairs whose prompts differ (excluded), out of `present`. */
  readonly samples: number;
  /** Samples present in both runs under the same prompt version. */
  readonly present: number;
  /** First 12 hex digits of sha256 over the excluded pairs' prompts (JSON, in index order), per run. */
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
 * (its verdict is `lower`: the paired test rejects and the interval excludes 0) AND its whole interval lies below
 * −`threshold` (upper < −threshold): the drop exceeds `threshold` points with the stated confidence.
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
