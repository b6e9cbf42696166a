/**
 * Per-question correctness from a results file's `details` (keys `"0"`…`"N-1"` plus `type`), in index order: the
 * evaluator's per-sample `correct` (true or 1 → 1), whatever the metric; for results written before evaluators
 * recorded it, 1 when the extracted answer (`predictions`) equals the reference (`references`), as `AccEvaluator`.
 * `undefined` when some sample's `correct` is a fraction (the metric is not a per-sample 0/1), or when samples carry a
 * `repeat` (`--num-samples`: several generations of one question are not independent 0/1 samples, so no interval may
 * treat them as such).
 */
export function sampleCorrectness(details: Readonly<Record<string, unknown>>): Uint8Array | undefined {
  const indexes = Object.keys(details)
    .filter((key) => /^\d+$/.test(key))
    .map(Number)
    .sort((left, right) => left - right);
  const outcomes = new Uint8Array(indexes.length);
  for (const [position, index] of indexes.entries()) {
    const entry = details[String(index)] as { predictions?: unknown; references?: unknown; correct?: unknown; repeat?: unknown } | undefined;
    if (typeof entry?.repeat === 'number') return undefined;
    const correct = entry?.correct;
    if (typeof correct === 'number' && correct !== 0 && correct !== 1) return undefined;
    const right = correct === undefined ? entry !== undefined && entry.predictions === entry.references : correct === true || correct === 1;
    outcomes[position] = right ? 1 : 0;
  }
  return outcomes;
}

/** {@link sampleCorrectness}, with a fraction counted as wrong and repeats as samples (for tallies that need a 0/1 per sample). */
export function sampleOutcomes(details: Readonly<Record<string, unknown>>): Uint8Array {
  return (
    sampleCorrectness(details) ??
    Uint8Array.from(
      Object.keys(details)
        .filter((key) => /^\d+$/.test(key))
        .map(Number)
        .sort((left, right) => left - right),
      (index) => {
        const correct = (details[String(index)] as { correct?: unknown } | undefined)?.correct;
        return correct === true || correct === 1 ? 1 : 0;
      },
    )
  );
}
