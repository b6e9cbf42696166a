/**
 * The Wilson score bounds for an observed proportion over `trials` (which may be an effective, non-integer size):
 * centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1 − p)/n + z²/4n²), clipped to [0, 1]. The lower bound
 * is exactly 0 when p = 0 and the upper exactly 1 when p = 1. `trials` must be > 0.
 */
export function wilsonBounds(options: { proportion: number; trials: number; z: number }): { lower: number; upper: number } {
  const { proportion, trials, z } = options;
  const zSquaredOverTrials = (z * z) / trials;
  const denominator = 1 + zSquaredOverTrials;
  const centre = (proportion + zSquaredOverTrials / 2) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt(Math.max(0, proportion * (1 - proportion)) / trials + zSquaredOverTrials / (4 * trials));
  return {
    lower: proportion <= 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: proportion >= 1 ? 1 : Math.min(1, centre + halfWidth),
  };
}
