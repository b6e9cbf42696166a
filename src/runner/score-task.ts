import { accuracy } from '../metrics/index.js';
import { wilsonInterval } from '../stats/index.js';
import type { DatasetTask } from '../spec/index.js';
import { readPredictionsFile, writeResultsFile, type AccuracyResults, type PredictionEntry } from '../store/index.js';

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
 * The eval stage for one (model, dataset): read its predictions file, extract each answer with the dataset's
 * postprocessor, and write OpenCompass's results file (accuracy + per-sample details), plus sextant's `failed`.
 * Needs no model: re-scoring works from stored predictions alone.
 */
export async function scoreTask(options: { task: DatasetTask; predictionsPath: string; resultsPath: string }): Promise<AccuracyResults> {
  const entries = await readPredictionsFile(options.predictionsPath);
  const indexes = Object.keys(entries).sort((left, right) => Number(left) - Number(right));
  const predictions: string[] = [];
  const references: string[] = [];
  const details: Record<string, unknown> = {};
  let failed = 0;
  for (const index of indexes) {
    const entry = entries[index] as (typeof entries)[string];
    const extracted = options.task.postprocess(entry.prediction);
    const reference = entry.gold ?? '';
    predictions.push(extracted);
    references.push(reference);
    if (entry.error !== undefined) failed += 1;
    const error = entry.error !== undefined ? { error: entry.error } : {};
    details[index] =
      options.task.mode === 'ppl'
        ? { origin_prediction: pplLabels(entry), predictions: extracted, references: reference, correct: extracted === reference, ...error }
        : { prompt: entry.origin_prompt, origin_prediction: entry.prediction, predictions: extracted, references: reference, ...error };
  }
  const correct = predictions.filter((prediction, index) => prediction === references[index]).length;
  const interval = wilsonInterval({ successes: correct, trials: predictions.length });
  const results: AccuracyResults = {
    accuracy: accuracy(predictions, references),
    failed,
    // A nested object, so OpenCompass's summarizer (which reads numeric fields as metrics) passes over it.
    accuracy_ci95: { method: 'wilson', lower: 100 * interval.lower, upper: 100 * interval.upper },
    details: { type: options.task.mode === 'gen' ? 'GEN' : 'PPL', ...details },
  };
  await writeResultsFile(options.resultsPath, results);
  return results;
}
