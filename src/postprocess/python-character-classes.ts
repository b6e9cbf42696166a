import { pythonWhitespaceClassBody } from './strip-python-whitespace.js';

/**
 * Python `re`'s Unicode classes on str patterns, as JavaScript character-class bodies (use with the `u` flag).
 * JavaScript's `\w`, `\d` and `\b` are ASCII-only even with `u`; Python's cover every script.
 *
 * - `\w`: characters for which `str.isalnum()` holds, plus `_` — Unicode letters (L*) and numbers (N*).
 * - `\d`: decimal digits (Nd).
 * - `\s`: {@link pythonWhitespaceClassBody}.
 */
export const pythonWordClassBody = '\\p{L}\\p{N}_';
export const pythonDigitClassBody = '\\p{Nd}';
export const pythonSpaceClassBody = pythonWhitespaceClassBody;

/** Python's `\b` before a word: not preceded by a word character. */
export const pythonWordStart = `(?<![${pythonWordClassBody}])`;
/** Python's `\b` after a word: not followed by a word character. */
export const pythonWordEnd = `(?![${pythonWordClassBody}])`;

const decimalDigit = /\p{Nd}/u;

/**
 * A decimal digit's value, as Python's `int()`/`float()` read any Nd digit: Unicode lays decimal digits out in runs
 * of ten starting at zero, so the value is the distance from the run's start modulo 10.
 */
function digitValue(character: string): number {
  let codePoint = character.codePointAt(0) as number;
  let offset = 0;
  while (decimalDigit.test(String.fromCodePoint(codePoint - 1))) {
    codePoint -= 1;
    offset += 1;
  }
  return offset % 10;
}

/** `text` with every Unicode decimal digit replaced by its ASCII digit (for numeric conversion). */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => (digit >= '0' && digit <= '9' ? digit : String(digitValue(digit))));
}

const pythonIntPattern = new RegExp(`^[${pythonSpaceClassBody}]*([+-]?\\p{Nd}+(?:_\\p{Nd}+)*)[${pythonSpaceClassBody}]*$`, 'u');
const digits = '\\p{Nd}+(?:_\\p{Nd}+)*';
const pythonFloatPattern = new RegExp(
  `^[${pythonSpaceClassBody}]*([+-]?(?:(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:e[+-]?${digits})?|inf|infinity|nan))[${pythonSpaceClassBody}]*$`,
  'iu',
);

/** Python's `int(text)` for a str: the value, or `undefined` where Python raises `ValueError`. */
export function pythonInt(text: string): number | undefined {
  const match = pythonIntPattern.exec(text);
  if (!match) return undefined;
  return Number(asciiDigits((match[1] as string).replaceAll('_', '')));
}

/** Python's `float(text)` for a str: the value, or `undefined` where Python raises `ValueError`. */
export function pythonFloat(text: string): number | undefined {
  const match = pythonFloatPattern.exec(text);
  if (!match) return undefined;
  const literal = asciiDigits((match[1] as string).replaceAll('_', '')).toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(literal)) return literal.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(literal)) return Number.NaN;
  return Number(literal);
}
