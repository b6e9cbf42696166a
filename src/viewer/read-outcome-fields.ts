/** The fields of a sample record that decide its outcome. */
export interface OutcomeFields {
  readonly index: number;
  readonly prediction: string;
  readonly gold: string;
  readonly error?: string;
}

const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;
const digitZero = 0x30;
const openers = new Set([0x7b, 0x5b]);
const closers = new Set([0x7d, 0x5d]);
const stringFields = new Set(['key', 'prediction', 'gold', 'error']);

/** Position of the quote closing the JSON string opened at `open`, or -1. (UTF-8 never puts `"` or `\` inside a character.) */
function stringEnd(buffer: Buffer, open: number): number {
  let at = open + 1;
  for (;;) {
    const next = buffer.indexOf(quote, at);
    if (next === -1) return -1;
    let backslashes = 0;
    for (let back = next - 1; buffer[back] === backslash; back -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return next;
    at = next + 1;
  }
}

function parseString(json: string): string | undefined {
  try {
    return JSON.parse(json) as string;
  } catch {
    return undefined;
  }
}

function readIndex(buffer: Buffer, start: number, end: number): number | undefined {
  let value = 0;
  let at = start;
  for (; at < end && at - start < 16; at += 1) {
    const digit = (buffer[at] as number) - digitZero;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return at > start ? value : undefined;
}

/**
 * Read `index`, `key`, `prediction`, `gold` and `error` of a compact JSON record line (exactly the line's bytes) (as `JSON.stringify` writes
 * it) from its bytes, without decoding or parsing the rest: strings are skipped by jumping from quote to quote, so
 * a long prompt costs a few `indexOf` calls. Only top-level keys count. Returns `undefined` for anything it is not
 * sure of (whitespace between tokens, a non-string field, unbalanced brackets, a torn line): parse those in full.
 */
export function readOutcomeFields(line: Buffer): OutcomeFields | undefined {
  const buffer = line;
  const end = line.length;
  if (buffer[0] !== 0x7b) return undefined;
  let depth = 0;
  let at = 0;
  let index: number | undefined;
  const strings = new Map<string, string | true>();
  while (at < end) {
    const byte = buffer[at] as number;
    if (byte === quote) {
      const close = stringEnd(buffer, at);
      if (close === -1) return undefined;
      if (depth !== 1 || buffer[close + 1] !== colon) {
        at = close + 1;
        continue;
      }
      const name = buffer.toString('latin1', at + 1, close);
      const valueStart = close + 2;
      if (name === 'index') {
        index = readIndex(buffer, valueStart, end);
        at = valueStart;
      } else if (stringFields.has(name)) {
        if (buffer[valueStart] !== quote) return undefined;
        const valueEnd = stringEnd(buffer, valueStart);
        if (valueEnd === -1) return undefined;
        const value = name === 'key' ? true : parseString(buffer.toString('utf8', valueStart, valueEnd + 1));
        if (value === undefined) return undefined;
        strings.set(name, value);
        at = valueEnd + 1;
      } else at = valueStart;
      continue;
    }
    if (openers.has(byte)) depth += 1;
    else if (closers.has(byte)) {
      depth -= 1;
      if (depth < 0 || (depth === 0 && at !== end - 1)) return undefined;
    }
    at += 1;
  }
  const prediction = strings.get('prediction');
  const gold = strings.get('gold') ?? '';
  const error = strings.get('error');
  if (depth !== 0 || index === undefined || !strings.has('key') || typeof prediction !== 'string' || typeof gold !== 'string' || error === true)
    return undefined;
  return { index, prediction, gold, ...(error !== undefined ? { error } : {}) };
}
