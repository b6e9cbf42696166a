const twoOverSqrtPi = 2 / Math.sqrt(Math.PI);
const oneOverSqrtPi = 1 / Math.sqrt(Math.PI);
const epsilon = 1e-17;
const maximumTerms = 5000;

/** erf(t) for 0 ≤ t < 1.5 from the all-positive series (2/√π) e^{-t²} Σ 2^n t^{2n+1} / (2n+1)!!, free of cancellation. */
function errorFunctionSeries(t: number): number {
  const twiceSquare = 2 * t * t;
  let term = t;
  let sum = t;
  for (let n = 1; n < maximumTerms && term > epsilon * sum; n += 1) {
    term *= twiceSquare / (2 * n + 1);
    sum += term;
  }
  return twoOverSqrtPi * Math.exp(-t * t) * sum;
}

/**
 * erfc(t) for t ≥ 1.5 from Laplace's continued fraction
 * erfc(t) = e^{-t²}/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))), evaluated with the modified Lentz method.
 */
function complementaryErrorFunctionContinuedFraction(t: number): number {
  const tiny = 1e-300;
  let value = t;
  let numeratorRatio = t;
  let denominatorRatio = 0;
  for (let k = 1; k < maximumTerms; k += 1) {
    const partialNumerator = k / 2;
    denominatorRatio = t + partialNumerator * denominatorRatio;
    if (denominatorRatio === 0) denominatorRatio = tiny;
    numeratorRatio = t + partialNumerator / numeratorRatio;
    if (numeratorRatio === 0) numeratorRatio = tiny;
    denominatorRatio = 1 / denominatorRatio;
    const delta = numeratorRatio * denominatorRatio;
    value *= delta;
    if (Math.abs(delta - 1) < epsilon) break;
  }
  return (oneOverSqrtPi * Math.exp(-t * t)) / value;
}

/** erfc(t) with small relative error for t ≥ 0 (the tail is never formed as 1 − something close to 1). */
function complementaryErrorFunction(t: number): number {
  if (t < 0) return 2 - complementaryErrorFunction(-t);
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t < 1.5) return 1 - errorFunctionSeries(t);
  return complementaryErrorFunctionContinuedFraction(t);
}

/**
 * The standard normal cumulative distribution function Φ(x) = P(Z ≤ x).
 *
 * @param x any real number; NaN gives NaN, ±Infinity give 1 and 0.
 * @returns a probability in [0, 1]. For −20 ≤ x < 0 the relative error is below about 1e-13 (growing to about 3e-13
 *   near the underflow of Φ at x ≈ −38); for x > 0 the result is 1 − Φ(−x), accurate to that absolute error.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return 0.5 * complementaryErrorFunction(-x * Math.SQRT1_2);
}
