import { wilsonInterval } from '../stats/index.js';
import type { DatasetTask, EvaluationContext, EvaluationResult, JsonValue } from '../spec/index.js';
import {
  EvaluationCache,
  readPredictionsFile,
  readScoringFields,
  writeResultsFile,
  type DatasetResults,
  type MetricInterval,
  type PredictionEntry,
} from '../store/index.js';

/** OpenCompass's PPL details: the per-label entries without `testing input`, keyed by the bare label. */
function pplLabels(entry: PredictionEntry): Record<string, { prompt: string; PPL: number; BPB: number }> {
  const labels: Record<string, { prompt: string; PPL: number; BPB: number }> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (!key.startsWith('label: ')) continue;
    const { prompt, PPL, BPB } = value as { prompt: string; PPL: number; BPB: number };
    labels[key.slice('label: '.length)] = { prompt, PPL, BPB };
  }
  return labels;
}

/**
 * The eval stage for one (model, dataset), as OpenCompass's eval task runs it: read the predictions file, apply the
 * dataset's `pred_postprocessor` to each prediction and its `dataset_postprocessor` to each reference, hand them all
 * to the dataset's evaluator, and write the results file: the evaluator's metrics at top level, sextant's `failed`,
 * a 95% Wilson interval for a metric that is the mean of per-sample 0/1 outcomes of independent questions (none under
 * `--num-samples` > 1, whose generations share a question), and `details` (OpenCompass's
 * fields plus `correct`, `pred` and the evaluator's own). Needs no model: re-scoring works from stored files alone.
 * An evaluator that throws is recorded as `{"error": …}` (shown as `-`), as OpenCompass records it.
 */
export async function scoreTask(options: {
  task: DatasetTask;
  predictionsPath: string;
  resultsPath: string;
  /** The sample log, for each sample's `evaluatorInput` (when the evaluator needs row fields). */
  samplesPath?: string;
  /** Where the evaluator's cache is kept (`RunDirectory.evaluationCache`); without it the evaluator gets none. */
  cachePath?: string;
  signal?: AbortSignal;
  warn?: (message: string) => void;
  /** The sandbox, for an evaluator that runs programs; its isolation level is written into the results file. */
  execution?: { readonly execute: NonNullable<EvaluationContext['execute']>; readonly isolation: string };
  /** Ignore stored program outcomes (`--re-execute`); new ones are still stored. */
  reExecute?: boolean;
  /** The run's evaluator options (`evaluatorOptions`). */
  evaluatorOptions?: { readonly [key: string]: JsonValue };
}): Promise<DatasetResults> {
  const { task } = options;
  const entries = await readPredictionsFile(options.predictionsPath);
  const stored = options.samplesPath ? await readScoringFields(options.samplesPath) : undefined;
  const storedInputs = stored?.evaluatorInputs;
  const repeats = stored?.repeats ?? new Map<number, number>();
  const indexes = Object.keys(entries).sort((left, right) => Number(left) - Number(right));
  const ordered = indexes.map((index) => entries[index] as PredictionEntry);
  const originPredictions = ordered.map((entry) => entry.prediction);
  const predictions = originPredictions.map((prediction) => task.postprocess(prediction));
  const references = ordered.map((entry) => {
    const gold: JsonValue = entry.gold ?? '';
    return task.postprocessReference ? task.postprocessReference(gold) : gold;
  });
  const evaluatorInputs = indexes.map((index) => storedInputs?.get(Number(index)) ?? {});
  const failed = ordered.filter((entry) => entry.error !== undefined).length;
  const type = task.mode === 'gen' ? ('GEN' as const) : ('PPL' as const);

  const cache = options.cachePath ? await EvaluationCache.open(options.cachePath) : undefined;
  const warned = new Set<string>();
  const context: EvaluationContext = {
    signal: options.signal ?? new AbortController().signal,
    ...(cache ? { cache: options.reExecute ? { get: () => undefined, set: (key, value) => cache.set(key, value) } : cache } : {}),
    ...(options.execution ? { execute: options.execution.execute, isolation: options.execution.isolation } : {}),
    ...(options.evaluatorOptions ? { options: options.evaluatorOptions } : {}),
    warn: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      options.warn?.(`${task.abbr}: ${message}`);
    },
  };
  let evaluation: EvaluationResult;
  try {
    evaluation = await task.evaluator.evaluate({ predictions, references, originPredictions, evaluatorInputs, context });
    if (evaluation.samples.length !== predictions.length) {
      throw new RangeError(`${task.evaluator.name} returned ${evaluation.samples.length} sample evaluations for ${predictions.length} predictions`);
    }
  } catch (error) {
    if (context.signal.aborted) throw error;
    const results: DatasetResults = { error: `${task.evaluator.name}: ${(error as Error).message}`, failed, details: { type } };
    options.warn?.(`${task.abbr}: evaluation failed: ${(error as Error).message}`);
    await writeResultsFile(options.resultsPath, results);
    return results;
  } finally {
    await cache?.save();
  }

  const details: Record<string, unknown> = {};
  ordered.forEach((entry, position) => {
    const sample = evaluation.samples[position];
    const base =
      task.mode === 'ppl'
        ? { origin_prediction: pplLabels(entry), predictions: predictions[position], references: references[position] }
        : { prompt: entry.origin_prompt, origin_prediction: entry.prediction, predictions: predictions[position], references: references[position] };
    details[indexes[position] as string] = {
      ...base,
      ...(sample?.correct !== undefined ? { correct: sample.correct } : {}),
      ...(sample?.pred !== undefined ? { pred: sample.pred } : {}),
      ...sample?.fields,
      // Generations sharing a question (`--num-samples`): summaries and reports give them no per-sample interval.
      ...(repeats.has(Number(indexes[position])) ? { repeat: repeats.get(Number(indexes[position])) } : {}),
      ...(entry.error !== undefined ? { error: entry.error } : {}),
    };
  });
  // MBPP's evaluator has a `failed` metric of its own; sextant's count of failed samples then moves aside.
  const failedField = task.evaluator.metrics.includes('failed') ? { failed_samples: failed } : { failed };
  const results = {
    ...evaluation.metrics,
    ...failedField,
    // A string, so OpenCompass's summarizer (which reads numeric fields as metrics) passes over it.
    ...(options.execution ? { sandbox_isolation: options.execution.isolation } : {}),
    ...(repeats.size === 0 ? metricIntervals(task.evaluator.metrics, evaluation) : {}),
    details: { type, ...details },
  } as DatasetResults;
  await writeResultsFile(options.resultsPath, results);
  return results;
}

/**
 * `<metric>_ci95` for the first metric (in the evaluator's order) that is 100 × the mean of the samples' 0/1
 * `correct` (the primary metric of AccEvaluator, EM, `score`…); none where `correct` is a fraction or absent (not a
 * per-sample 0/1). Only the first: a count that happens to equal the share (MBPP's `timeout` 0 when every sample is
 * wrong) is not a mean of the outcomes. The caller gives none when samples are several generations of one question.
 */
function metricIntervals(names: readonly string[], evaluation: EvaluationResult): Record<string, MetricInterval> {
  const outcomes = evaluation.samples.map((sample) => sample.correct);
  if (outcomes.length === 0 || !outcomes.every((outcome) => typeof outcome === 'boolean' || outcome === 0 || outcome === 1)) return {};
  const successes = outcomes.filter((outcome) => outcome === true || outcome === 1).length;
  const share = 100 * (successes / outcomes.length);
  const intervals: Record<string, MetricInterval> = {};
  for (const name of names) {
    const value = evaluation.metrics[name];
    if (value === undefined || Math.abs(value - share) > 1e-9) continue;
    const interval = wilsonInterval({ successes, trials: outcomes.length });
    // A nested object, so OpenCompass's summarizer (which reads numeric fields as metrics) passes over it.
    intervals[`${name}_ci95`] = { method: 'wilson', lower: 100 * interval.lower, upper: 100 * interval.upper };
    break;
  }
  return intervals;
}
