/**
 * Per-question correctness from a results file's `details` (keys `"0"`…`"N-1"` plus `type`), in index order: 1 when
 * the extracted answer (`predictions`) equals the reference (`references`), as OpenCompass's `AccEvaluator` scores.
 */
export function sampleOutcomes(details: Readonly<Record<string, unknown>>): Uint8Array {
  const indexes = Object.keys(details)
    .filter((key) => /^\d+$/.test(key))
    .map(Number)
    .sort((left, right) => left - right);
  return Uint8Array.from(indexes, (index) => {
    const entry = details[String(index)] as { predictions?: unknown; references?: unknown } | undefined;
    return entry !== undefined && entry.predictions === entry.references ? 1 : 0;
  });
}
