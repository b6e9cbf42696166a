import type { ArgsDef } from 'citty';
import { ConfigError } from '../spec/index.js';
import { closestNames } from '../utils/closest-names.js';
import { kebabCase as kebab } from './render-help.js';

/** A run folder name (as `runFolderPattern` in store/run-directory.ts), or `latest`. */
const runTimestamp = /^(\d{8}_\d{6}(?:_\d+)?|latest)$/;

/**
 * Bring OpenCompass-style arguments into a shape citty parses, and refuse unknown flags:
 * `--datasets a b` (several values) becomes one value with the parts on separate lines; a bare `-r`/`--reuse` becomes `--reuse latest`.
 */
export function normalizeArgv(argv: readonly string[], args: ArgsDef, multiValueFlags: readonly string[] = []): string[] {
  const known = new Map<string, string>();
  for (const [name, definition] of Object.entries(args)) {
    if (definition.type === 'positional') continue;
    known.set(kebab(name), name);
    const aliases = 'alias' in definition ? definition.alias : undefined;
    for (const alias of [aliases ?? []].flat()) known.set(alias, name);
  }
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] as string;
    if (!token.startsWith('-') || token === '-' || token === '--') {
      out.push(token);
      continue;
    }
    const [rawName, inlineValue] = token.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const flagName = rawName.startsWith('no-') && known.has(rawName.slice(3)) ? rawName.slice(3) : rawName;
    const name = known.get(flagName);
    if (!name) {
      // `--modelType` → `--model-type`; otherwise the closest spelling.
      const suggestions = known.has(kebab(flagName))
        ? [kebab(flagName)]
        : closestNames(
            flagName,
            [...known.keys()].filter((key) => key.length > 1),
          );
      throw new ConfigError({ field: token, message: `unknown option${suggestions.length ? `; did you mean --${suggestions[0]}?` : ''} (see --help)` });
    }
    if (name === 'reuse' && inlineValue === undefined) {
      const next = argv[index + 1];
      out.push('--reuse', next !== undefined && runTimestamp.test(next) ? next : 'latest');
      if (next !== undefined && runTimestamp.test(next)) index += 1;
      continue;
    }
    if (multiValueFlags.includes(name) && inlineValue === undefined) {
      const values: string[] = [];
      while (index + 1 < argv.length && !(argv[index + 1] as string).startsWith('-')) {
        values.push(argv[index + 1] as string);
        index += 1;
      }
      out.push(`--${kebab(name)}`, values.join('\n'));
      continue;
    }
    out.push(token);
  }
  return out;
}

/** A whole, positive number from a flag, or a {@link ConfigError} naming the flag (an empty value is an error). */
export function parsePositiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError({ field: flag, message: 'expected a whole number above 0, got an empty value' });
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new ConfigError({ field: flag, message: `expected a whole number above 0, got "${value}"` });
  return number;
}

/** List values of a flag: given as several values, or comma-separated. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * `k=v` pairs (OpenCompass's `--model-kwargs`): values read like Python literals (numbers, True/False/None,
 * quoted strings), anything else as a string; snake_case keys become camelCase (`context_size` → `contextSize`).
 */
export function parseKeyValues(value: string | undefined, flag: string, options: { pythonKeys?: boolean } = {}): Record<string, unknown> | undefined {
  if (value === undefined || value === '') return undefined;
  const result: Record<string, unknown> = {};
  for (const pair of value.split('\n')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new ConfigError({ field: flag, message: `expected key=value, got "${pair}"` });
    const name = pair.slice(0, separator).trim();
    // Python keyword arguments (HuggingFace worker) keep their names; JSON values ([2, 92542]) are read as JSON.
    const key = options.pythonKeys ? name : name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    const text = pair.slice(separator + 1).trim();
    result[key] = options.pythonKeys && /^[[{]/.test(text) ? parseJson(text, flag) : parseLiteral(text);
  }
  return result;
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigError({ field: flag, message: `expected a JSON value, got "${text}"` });
  }
}

function parseLiteral(text: string): unknown {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  const words: Record<string, unknown> = { True: true, true: true, False: false, false: false, None: null };
  if (text in words) return words[text];
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  return quoted ? quoted[2] : text;
}

/** A number of seconds (0 or more) from a flag, or a {@link ConfigError} naming the flag (an empty value is an error). */
export function parseSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new ConfigError({ field: flag, message: `expected a number of seconds (0 or more), got ${value.trim() === '' ? 'an empty value' : `"${value}"`}` });
  return number;
}
