import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
// Not the registry's index: it loads every backend (HTTP client, zod schemas), which reading a run never needs.
import { resolveDatasets } from '../registry/dataset-registry.js';
import type { AnswerFormat, DatasetTask } from '../spec/index.js';
import { readRunResults, readRunSamples, type AccuracyResults, type RunInfo, type SampleRecord } from '../store/index.js';

/** One model's entry in a run's config dump. */
export type RunModelInfo = RunInfo['models'][number];

/** One scored sample of one model in one run: what compare and the extraction audit read. */
export interface ScoredSample {
  /** Position in the scored split: with the dataset abbr, the key that pairs two runs. */
  readonly index: number;
  /** The reference answer (`''` for splits without public answers). */
  readonly gold: string;
  /** Raw model output after stop words (PPL mode: the chosen label); `''` when the sample failed. */
  readonly raw: string;
  /**
   * The answer the dataset's postprocessor extracted from `raw` (`''` when it found none); for answers taken from the
   * results file, the evaluator's `pred` where it records one (MATH's judged answer, NQ's normalised text).
   */
  readonly extracted: string;
  /** `extracted === gold`, as OpenCompass's `AccEvaluator` scores it. */
  readonly correct: boolean;
  /** The prompt as OpenCompass stores it (`origin_prompt`): a string or an API turn list. */
  readonly originPrompt: unknown;
  /** Set when the sample failed after all retries (it is scored as wrong, never dropped). */
  readonly error?: string;
  /** Which generation of its question this is (`--num-samples` > 1); such samples are not independent questions. */
  readonly repeat?: number;
}

/** The scored samples of one (model, dataset) of a run. */
export interface DatasetSamples {
  /** Dataset abbr, e.g. `ceval-computer_network`. */
  readonly abbr: string;
  /** The prompt version (OpenCompass dataset version hash) from the run's config dump; `''` when not recorded. */
  readonly version: string;
  /**
   * Where `extracted` came from: the dataset's postprocessor name (re-applied to the sample log's raw outputs, as
   * scoring does), `'identity'` for PPL datasets, or `'recorded'` (taken from the run's results file).
   */
  readonly extraction: string;
  /**
   * What a found answer looks like (the dataset's {@link AnswerFormat}), `'label'` for a PPL dataset (its prediction
   * is always a label), `undefined` when the run's dataset config is unknown to this sextant version.
   */
  readonly answerFormat?: AnswerFormat | 'label';
  /** Ascending by index; never empty. */
  readonly samples: readonly ScoredSample[];
}

/** One model of one run, read for comparison or audit. */
export interface ModelRun {
  readonly info: RunInfo;
  readonly model: RunModelInfo;
  /** Datasets with at least one scored sample, in the run's order. */
  readonly datasets: readonly DatasetSamples[];
  /** Datasets with samples but no way to score them (no results file and a dataset config sextant does not know). */
  readonly unscored: readonly string[];
}

interface DatasetExtractor {
  readonly name: string;
  readonly extract: (text: string) => string;
}

/**
 * Reads one model's scored samples from a run folder. Answers are extracted from the per-sample log with the
 * dataset's own postprocessor (the computation scoring does, without parsing the larger results files); when the
 * run's dataset config is unknown to this sextant version, or its prompt version changed since, the answers
 * recorded in `results/<model>/<dataset>.json` are used instead. Reads the datasets concurrently; O(samples).
 */
export async function readModelRun(options: { info: RunInfo; model: RunModelInfo; datasets?: readonly string[] }): Promise<ModelRun> {
  const { info, model } = options;
  const tasks = runTasks(info);
  const extractors = datasetExtractors(info, tasks);
  // Only these datasets (a caller going dataset by dataset holds one dataset's prompts at a time).
  const wanted = options.datasets ? new Set(options.datasets) : undefined;
  const abbrs = (await datasetAbbrs(info, model.abbr)).filter((abbr) => !wanted || wanted.has(abbr));
  const loaded = await Promise.all(
    abbrs.map(async (abbr) => {
      const version = info.datasetVersions[abbr] ?? '';
      const records = await readRunSamples(info.root, model.abbr, abbr);
      const extractor = extractors.get(abbr);
      const task = tasks.get(abbr);
      const format = task ? { answerFormat: task.mode === 'ppl' ? ('label' as const) : (task.answerFormat ?? defaultAnswerFormat) } : {};
      if (extractor && records.size > 0) return { abbr, version, extraction: extractor.name, ...format, samples: fromSampleLog(records, extractor) };
      const results = await readRunResults(info.root, model.abbr, abbr);
      if (results) return { abbr, version, extraction: 'recorded', ...format, samples: fromResults(results, records) };
      return records.size > 0 ? abbr : undefined;
    }),
  );
  const datasets: DatasetSamples[] = [];
  const unscored: string[] = [];
  for (const entry of loaded) {
    if (typeof entry === 'string') unscored.push(entry);
    else if (entry && entry.samples.length > 0) datasets.push(entry);
  }
  return { info, model, datasets, unscored };
}

/** The datasets a run recorded (config dump order), or, for a dump without versions, the model's files. */
async function datasetAbbrs(info: RunInfo, modelAbbr: string): Promise<string[]> {
  const recorded = Object.keys(info.datasetVersions);
  if (recorded.length > 0) return recorded;
  const names = await Promise.all(['samples', 'results'].map((folder) => readdir(join(info.root, folder, modelAbbr)).catch(() => [] as string[])));
  const abbrs = names.flat().flatMap((name) => (/\.jsonl?$/.test(name) ? [name.replace(/\.jsonl?$/, '')] : []));
  return [...new Set(abbrs)].sort();
}

/** The spec's default answer format: C-Eval's option letters. */
const defaultAnswerFormat: AnswerFormat = { kind: 'options', options: 'ABCD' };

/** The run's datasets as this sextant version defines them, by abbr (none when it does not know the run's configs). */
function runTasks(info: RunInfo): Map<string, DatasetTask> {
  try {
    return new Map(resolveDatasets(info.datasets).map((task) => [task.abbr, task]));
  } catch {
    // A dataset config this version does not know: its answers come from the results files.
    return new Map();
  }
}

/** Postprocessors of the run's datasets whose prompt version this sextant version still produces. */
function datasetExtractors(info: RunInfo, tasks: ReadonlyMap<string, DatasetTask>): Map<string, DatasetExtractor> {
  const extractors = new Map<string, DatasetExtractor>();
  for (const task of tasks.values()) {
    // Re-extraction from the sample log scores as AccEvaluator does; any other evaluator's verdicts come from results.
    if (task.evaluator.name !== 'AccEvaluator') continue;
    const recorded = info.datasetVersions[task.abbr];
    if (recorded !== undefined && recorded !== task.version) continue;
    extractors.set(task.abbr, { name: task.postprocessorName ?? 'identity', extract: task.postprocess });
  }
  return extractors;
}

function fromSampleLog(records: ReadonlyMap<number, SampleRecord>, extractor: DatasetExtractor): ScoredSample[] {
  const samples: ScoredSample[] = [];
  for (const record of records.values()) {
    const raw = typeof record.prediction === 'string' ? record.prediction : '';
    const gold = typeof record.gold === 'string' ? record.gold : '';
    const extracted = extractor.extract(raw);
    samples.push({
      index: record.index,
      gold,
      raw,
      extracted,
      correct: extracted === gold,
      originPrompt: record.originPrompt,
      ...(record.error !== undefined ? { error: String(record.error) } : {}),
      ...(typeof record.repeat === 'number' ? { repeat: record.repeat } : {}),
    });
  }
  return samples.sort((left, right) => left.index - right.index);
}

interface ResultDetail {
  readonly prompt?: unknown;
  readonly origin_prediction?: unknown;
  readonly predictions?: unknown;
  readonly references?: unknown;
  readonly correct?: unknown;
  readonly pred?: unknown;
  readonly error?: unknown;
  readonly repeat?: unknown;
}

function fromResults(results: AccuracyResults, records: ReadonlyMap<number, SampleRecord>): ScoredSample[] {
  const samples: ScoredSample[] = [];
  for (const [key, value] of Object.entries(results.details)) {
    if (!/^\d+$/.test(key) || typeof value !== 'object' || value === null) continue;
    const detail = value as ResultDetail;
    const index = Number(key);
    const record = records.get(index);
    // The evaluator's own extracted answer where it records one (`null`: none found), else the postprocessed prediction.
    const extracted = typeof detail.pred === 'string' ? detail.pred : detail.pred === null ? '' : stringOf(detail.predictions);
    const gold = detail.references !== undefined ? stringOf(detail.references) : stringOf(record?.gold ?? '');
    const raw = record?.prediction ?? stringOf(detail.origin_prediction);
    const error = detail.error ?? record?.error;
    samples.push({
      index,
      gold,
      raw,
      extracted,
      // The evaluator's per-sample verdict, whatever the metric; older results (no `correct`): AccEvaluator's test.
      correct: typeof detail.correct === 'boolean' ? detail.correct : typeof detail.correct === 'number' ? detail.correct === 1 : extracted === gold,
      originPrompt: record?.originPrompt ?? detail.prompt,
      ...(error !== undefined ? { error: String(error) } : {}),
      ...(typeof detail.repeat === 'number' ? { repeat: detail.repeat } : typeof record?.repeat === 'number' ? { repeat: record.repeat } : {}),
    });
  }
  return samples.sort((left, right) => left.index - right.index);
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}
