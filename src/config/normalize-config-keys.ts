import { ConfigError } from '../spec/index.js';

/** Objects whose keys are request-body fields or Python keyword arguments, passed as written: never renamed. */
const verbatimFields = new Set(['generationKwargs', 'modelKwargs', 'tokenizerKwargs']);

/** `max_out_len` → `maxOutLen`; names without `_` are returned as they are. */
function camelCaseKey(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * OpenCompass's snake_case field names (`engine_config`, `gen_config.top_k`, `max_out_len`, `run_cfg.num_gpus`, …)
 * as sextant's camelCase ones, at every level of a config object except inside `generationKwargs`, `modelKwargs`
 * and `tokenizerKwargs` (request fields and Python keyword arguments, passed as written). Returns a new object.
 *
 * @throws {ConfigError} naming both spellings when an object gives the same field twice (`maxOutLen` and `max_out_len`).
 */
export function normalizeConfigKeys(value: unknown, source: string, path = ''): unknown {
  if (Array.isArray(value)) return value.map((item, index) => normalizeConfigKeys(item, source, `${path}[${index}]`));
  if (value === null || typeof value !== 'object' || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) return value;
  const result: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  for (const [key, item] of Object.entries(value)) {
    const name = camelCaseKey(key);
    const earlier = spelledAs.get(name);
    if (earlier !== undefined) {
      throw new ConfigError({ source, field: path ? `${path}.${name}` : name, message: `given twice, as "${earlier}" and as "${key}"; keep one` });
    }
    spelledAs.set(name, key);
    const childPath = path ? `${path}.${name}` : name;
    result[name] = verbatimFields.has(name) ? item : normalizeConfigKeys(item, source, childPath);
  }
  return result;
}
