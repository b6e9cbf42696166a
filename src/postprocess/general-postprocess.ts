import { pythonSpaceClassBody, pythonWordClassBody, pythonWordEnd, pythonWordStart } from './python-character-classes.js';
import { stripPythonWhitespace } from './strip-python-whitespace.js';

const firstPiece = /[\n.,]/u;
const punctuation = new RegExp(`[^${pythonWordClassBody}${pythonSpaceClassBody}]`, 'gu');
const articles = new RegExp(`${pythonWordStart}(?:a|an|the)${pythonWordEnd}`, 'giu');
const whitespaceRuns = new RegExp(`[${pythonSpaceClassBody}]+`, 'gu');

/**
 * OpenCompass's `general_postprocess` (NQ, TriviaQA): the text before the first `\n`, `.` or `,`; every character
 * that is neither a word character nor whitespace (Python's Unicode `[^\w\s]`) deleted; the words a/an/the deleted
 * (case-insensitive, Unicode word boundaries); whitespace runs collapsed to one space; stripped.
 */
export function generalPostprocess(text: string): string {
  const truncated = text.split(firstPiece, 1)[0] ?? '';
  const withoutPunctuation = truncated.replace(punctuation, '');
  const withoutArticles = withoutPunctuation.replace(articles, '');
  return stripPythonWhitespace(withoutArticles.replace(whitespaceRuns, ' '));
}
