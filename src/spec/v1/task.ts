/**
 * What a benchmark gives the runner: datasets whose samples are rendered as model-neutral dialogues, how to turn a
 * raw prediction (and a reference) into what is compared, an evaluator that scores a whole dataset, and summary
 * groups. Tasks describe work; they never call a model. A benchmark is a {@link BenchmarkDefinition} under
 * `src/tasks/<benchmark>/`; adding one needs no change to the runner, store, report or CLI (ADR 2026-12-01).
 */
import type { RequestKind } from './backend.js';
import type { Dialogue } from './prompt.js';

/** OpenCompass's inference modes: generate and extract (`gen`), or score each label's prompt (`ppl`). */
export type InferenceMode = 'gen' | 'ppl';

/** A JSON value: what references, rows and evaluator details are made of (they are stored as JSON). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One PPL candidate: the complete dialogue for one answer label. */
export interface PerplexityCandidate {
  readonly label: string;
  readonly dialogue: Dialogue;
  /** The same dialogue with the in-context examples left out (OpenCompass's `testing input`). */
  readonly withoutExamples: Dialogue;
  /**
   * The rendered in-context examples as OpenCompass stores them (`in-context examples`: the retriever's examples,
   * separators and end token), for templates that place them inside the text (`mmlu_ppl`'s hint comes before
   * `</E>`). Absent: the examples are what precedes `withoutExamples` in `dialogue`.
   */
  readonly examples?: string;
}

/** What a sample's prompt looks like with some of its in-context examples kept. */
export interface RenderedPrompt {
  readonly dialogue: Dialogue;
  readonly candidates?: readonly PerplexityCandidate[];
}

/** One scored sample. */
export interface TaskSample {
  /** Position in the scored split (OpenCompass's prediction key, `"0"`..`"N-1"`). */
  readonly index: number;
  /** Stable id from the source row (C-Eval's `id` column, a task id, or the row number), never shifted by `--limit`. */
  readonly id: string;
  /**
   * The reference as the loader gives it (the reader config's output column): a label (`'B'`), an answer text, a
   * list of acceptable answers (NQ), a test list (MBPP). `''` when the split has no labels (C-Eval's test split).
   * Stored as the predictions file's `gold`.
   */
  readonly gold: JsonValue;
  /** The rendered prompt (gen mode: the last item is the empty generation slot). */
  readonly dialogue: Dialogue;
  /** PPL mode: one complete dialogue per answer label, in label order. */
  readonly candidates?: readonly PerplexityCandidate[];
  /**
   * Which of several generations for the same row this is (OpenCompass's `n`, `--num-samples`), 0-based; part of
   * the sample key, since the prompt is the same. Absent for a single generation.
   */
  readonly repeat?: number;
  /**
   * In-context examples spliced into the prompt by a retriever (OpenCompass's `ice_token`), so the runner can drop
   * them from the end while the prompt exceeds the model's `max_seq_len` (OpenCompass's GenInferencer/PPLInferencer).
   * Absent when the prompt has no retrieved examples (0-shot, or examples fixed in the template text).
   */
  readonly examples?: {
    readonly count: number;
    /** The prompt with only the first `keep` examples (0 ≤ keep ≤ count); `render(count)` equals the sample's own. */
    render(keep: number): RenderedPrompt;
  };
  /**
   * Row fields an evaluator needs beyond the reference (HumanEval's `prompt`, `test`, `entry_point`; AGIEval's
   * subset kind), kept small. Stored with the sample so `--mode eval` can re-score without the data files.
   */
  readonly evaluatorInput?: { readonly [key: string]: JsonValue };
}

/** Where a sample's answer extraction and scoring take their inputs, per sample, in dataset order. */
export interface EvaluationInput {
  /** Predictions after the model-level and the dataset's `pred_postprocessor`. */
  readonly predictions: readonly string[];
  /** References after the dataset's `dataset_postprocessor`. */
  readonly references: readonly JsonValue[];
  /** Raw predictions as stored (before postprocessing); PPL: the predicted label. */
  readonly originPredictions: readonly string[];
  /** Each sample's {@link TaskSample.evaluatorInput} (`{}` when it has none). */
  readonly evaluatorInputs: ReadonlyArray<{ readonly [key: string]: JsonValue }>;
  readonly context: EvaluationContext;
}

/** Services the runner lends an evaluator. */
export interface EvaluationContext {
  readonly signal: AbortSignal;
  /**
   * Outcomes stored by an earlier evaluation of this run, keyed by a key the evaluator chooses (e.g. a hash of an
   * executed program), so re-scoring need not redo expensive work. `set` persists with the sample log.
   */
  readonly cache?: {
    get(key: string): JsonValue | undefined;
    set(key: string, value: JsonValue): void;
  };
  /** Report a warning once (e.g. missing sandbox isolation); recorded in the run log. */
  readonly warn?: (message: string) => void;
  /**
   * Runs a Python program in the sandbox (fresh process, empty work dir, time/CPU/memory limits, no network and a
   * read-only host where bubblewrap is available), up to `--exec-workers` at a time. Present when the evaluator
   * declares {@link Evaluator.executesPrograms}.
   */
  readonly execute?: (run: ProgramRun) => Promise<ProgramRunOutcome>;
  /** The isolation programs run under (`bubblewrap` or `rlimits`), recorded in every result file. */
  readonly isolation?: string;
  /** Evaluator options of the run (`evaluatorOptions` in the config, e.g. `mbppLegacyEquality`). */
  readonly options?: { readonly [key: string]: JsonValue };
}

/** One program for the sandbox. */
export interface ProgramRun {
  readonly program: string;
  /** Wall-clock limit; the whole process group is killed when it passes. */
  readonly timeoutMs: number;
}

/**
 * What happened to a program: `passed` (ran to the end), `failed` (raised `errorType` with `str(error)` =
 * `errorMessage`), `timeout` (killed at the limit), `no-report` (ended without reporting, e.g. `os._exit`).
 */
export interface ProgramRunOutcome {
  readonly status: 'passed' | 'failed' | 'timeout' | 'no-report';
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly durationMs: number;
}

/** One sample's evaluation: whether it counts as correct, plus evaluator-specific fields for the results file. */
export interface SampleEvaluation {
  /**
   * 1/0 correctness used for intervals and paired comparison. A fraction in [0, 1] when the metric is not a
   * per-sample 0/1 (pass@k over several generations); `undefined` when the evaluator has no per-sample score.
   */
  readonly correct: boolean | number | undefined;
  /** The extracted answer as compared (OpenCompass's details `pred`). */
  readonly pred?: JsonValue;
  /** Extra fields written to the results file's `details` entry (e.g. HumanEval's `result`, `passed`). */
  readonly fields?: { readonly [key: string]: JsonValue };
}

/** OpenCompass's evaluator output: metrics (× 100, in the evaluator's order) and one evaluation per sample. */
export interface EvaluationResult {
  readonly metrics: Readonly<Record<string, number>>;
  readonly samples: readonly SampleEvaluation[];
}

/**
 * An OpenCompass evaluator: takes all predictions and references of one dataset at once. It may be asynchronous
 * (code execution) and must be deterministic for the same inputs and cache.
 */
export interface Evaluator {
  /** OpenCompass's class name or sextant's, recorded in results (e.g. `AccEvaluator`, `Gsm8kEvaluator`). */
  readonly name: string;
  /** The metric names it returns, in order; the first is the dataset's primary metric. */
  readonly metrics: readonly string[];
  /** It runs model-written programs through {@link EvaluationContext.execute}. */
  readonly executesPrograms?: boolean;
  evaluate(input: EvaluationInput): Promise<EvaluationResult> | EvaluationResult;
}

/**
 * What a dataset's extracted answer (its postprocessor's output, or the evaluator's `pred`) looks like when an answer
 * was found, so the extraction audit (`sextant audit`, report.html) can tell "nothing extracted" from a wrong answer:
 * - `options`: one of these option letters (C-Eval's `ABCD`, PIQA's `AB`, BBH's multiple-choice letters), or with
 *   `multiple`, one or more of them (AGIEval's multi-answer sets: `ACD`);
 * - `number`: a number (GSM8K: `gsm8k_postprocess` gives `NULL` when the output has none);
 * - `text`: any non-empty text (free-form answers: NQ, BBH's free-form tasks, AGIEval's cloze sets, MATH's judged answer);
 * - `program`: a non-empty program (HumanEval, MBPP).
 * A PPL dataset's prediction is always one of its labels, whatever its format.
 */
export type AnswerFormat =
  | { readonly kind: 'options'; readonly options: string; readonly multiple?: boolean }
  | { readonly kind: 'number' }
  | { readonly kind: 'text' }
  | { readonly kind: 'program' };

/** How a report names one dataset, from its benchmark's own subject table. */
export interface DatasetLabel {
  /** The subject key (`computer_network`, `test-law` for C-Eval's test split). */
  readonly key: string;
  /** The subject's name in the benchmark's own language, when it differs from the key (`计算机网络`). */
  readonly name?: string;
  /** The subject's category as the benchmark's groups use it (`stem`, `social-science`, `humanities`, `other`). */
  readonly category?: string;
}

/** One dataset of a benchmark, e.g. `ceval-computer_network` of `ceval_gen_5f30c7`. */
export interface DatasetTask {
  /** Output file stem and summary row name, e.g. `ceval-computer_network`. Safe as a path segment. */
  readonly abbr: string;
  /** The benchmark it belongs to (`ceval`, `mmlu`, …). */
  readonly benchmark: string;
  /** The config it came from, e.g. `ceval_gen_5f30c7`. */
  readonly configName: string;
  /** OpenCompass's 6-hex prompt hash (the summary's `version` column). */
  readonly version: string;
  readonly mode: InferenceMode;
  /** The request kind each sample needs. */
  readonly requestKind: RequestKind;
  /** A dataset-level `max_out_len` (it overrides the model's). */
  readonly maxOutLen?: number;
  /** Name of the prediction postprocessor, recorded in logs; `undefined` when predictions are scored as they are. */
  readonly postprocessorName?: string;
  /** The dataset's `pred_postprocessor`: a raw prediction → the answer the evaluator compares. */
  postprocess(prediction: string): string;
  /** The dataset's `dataset_postprocessor` applied to each reference before evaluation (GSM8K, BBH). */
  postprocessReference?(reference: JsonValue): JsonValue;
  readonly evaluator: Evaluator;
  /** A warning to show once before running (e.g. scoring a split whose labels are not public). */
  readonly caveat?: string;
  /** What a found answer looks like, for the extraction audit. @default `{ kind: 'options', options: 'ABCD' }` */
  readonly answerFormat?: AnswerFormat;
  /** How reports name the dataset (subject name, category); absent: the abbr alone. */
  readonly label?: DatasetLabel;
  /** Data files this dataset reads, relative to the data root; checked (all datasets at once) before any request. */
  readonly dataFiles: readonly string[];
  /**
   * Load and render the samples; `limit` keeps the first N (OpenCompass `test_range`). Rows are validated against
   * the benchmark's definition (columns, label set): a bad row fails with a `DataError` naming file and line.
   * Called lazily, dataset by dataset, as dispatch reaches it.
   */
  loadSamples(options: { readonly dataRoot: string; readonly limit?: number }): Promise<TaskSample[]>;
}

/** A summary group row (OpenCompass `summary_groups`). */
export interface SummaryGroup {
  readonly name: string;
  readonly subsets: readonly string[];
  /**
   * `naive`: the unweighted mean of the subsets' first metrics (metric `naive_average`, plus the metrics every
   * subset shares, as OpenCompass since 2025-03). `weighted`: OpenCompass's `weights` (metric `weighted_average`;
   * only `mmlu-weighted`). `questions`: sextant's question-weighted mean (metric `weighted_average`, marked as
   * sextant's own and kept out of OpenCompass's csv). `available`: sextant's mean over the subsets a model has,
   * shown only where OpenCompass's group of the same subsets is an error row (some subset missing), labelled with
   * how many it averages and kept out of OpenCompass's csv.
   */
  readonly average: 'naive' | 'weighted' | 'questions' | 'available';
  /** With `average: 'weighted'`: each subset's weight. */
  readonly weights?: Readonly<Record<string, number>>;
  /**
   * OpenCompass's list-form subsets (`[abbr, metric]` pairs, e.g. chat_OC15's `average`): `metrics[i]` is the
   * metric taken from `subsets[i]`, a dataset or a group listed earlier; same length as `subsets`. Such a group has
   * only its `naive_average` row (OpenCompass gives list-form groups no shared-metric rows). Absent: each subset's
   * first metric. With `naive` or `available` only.
   */
  readonly metrics?: readonly string[];
  /** How reports and charts name the group (`STEM 理工`); absent: its name. */
  readonly label?: string;
}

/** One OpenCompass dataset config file (`ceval_gen_5f30c7`), with the short names that point to it. */
export interface DatasetConfigDefinition {
  readonly configName: string;
  /** Short names (`ceval_gen`) and older spellings that resolve to this config. */
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly mode: InferenceMode;
  /** The datasets of the file, in OpenCompass's order. Cheap: no data is read. */
  datasets(): DatasetTask[];
}

/** A benchmark: its configs and groups. Registered by listing it in `src/tasks/index.ts`. */
export interface BenchmarkDefinition {
  /** `ceval`, `cmmlu`, … */
  readonly name: string;
  /** Human name for messages (`C-Eval`). */
  readonly title: string;
  /** The folder under the data root (`ceval`), named in missing-data messages and `sextant data fetch`. */
  readonly dataFolder: string;
  readonly configs: readonly DatasetConfigDefinition[];
  /** OpenCompass's summary groups for this benchmark (`summarizers/groups/<name>.py`) plus sextant's extras. */
  summaryGroups(): SummaryGroup[];
}

/**
 * A suite-level summarizer (OpenCompass `configs/summarizers/*.py`, e.g. `chat_OC15`): which rows to show, in
 * order, each a dataset or group abbr optionally with the metric to show, and the groups it needs.
 */
export interface SummarizerDefinition {
  readonly name: string;
  readonly description: string;
  readonly rows: ReadonlyArray<string | { readonly abbr: string; readonly metric: string }>;
  /** Groups beyond the benchmarks' own that the rows refer to. */
  readonly groups?: readonly SummaryGroup[];
}
