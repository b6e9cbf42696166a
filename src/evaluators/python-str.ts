import type { JsonValue } from '../spec/index.js';

/**
 * Python's `str()` of a JSON value as OpenCompass's loaders produce it, for comparisons that OpenCompass makes on
 * `str(x)` (its `AccEvaluator` maps `str(reference)` and `str(prediction)` to label ids). Strings are themselves;
 * integers print without a decimal point, booleans as `True`/`False`, `null` as `None`. Lists and dicts use JSON
 * (no benchmark compares them as strings).
 */
export function pythonStr(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloatRepr(value);
  return JSON.stringify(value);
}

function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const text = String(value);
  return /[.e]/.test(text) ? text.replace(/e([+-])(\d)$/, 'e$10$2') : `${text}.0`;
}
