import { StatisticsInputError } from './statistics-input-error.js';

/** Throws unless `confidence` is a two-sided confidence level strictly between 0 and 1. */
export function validateConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatisticsInputError({ parameter: 'confidence', message: `must be strictly between 0 and 1, got ${confidence}` });
  }
}

/** Throws unless `value` is a non-negative safe integer. */
export function validateCount(value: number, parameter: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StatisticsInputError({ parameter, message: `must be a non-negative integer, got ${value}` });
  }
}
