import { pythonDigitClassBody, pythonSpaceClassBody, pythonWordEnd } from './python-character-classes.js';
import { stripPythonWhitespace } from './strip-python-whitespace.js';

const parenthesisedCapital = /\(([A-Z])\)*/u;
const anyCapital = /([A-Z])/u;

/**
 * OpenCompass's `bbh_mcq_postprocess`, applied to predictions and references of BBH's multiple-choice tasks: the
 * piece after the first `answer is ` (up to the next one), stripped; then the capital of the first `(X`; else the
 * first capital A–Z; else the text unchanged.
 */
export function bbhMcqPostprocess(text: string): string {
  let answer = text;
  const pieces = answer.split('answer is ');
  if (pieces.length !== 1) answer = stripPythonWhitespace(pieces[1] as string);
  const parenthesised = parenthesisedCapital.exec(answer);
  if (parenthesised) return parenthesised[1] as string;
  const capital = anyCapital.exec(answer);
  if (capital) return capital[1] as string;
  return answer;
}

const answerIs = new RegExp(`answer is[${pythonSpaceClassBody}]*:?[${pythonSpaceClassBody}]*`, 'iu');
const bold = /\*\*(.*?)\*\*/u;
const yesNo = new RegExp(`^(yes|no)${pythonWordEnd}`, 'iu');
const trueFalse = new RegExp(`^(true|false)${pythonWordEnd}`, 'iu');
const digitCommaDigit = new RegExp(`[${pythonDigitClassBody}][${pythonSpaceClassBody}]*,[${pythonSpaceClassBody}]*[${pythonDigitClassBody}]`, 'u');
const spacedComma = new RegExp(`[${pythonSpaceClassBody}]*,[${pythonSpaceClassBody}]*`, 'gu');
const whitespaceRuns = new RegExp(`[${pythonSpaceClassBody}]+`, 'gu');

/**
 * The free-form BBH normaliser of OpenCompass's `BBHEvaluator` at HEAD (PR #2548), applied to predictions and
 * references alike: the last piece after `answer is[:]` (case-insensitive), its first line without one trailing
 * `.`, the content of a `**bold**` span if any, `Yes`/`No` and `True`/`False` canonicalised at the start, commas
 * turned into spaces unless the text has a digit-comma-digit, whitespace collapsed.
 */
export function bbhFreeformNormalize(text: string): string {
  let answer = stripPythonWhitespace(text.split(new RegExp(answerIs.source, 'giu')).at(-1) as string);
  answer = stripPythonWhitespace(answer.split('\n')[0] as string);
  if (answer.endsWith('.')) answer = stripPythonWhitespace(answer.slice(0, -1));
  const boldMatch = bold.exec(answer);
  if (boldMatch) answer = stripPythonWhitespace(boldMatch[1] as string);
  const yesNoMatch = yesNo.exec(answer);
  if (yesNoMatch) return (yesNoMatch[1] as string).toLowerCase() === 'yes' ? 'Yes' : 'No';
  const trueFalseMatch = trueFalse.exec(answer);
  if (trueFalseMatch) return (trueFalseMatch[1] as string).toLowerCase() === 'true' ? 'True' : 'False';
  if (!digitCommaDigit.test(answer)) answer = answer.replace(spacedComma, ' ');
  return stripPythonWhitespace(answer.replace(whitespaceRuns, ' '));
}

/**
 * Python's `str.casefold()`, as closely as JavaScript allows: upper-casing first folds `ß`→`SS`, `ς`→`Σ`, `ſ`→`S`
 * and the other one-to-many and final forms, then lower-casing gives the folded form for every cased script
 * BBH's answers use.
 */
export function pythonCasefold(text: string): string {
  return text.toUpperCase().toLowerCase();
}
