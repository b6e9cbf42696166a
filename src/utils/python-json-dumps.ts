/**
 * Python's `json.dumps(value, sort_keys=True)` with its defaults: separators `", "` and `": "`, and
 * `ensure_ascii=True` (every non-ASCII UTF-16 code unit written as a lowercase `\uXXXX` escape). OpenCompass
 * hashes dataset configs in this form, so the bytes must match exactly.
 *
 * Numbers: integers print as integers; other numbers are not needed by any hashed config and are rejected.
 */
export type PythonJsonValue = string | number | boolean | null | readonly PythonJsonValue[] | { readonly [key: string]: PythonJsonValue };

export function pythonJsonDumps(value: PythonJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`pythonJsonDumps: only integers are supported, got ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quoteAscii(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item)).join(', ')}]`;
  const record = value as { readonly [key: string]: PythonJsonValue };
  // Python sorts keys by code point; JS default sort compares UTF-16 units, identical for the BMP keys we hash.
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${quoteAscii(key)}: ${pythonJsonDumps(record[key] as PythonJsonValue)}`).join(', ')}}`;
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quoteAscii(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    const code = text.charCodeAt(index);
    const short = shortEscapes[char];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
