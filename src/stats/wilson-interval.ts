import { normalQuantile } from './normal-quantile.js';
import { wilsonBounds } from './_wilson-bounds.js';
import { StatisticsInputError } from './statistics-input-error.js';
import { validateConfidence, validateCount } from './_validate-options.js';

/** Options for {@link wilsonInterval}. */
export interface WilsonIntervalOptions {
  /** Number of successes (e.g. correct answers), an integer in [0, trials]. */
  successes: number;
  /** Number of trials (e.g. questions), a non-negative integer. */
  trials: number;
  /** Two-sided confidence level in (0, 1). @default 0.95 */
  confidence?: number;
}

/** A confidence interval for a proportion, both bounds in [0, 1] with lower ≤ upper. */
export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * The Wilson score interval for a binomial proportion: the set of p for which |p̂ − p| ≤ z·√(p(1 − p)/n), with
 * z = Φ⁻¹((1 + confidence)/2). Unlike the Wald interval it stays inside [0, 1] and has sensible width at 0 or n
 * successes.
 *
 * @returns bounds as proportions (multiply by 100 for accuracy points). `lower` is exactly 0 when there are no
 *   successes and `upper` is exactly 1 when every trial succeeds; with no trials the interval is `{ lower: 0, upper: 1 }`.
 * @throws {StatisticsInputError} for non-integer or negative counts, successes > trials, or confidence outside (0, 1).
 */
export function wilsonInterval({ successes, trials, confidence = 0.95 }: WilsonIntervalOptions): ProportionInterval {
  validateCount(successes, 'successes');
  validateCount(trials, 'trials');
  validateConfidence(confidence);
  if (successes > trials) {
    throw new StatisticsInputError({ parameter: 'successes', message: `must not exceed trials (${trials}), got ${successes}` });
  }
  if (trials === 0) return { lower: 0, upper: 1 };

  return wilsonBounds({ proportion: successes / trials, trials, z: normalQuantile((1 + confidence) / 2) });
}
