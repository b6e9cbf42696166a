/** One scored sample of a results file, as the report needs it. */
export interface ScoredSample {
  /** Position in the scored split. */
  readonly index: number;
  /** The answer the postprocessor extracted (`predictions` in OpenCompass's details). */
  readonly extracted: string;
  /** The gold answer (`references`). */
  readonly reference: string;
  /** The model's raw text (`origin_prediction`, gen mode only). */
  readonly rawPrediction?: string;
  /** Why the sample failed after all retries, when it did. */
  readonly error?: string;
}

/**
 * The per-sample entries of a results file's `details` (keys `"0"`…`"N-1"` plus `type`), in index order. Prompts
 * are dropped. Scoring is OpenCompass's: a sample is correct when its extracted answer equals its reference.
 */
export function readScoredSamples(details: Readonly<Record<string, unknown>>): ScoredSample[] {
  return Object.keys(details)
    .filter((key) => key !== 'type')
    .map(Number)
    .sort((left, right) => left - right)
    .map((index) => {
      const entry = details[String(index)] as Record<string, unknown> | undefined;
      const rawPrediction = entry?.origin_prediction;
      const error = entry?.error;
      return {
        index,
        extracted: typeof entry?.predictions === 'string' ? entry.predictions : '',
        reference: typeof entry?.references === 'string' ? entry.references : '',
        ...(typeof rawPrediction === 'string' ? { rawPrediction } : {}),
        ...(typeof error === 'string' ? { error } : {}),
      };
    });
}

/** Per-question correctness (1 = extracted answer equals the reference), in the order given. */
export function sampleOutcomes(samples: readonly ScoredSample[]): Uint8Array {
  return Uint8Array.from(samples, (sample) => (sample.extracted === sample.reference ? 1 : 0));
}
