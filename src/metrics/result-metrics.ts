/**
 * OpenCompass's summarizer whitelist (`opencompass/summarizers/default.py`): the metrics shown first, in this order;
 * any other metric keeps its place after them.
 */
export const metricWhitelist = [
  'score',
  'auc_score',
  'accuracy',
  'humaneval_pass@1',
  'rouge1',
  'avg_toxicity_score',
  'bleurt_diff',
  'matthews_correlation',
  'truth',
  'f1',
  'exact_match',
  'extract_rate',
] as const;

/** Fields of a results file that OpenCompass's summarizer never shows as metrics. */
const metricBlacklist = new Set(['bp', 'sys_len', 'ref_len', 'type']);
/**
 * sextant's own top-level count of failed samples, kept out of summary rows: `failed`, or `failed_samples` where the
 * evaluator reports a `failed` metric of its own (MBPP), which is then a metric.
 */
const sextantFields = (results: Readonly<Record<string, unknown>>) => new Set(['failed_samples', ...('failed_samples' in results ? [] : ['failed'])]);

/**
 * The metrics of a results file as OpenCompass's summarizer picks them: numeric top-level fields (nested objects such
 * as `details` or `accuracy_ci95` are skipped), the blacklist and sextant's `failed` left out, sorted by the
 * whitelist (stable for the rest). Empty for an evaluator error (`{"error": …}`).
 */
export function resultMetrics(results: Readonly<Record<string, unknown>>): Array<{ name: string; value: number }> {
  if ('error' in results) return [];
  const own = sextantFields(results);
  const picked = Object.entries(results)
    .filter(([name, value]) => typeof value === 'number' && !metricBlacklist.has(name) && !own.has(name))
    .map(([name, value]) => ({ name, value: value as number }));
  const rank = (name: string) => {
    const index = (metricWhitelist as readonly string[]).indexOf(name);
    return index < 0 ? metricWhitelist.length : index;
  };
  return picked
    .map((entry, index) => ({ entry, index }))
    .sort((left, right) => rank(left.entry.name) - rank(right.entry.name) || left.index - right.index)
    .map(({ entry }) => entry);
}

/** sextant's count of samples that failed after all retries, whichever key a results file keeps it under. */
export function failedSampleCount(results: { readonly failed?: unknown; readonly failed_samples?: unknown }): number {
  if (typeof results.failed_samples === 'number') return results.failed_samples;
  return typeof results.failed === 'number' ? results.failed : 0;
}
