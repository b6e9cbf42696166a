import { normalizeFinalAnswer } from './math-postprocess-v2.js';
import { pythonWordClassBody } from './python-character-classes.js';

/**
 * OpenCompass's `MATHEvaluator(version='v2')` equivalence (`opencompass/datasets/math.py`, reference Appendix B):
 * `_strip_string_v2` on both sides, then `normalize_final_answer`, then raw equality. The one place v2 stripping
 * raises is `int()` in `_fix_a_slash_b` (its `except AssertionError` does not catch `ValueError`, e.g. `x/2`); the
 * port throws there too, so {@link legacyMathEquivalent} falls through to the next comparison as Python's does.
 */

function fixFractions(text: string): string {
  const pieces = text.split('\\frac');
  let result = pieces[0] as string;
  for (const piece of pieces.slice(1)) {
    result += '\\frac';
    if (piece.length > 0 && piece[0] === '{') {
      result += piece;
      continue;
    }
    const characters = [...piece];
    if (characters.length < 2) return text;
    const [numerator, second] = characters as [string, string];
    const rest = characters.slice(2).join('');
    result += second !== '{' ? `{${numerator}}{${second}}${rest}` : `{${numerator}}${second}${rest}`;
  }
  return result;
}

// Python's int() accepts an optional sign, ASCII digits and single underscores between digits (spaces are gone).
const pythonIntLiteral = /^[+-]?\d+(?:_\d+)*$/u;

/** `_fix_a_slash_b`: `int/int` in canonical form → `\frac{a}{b}`; a side `int()` rejects raises (ValueError). */
function fixSlashFraction(text: string): string {
  const pieces = text.split('/');
  if (pieces.length !== 2) return text;
  const [numerator, denominator] = pieces as [string, string];
  if (!pythonIntLiteral.test(numerator) || !pythonIntLiteral.test(denominator)) {
    throw new RangeError(`invalid literal for int(): ${JSON.stringify(numerator)} / ${JSON.stringify(denominator)}`);
  }
  const canonical = (literal: string) => String(BigInt(literal.replaceAll('_', '')));
  if (text !== `${canonical(numerator)}/${canonical(denominator)}`) return text;
  return `\\frac{${canonical(numerator)}}{${canonical(denominator)}}`;
}

const sqrtShorthand = new RegExp(`\\\\sqrt([${pythonWordClassBody}]+)`, 'gu');

/** `_strip_string_v2`, step by step. */
export function stripStringV2(input: string): string {
  let text = input.trim().replaceAll('\n', '').replace(/\.+$/u, '');
  text = text.replaceAll('\\!', '').replaceAll('\\ ', '');
  text = text.replaceAll('\\\\', '\\').replaceAll('\\\\', '\\');
  text = text.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  text = text.replaceAll('\\left', '').replaceAll('\\right', '');
  const withoutUnit = text.replace(/\\text\{.*?\}$/u, '').trim();
  if (withoutUnit !== '' && withoutUnit !== text) text = withoutUnit;
  text = text.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  text = text.replaceAll('\\$', '').replaceAll('$', '');
  text = text.replaceAll('\\text', '').replaceAll('x\\in', '');
  text = text.replaceAll('\\%', '').replaceAll('%', '');
  text = text.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  text = text.replaceAll('\\cdot', '');
  text = text.replaceAll('infinity', '\\infty');
  if (!text.includes('\\infty')) text = text.replaceAll('inf', '\\infty');
  text = text.replaceAll('+\\inity', '\\infty');
  text = text.replaceAll('and', '').replaceAll('\\mathbf', '');
  text = text.replace(/\\mbox\{.*?\}/gu, '');
  if (text.includes('j') && !text.includes('i')) text = text.replaceAll('j', 'i');
  text = text.replace(/(\d+)\.0+([^\d])/gu, '$1$2').replace(/(\d+)\.0+$/u, '$1');
  if (text.length === 0) return text;
  if (text.startsWith('.')) text = `0${text}`;
  const sides = text.split('=');
  if (sides.length === 2 && [...(sides[0] as string)].length <= 2) text = sides[1] as string;
  text = text.replace(sqrtShorthand, '\\sqrt{$1}');
  text = text.replaceAll(' ', '');
  text = fixFractions(text);
  return fixSlashFraction(text);
}

/**
 * `MATHEvaluator.is_equiv` (v2). `undefined` is Python's `None`: two `None`s are equal, one is not.
 */
export function legacyMathEquivalent(first: string | undefined, second: string | undefined): boolean {
  if (first === undefined && second === undefined) return true;
  if (first === undefined || second === undefined) return false;
  try {
    const stripped = [stripStringV2(first), stripStringV2(second)] as const;
    if (stripped[0] === stripped[1]) return true;
    if (normalizeFinalAnswer(stripped[0]) === normalizeFinalAnswer(stripped[1])) return true;
  } catch {
    // Python's `except Exception: pass`.
  }
  if (normalizeFinalAnswer(first) === normalizeFinalAnswer(second)) return true;
  return first === second;
}
