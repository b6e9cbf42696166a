/**
 * The characters Python counts as whitespace in `str.isspace()`, `str.strip()` and `re`'s `\s` on str patterns,
 * written as the body of a JavaScript character class (use with the `u` flag).
 *
 * JavaScript's `\s` and `String.prototype.trim` differ: they include U+FEFF, which Python does not, and they
 * leave out U+001C–U+001F and U+0085, which Python includes.
 */
export const pythonWhitespaceClassBody = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const edgeWhitespace = new RegExp(`^[${pythonWhitespaceClassBody}]+|[${pythonWhitespaceClassBody}]+$`, 'gu');

/** Python's `str.strip()` with no arguments: removes leading and trailing Python whitespace. */
export function stripPythonWhitespace(text: string): string {
  return text.replace(edgeWhitespace, '');
}

const leadingWhitespace = new RegExp(`^[${pythonWhitespaceClassBody}]+`, 'u');

/** Python's `str.lstrip()` with no arguments: removes leading Python whitespace. */
export function lstripPythonWhitespace(text: string): string {
  return text.replace(leadingWhitespace, '');
}
