import { createHash } from 'node:crypto';
import type { EvaluationContext, JsonValue, ProgramRun, ProgramRunOutcome } from '../spec/index.js';

/** The stored part of an outcome: what scoring needs, never timings (so a re-score is identical). */
export type StoredOutcome = Pick<ProgramRunOutcome, 'status' | 'errorType' | 'errorMessage'>;

/** The cache key of a program run: a hash of the exact program text and its time limit. */
export function programKey(run: ProgramRun): string {
  return createHash('sha256')
    .update(JSON.stringify([run.program, run.timeoutMs]))
    .digest('hex');
}

/**
 * Run a program through the context's sandbox, or take its stored outcome: an earlier evaluation of the same
 * program (by {@link programKey}) is reused, so `--mode eval -r` re-scores without executing anything.
 */
export async function executeCached(context: EvaluationContext, run: ProgramRun): Promise<StoredOutcome & { readonly key: string }> {
  const key = programKey(run);
  const cached = context.cache?.get(key) as StoredOutcome | undefined;
  if (cached && typeof cached === 'object' && typeof cached.status === 'string') return { ...cached, key };
  if (!context.execute) throw new Error('this evaluator runs programs, but no sandbox was given (EvaluationContext.execute)');
  const outcome = await context.execute(run);
  const stored: StoredOutcome = {
    status: outcome.status,
    ...(outcome.errorType !== undefined ? { errorType: outcome.errorType } : {}),
    ...(outcome.errorMessage !== undefined ? { errorMessage: outcome.errorMessage } : {}),
  };
  context.cache?.set(key, stored as unknown as JsonValue);
  return { ...stored, key };
}

/**
 * The unbiased pass@k estimator (Chen et al. 2021, as human-eval computes it) for a problem with `samples`
 * generations of which `passed` passed: 1 − Π_{i=n−c+1..n} (1 − k/i), or 1 when n − c < k.
 */
export function passAtK(samples: number, passed: number, k: number): number {
  if (samples - passed < k) return 1;
  let product = 1;
  for (let i = samples - passed + 1; i <= samples; i += 1) product *= 1 - k / i;
  return 1 - product;
}
