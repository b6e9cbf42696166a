import { pythonDigitClassBody, pythonWordClassBody } from './python-character-classes.js';
import { stripPythonWhitespace } from './strip-python-whitespace.js';

/**
 * AGIEval's answer parsing and Hendrycks MATH's `is_equiv`, as OpenCompass's `AGIEvalEvaluator` uses them for the
 * cloze sets (`gaokao-mathcloze`, `math`). Behaviour is reproduced including the places where Python raises: an
 * exception inside `_strip_string` makes `is_equiv` compare the raw strings, so the ports throw where Python does.
 */

const fewShotPrefixes = ['The answer is therefore', '答案是'] as const;

function removeFewShotPrefix(text: string): string {
  let result = text;
  for (const prefix of fewShotPrefixes) {
    if (result.startsWith(prefix)) result = stripPythonWhitespace(result.slice(prefix.length));
    else if (result.includes(prefix)) result = stripPythonWhitespace(result.slice(result.lastIndexOf(prefix) + prefix.length));
  }
  return result;
}

/** The last `\boxed…`/`\fbox…` group with its braces matched, or `undefined` (`last_boxed_only_string`). */
export function lastBoxedOnlyString(text: string): string | undefined {
  let start = text.lastIndexOf('\\boxed');
  if (start < 0) start = text.lastIndexOf('\\fbox');
  if (start < 0) return undefined;
  let open = 0;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (character === '{') open += 1;
    if (character === '}') {
      open -= 1;
      if (open === 0) return text.slice(start, index + 1);
    }
  }
  return undefined;
}

function removeBoxed(boxed: string | undefined): string | undefined {
  const left = '\\boxed{';
  if (boxed === undefined || !boxed.startsWith(left) || !boxed.endsWith('}')) return undefined;
  const answer = boxed.slice(left.length, -1);
  return answer.includes('=') ? (answer.split('=').at(-1) as string).replace(/^ +/u, '') : answer;
}

// Python's `.` without DOTALL excludes only `\n`.
const dollarPattern = /\$([^\n]*)\$/gu;
const bareNumberPattern = new RegExp(`(?:\\$)?[${pythonDigitClassBody}]+(?:\\.[${pythonDigitClassBody}]+)?(?![${pythonWordClassBody}])`, 'gu');

function answerWithDollarSign(text: string): string | undefined {
  const matches = [...text.matchAll(dollarPattern)];
  if (matches.length === 0) return undefined;
  const last = (matches.at(-1) as RegExpMatchArray)[1] as string;
  return last.includes('=') ? (last.split('=').at(-1) as string).replace(/^ +/u, '') : last;
}

function answerWithoutDollarSign(text: string): string | undefined {
  if (text.includes('=')) {
    const last = (text.split('=').at(-1) as string).replace(/^ +/u, '').replace(/\.+$/u, '');
    return last.includes('\\n') ? (last.split('\\n')[0] as string) : last;
  }
  const matches = text.match(bareNumberPattern);
  return matches === null ? undefined : (matches.at(-1) as string);
}

/**
 * AGIEval's `parse_math_answer` with an empty setting name: after the few-shot prefixes, the last `\boxed{…}`
 * (after its last `=`), else the last `$…$` (after its last `=`), else what follows the last `=` or the last
 * number. `undefined` is Python's `None`.
 */
export function parseMathAnswer(text: string): string | undefined {
  const answerText = removeFewShotPrefix(text);
  if (answerText.includes('\\boxed')) return removeBoxed(lastBoxedOnlyString(answerText));
  const withDollar = answerWithDollarSign(answerText);
  return withDollar ? withDollar : answerWithoutDollarSign(answerText);
}

/** Python's `s[i]` on a str: raises on an index past the end. */
function characterAt(text: string, index: number): string {
  const character = [...text][index];
  if (character === undefined) throw new RangeError('string index out of range');
  return character;
}

function fixFractions(text: string): string {
  const pieces = text.split('\\frac');
  let result = pieces[0] as string;
  for (const piece of pieces.slice(1)) {
    result += '\\frac';
    if (characterAt(piece, 0) === '{') {
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

// Python converts both sides with int() and asserts the text equals their canonical form, so only canonical
// ASCII integers (no sign on 0, no leading zeros, no spaces) pass.
const canonicalInteger = /^(?:0|-?[1-9][0-9]*)$/u;

function fixSlashFraction(text: string): string {
  const pieces = text.split('/');
  if (pieces.length !== 2) return text;
  const [numerator, denominator] = pieces as [string, string];
  if (!canonicalInteger.test(numerator) || !canonicalInteger.test(denominator)) return text;
  return `\\frac{${numerator}}{${denominator}}`;
}

function removeRightUnits(text: string): string {
  if (!text.includes('\\text{ ')) return text;
  const pieces = text.split('\\text{ ');
  if (pieces.length !== 2) throw new RangeError('more than one "\\text{ " unit');
  return pieces[0] as string;
}

function fixSquareRoots(text: string): string {
  if (!text.includes('\\sqrt')) return text;
  const pieces = text.split('\\sqrt');
  let result = pieces[0] as string;
  for (const piece of pieces.slice(1)) {
    const first = characterAt(piece, 0);
    result += first !== '{' ? `\\sqrt{${first}}${[...piece].slice(1).join('')}` : `\\sqrt${piece}`;
  }
  return result;
}

/** Hendrycks MATH's `_strip_string`; throws where the Python original raises. */
export function stripMathString(input: string): string {
  let text = input.replaceAll('\n', '').replaceAll('\\!', '').replaceAll('\\\\', '\\');
  text = text.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  text = text.replaceAll('\\left', '').replaceAll('\\right', '');
  text = text.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  text = text.replaceAll('\\$', '');
  text = removeRightUnits(text);
  text = text.replaceAll('\\%', '');
  text = text.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (text.length === 0) return text;
  if (text.startsWith('.')) text = `0${text}`;
  const sides = text.split('=');
  if (sides.length === 2 && [...(sides[0] as string)].length <= 2) text = sides[1] as string;
  text = fixSquareRoots(text);
  text = text.replaceAll(' ', '');
  text = fixFractions(text);
  if (text === '0.5') text = '\\frac{1}{2}';
  return fixSlashFraction(text);
}

/** Hendrycks MATH's `is_equiv`: equal after `_strip_string`, or equal as raw strings when stripping raises. */
export function isMathEquivalent(first: string | undefined, second: string | undefined): boolean {
  if (first === undefined && second === undefined) return true;
  if (first === undefined || second === undefined) return false;
  try {
    return stripMathString(first) === stripMathString(second);
  } catch {
    return first === second;
  }
}
