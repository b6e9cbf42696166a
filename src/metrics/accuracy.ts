/**
 * OpenCompass's `AccEvaluator`: 100 × the share of predictions equal (as strings) to their reference. An empty
 * prediction counts as wrong; no partial credit. Returns NaN for no samples.
 */
export function accuracy(predictions: readonly string[], references: readonly string[]): number {
  if (predictions.length !== references.length) {
    throw new RangeError(`accuracy: ${predictions.length} predictions for ${references.length} references`);
  }
  if (predictions.length === 0) return Number.NaN;
  let correct = 0;
  predictions.forEach((prediction, index) => {
    if (prediction === references[index]) correct += 1;
  });
  // Fraction first, then × 100, as OpenCompass does: the last digit of the float depends on the order.
  return 100 * (correct / predictions.length);
}
