/**
 * What a dataset task gives the runner: samples rendered as model-neutral dialogues, how to extract an answer
 * from a raw prediction, and what it needs from a backend. Tasks describe work; they never call a model.
 */
import type { RequestKind } from './backend.js';
import type { Dialogue } from './prompt.js';

/** OpenCompass's inference modes: generate and extract (`gen`), or score each label's prompt (`ppl`). */
export type InferenceMode = 'gen' | 'ppl';

/** One scored sample. */
export interface TaskSample {
  /** Position in the scored split (OpenCompass's prediction key, `"0"`..`"N-1"`). */
  readonly index: number;
  /** Stable id from the source row (C-Eval's `id` column), never shifted by `--limit`. */
  readonly id: string;
  /** The gold answer; `''` when the split has no labels (C-Eval's public test split). */
  readonly gold: string;
  /** The rendered prompt (gen mode: the last item is the empty generation slot). */
  readonly dialogue: Dialogue;
  /**
   * PPL mode: one complete dialogue per answer label, in label order; `withoutExamples` is the same dialogue with
   * the in-context examples left out (OpenCompass's `testing input`).
   */
  readonly candidates?: ReadonlyArray<{ readonly label: string; readonly dialogue: Dialogue; readonly withoutExamples: Dialogue }>;
}

/** One dataset of a benchmark, e.g. `ceval-computer_network` of `ceval_gen_5f30c7`. */
export interface DatasetTask {
  /** Output file stem and summary row name, e.g. `ceval-computer_network`. */
  readonly abbr: string;
  /** The config it came from, e.g. `ceval_gen_5f30c7`. */
  readonly configName: string;
  /** OpenCompass's 6-hex prompt hash (the summary's `version` column). */
  readonly version: string;
  readonly mode: InferenceMode;
  /** The request kind each sample needs. */
  readonly requestKind: RequestKind;
  /** A dataset-level `max_out_len` (it overrides the model's). */
  readonly maxOutLen?: number;
  /** Name of the answer extractor, recorded in logs; `undefined` when predictions are scored as they are. */
  readonly postprocessorName?: string;
  /** Turn a raw prediction into the answer that is compared with the gold. */
  postprocess(prediction: string): string;
  /** Metric reported on the summary row. */
  readonly metric: 'accuracy';
  /** A warning to show before running (e.g. scoring a split whose labels are not public). */
  readonly caveat?: string;
  /** Load and render the samples; `limit` keeps the first N (OpenCompass `test_range`). */
  loadSamples(options: { readonly dataRoot: string; readonly limit?: number }): Promise<TaskSample[]>;
}

/** A summary group row (OpenCompass `summary_groups`). */
export interface SummaryGroup {
  readonly name: string;
  readonly subsets: readonly string[];
  /**
   * `naive`: the unweighted mean of the subsets' scores (metric `naive_average`, OpenCompass's only kind for
   * C-Eval). `questions`: the mean weighted by each subset's number of scored samples (metric `weighted_average`).
   */
  readonly average: 'naive' | 'questions';
}
