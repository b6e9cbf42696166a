import { failedSampleCount, resultMetrics } from '../metrics/index.js';
import type { DatasetScore } from './build-summary.js';
import { sampleCorrectness } from './html/sample-outcomes.js';

/**
 * A results file as the summary reads it: its metrics in OpenCompass's order, the per-sample 0/1 outcomes from
 * `details` (none when `correct` is a fraction), and which metric they are the mean of (the one with a
 * `<metric>_ci95`, else the first metric when it equals their mean).
 */
export function datasetScore(
  results: Readonly<Record<string, unknown>> & { readonly failed: number; readonly details: Readonly<Record<string, unknown>> },
): DatasetScore {
  const metrics = Object.fromEntries(resultMetrics(results).map((entry) => [entry.name, entry.value]));
  const outcomes = sampleCorrectness(results.details);
  const count = Object.keys(results.details).filter((key) => /^\d+$/.test(key)).length;
  const withInterval = Object.keys(metrics).find((name) => typeof results[`${name}_ci95`] === 'object');
  let outcomeMetric = withInterval;
  if (!outcomeMetric && outcomes && outcomes.length > 0) {
    const first = Object.keys(metrics)[0];
    const share = 100 * (outcomes.reduce((sum, outcome) => sum + outcome, 0) / outcomes.length);
    if (first !== undefined && Math.abs((metrics[first] as number) - share) < 1e-9) outcomeMetric = first;
  }
  return {
    metrics,
    failed: failedSampleCount(results),
    count,
    ...(outcomes && outcomeMetric ? { outcomes, outcomeMetric } : {}),
  };
}
