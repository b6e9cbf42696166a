import { lastBoxedOnlyString } from './agieval-math-answer.js';

/**
 * OpenCompass's `math_postprocess_v2` and `normalize_final_answer` (`opencompass/datasets/math.py`), the
 * prediction side of the legacy MATH judge (reference Appendix B). Ported step by step, quirks included.
 */

/** `remove_boxed`: the text between `\boxed{` and the final `}`, or `undefined` when not of that form (`\fbox`). */
export function removeBoxed(boxed: string | undefined): string | undefined {
  const left = '\\boxed{';
  if (boxed === undefined || !boxed.startsWith(left) || !boxed.endsWith('}')) return undefined;
  return boxed.slice(left.length, -1);
}

/**
 * `extract_boxed_answer`: the last `\boxed{…}`'s content; with `stripDoubleCurlyBrace`, an answer wholly wrapped in
 * one more `{…}` (Python's `^\{(.*)\}$`, no DOTALL) loses that pair.
 */
export function extractBoxedAnswer(text: string, options: { stripDoubleCurlyBrace?: boolean } = {}): string | undefined {
  const answer = removeBoxed(lastBoxedOnlyString(text));
  if (answer === undefined || !options.stripDoubleCurlyBrace) return answer;
  const match = /^\{([^\n]*)\}$/u.exec(answer);
  return match ? (match[1] as string) : answer;
}

const substitutions: ReadonlyArray<readonly [string, string]> = [
  ['an ', ''],
  ['a ', ''],
  ['.$', '$'],
  ['\\$', ''],
  ['\\ ', ''],
  [' ', ''],
  ['mbox', 'text'],
  [',\\text{and}', ','],
  ['\\text{and}', ','],
  ['\\text{m}', '\\text{}'],
  ['\\le', '<'],
];

const removedExpressions: readonly string[] = [
  'square',
  'ways',
  'integers',
  'dollars',
  'mph',
  'inches',
  'ft',
  'hours',
  'km',
  'units',
  '\\ldots',
  'sue',
  'points',
  'feet',
  'minutes',
  'digits',
  'cents',
  'degrees',
  'cm',
  'gm',
  'pounds',
  'meters',
  'meals',
  'edges',
  'students',
  'childrentickets',
  'multiples',
  '\\text{s}',
  '\\text{.}',
  '\\text{\ns}',
  '\\text{}^2',
  '\\text{}^3',
  '\\text{\n}',
  '\\text{}',
  '\\mathrm{th}',
  '^\\circ',
  '^{\\circ}',
  '\\;',
  ',\\!',
  '{,}',
  '"',
  '\\dots',
  '\n',
  '\r',
  '\f',
];

function lastCapture(text: string, pattern: RegExp): string | undefined {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 0 ? undefined : ((matches.at(-1) as RegExpMatchArray)[1] as string);
}

/** Python's `str.isdigit()` on a non-empty string (Unicode decimal digits; superscripts are not covered). */
function isDigits(text: string): boolean {
  return /^\p{Nd}+$/u.test(text);
}

/** `normalize_final_answer`: substitutions, removed unit words, unwrapped `\text{}`/`\boxed{}`, shorthand fixes. */
export function normalizeFinalAnswer(input: string): string {
  let answer = input;
  for (const [before, after] of substitutions) answer = answer.replaceAll(before, after);
  for (const expression of removedExpressions) answer = answer.replaceAll(expression, '');
  // Python's `.` (no DOTALL) stops at `\n`; newlines were removed above.
  answer = answer.replace(/(\\text\{)\((.*?)\)(\})/gu, '$2');
  answer = answer.replace(/(\\text\{)(.*?)(\})/gu, '$2');
  answer = answer.replace(/(\\textbf\{)(.*?)(\})/gu, '$2');
  answer = answer.replace(/(\\overline\{)(.*?)(\})/gu, '$2');
  answer = answer.replace(/(\\boxed\{)(.*)(\})/gu, '$2');
  answer = lastCapture(answer, /finalansweris(.*)/gu) ?? answer;
  answer = lastCapture(answer, /answer?is:?(.*)/gu) ?? answer;
  answer = lastCapture(answer, /oxed\{(.*?)\}/gu) ?? answer;
  answer = lastCapture(answer, /\$(.*?)\$/gu) ?? answer;
  answer = answer.trim();
  if (answer.includes('rac') && !answer.includes('\\frac')) answer = answer.replaceAll('rac', '\\frac');
  answer = answer.replace(/(frac)([^{])(.)/gu, 'frac{$2}{$3}');
  answer = answer.replace(/(sqrt)([^{])/gu, 'sqrt{$2}');
  answer = answer.replaceAll('$', '');
  if (isDigits(answer.replaceAll(',', ''))) answer = answer.replaceAll(',', '');
  return answer;
}

/**
 * `math_postprocess_v2`: the last `\boxed{…}` (one extra brace pair unwrapped) as it is; else the first
 * `.`-separated piece that mentions "final answer" or "answer is", else the first piece, normalised.
 */
export function mathPostprocessV2(text: string): string {
  const boxed = extractBoxedAnswer(text, { stripDoubleCurlyBrace: true });
  if (boxed) return boxed;
  const pieces = text.split('.');
  const mentioned = pieces.find((piece) => /final answer|answer is/u.test(piece.toLowerCase()));
  return normalizeFinalAnswer(mentioned ?? (pieces[0] as string));
}
