import { StatisticsInputError } from './statistics-input-error.js';

/**
 * Holm's step-down adjustment of m p-values for the family-wise error rate. With the p-values sorted ascending as
 * p(1) ≤ … ≤ p(m), the adjusted value of p(i) is max over j ≤ i of min(1, (m − j + 1) · p(j)); rejecting where the
 * adjusted value is ≤ α controls the family-wise error rate at α under any dependence.
 *
 * @param pValues raw p-values, each in [0, 1]. Not modified.
 * @returns a new array of adjusted p-values in the input order: each ≥ its raw value, ≤ 1, and ordered like the raw
 *   values (ties in the input keep equal adjusted values). An empty input gives an empty array.
 * @throws {StatisticsInputError} when a p-value is NaN or outside [0, 1].
 */
export function holmCorrection(pValues: readonly number[]): number[] {
  pValues.forEach((pValue, index) => {
    if (!(pValue >= 0 && pValue <= 1)) {
      throw new StatisticsInputError({ parameter: `pValues[${index}]`, message: `must be in [0, 1], got ${pValue}` });
    }
  });
  const count = pValues.length;
  const order = pValues.map((_, index) => index).sort((left, right) => (pValues[left] ?? 0) - (pValues[right] ?? 0));
  const adjusted = new Array<number>(count).fill(1);
  let runningMaximum = 0;
  order.forEach((originalIndex, rank) => {
    runningMaximum = Math.max(runningMaximum, Math.min(1, (count - rank) * (pValues[originalIndex] ?? 1)));
    adjusted[originalIndex] = runningMaximum;
  });
  return adjusted;
}
