/**
 * Python's `repr()` of a JSON-like value, as OpenCompass prints results in the "raw format" block
 * (`ceval-computer_network: {'accuracy': 47.368421052631575}`).
 *
 * - Objects and `Map`s are dicts: `{'a': 1.0, 'b': 'x'}`, keys in insertion order. JS objects list integer-like keys
 *   (`"0"`, `"12"`) first whatever the insertion order; pass a `Map` when that matters.
 * - Arrays are lists: `[1.0, None]`.
 * - Every `number` is a Python float (`47.0`, `1e-05`, `1e+16`, `nan`, `inf`, `-0.0`), because JSON numbers do not
 *   say whether they were ints and OpenCompass metrics are floats. A `bigint` is a Python int (`47`).
 * - Strings use single quotes, or double quotes when the text has a `'` and no `"`; backslashes, the chosen quote,
 *   `\n`, `\r`, `\t` and non-printable characters are escaped as Python does (`\x00`, `\xa0`, `\u3000`,
 *   `\U000e0001`). Printable non-ASCII, such as Chinese text, stays as it is.
 * - `true`/`false`/`null` are `True`/`False`/`None`.
 *
 * @throws {TypeError} for values Python JSON cannot hold (undefined, functions, symbols).
 */
export function pythonRepr(value: unknown): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pythonFloatRepr(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonStringRepr(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item: unknown) => pythonRepr(item)).join(', ')}]`;
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
      return `{${entries.map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
    }
    default:
      throw new TypeError(`pythonRepr: cannot represent a value of type ${typeof value}`);
  }
}

/**
 * `repr(float)`: the shortest digits that round-trip (the same digits JS picks), in fixed notation with at least
 * one decimal (`100.0`) when the decimal exponent is in [-4, 16), otherwise `d.ddde±XX`.
 */
function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}inf`;
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits.slice(0, 1)}${fraction}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${integerPart}.${digits.slice(exponent + 1) || '0'}`;
}

// Python's str.isprintable() is false for these categories, except the ASCII space.
const nonPrintablePattern = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  // for...of walks code points; an unpaired surrogate comes through on its own and is escaped like Python's.
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (codePoint < 0x20 || codePoint === 0x7f) out += `\\x${hex(codePoint, 2)}`;
    else if (codePoint < 0x7f || !nonPrintablePattern.test(char)) out += char;
    else if (codePoint <= 0xff) out += `\\x${hex(codePoint, 2)}`;
    else if (codePoint <= 0xffff) out += `\\u${hex(codePoint, 4)}`;
    else out += `\\U${hex(codePoint, 8)}`;
  }
  return out + quote;
}

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}
