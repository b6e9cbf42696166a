import { compilePythonPattern } from './compile-python-pattern.js';

const compiledCache = new Map<string, RegExp>();

/**
 * OpenCompass's `match_answer_pattern(response_text, answer_pattern)`: one Python `re.search` of `answerPattern`
 * (Python syntax, no DOTALL) and its group 1, or `''` when nothing matches. The first match wins, not the last, and
 * the capture is returned as is (a lower-case letter matched under `(?i)` stays lower case).
 */
export function matchAnswerPattern(text: string, answerPattern: string): string {
  let pattern = compiledCache.get(answerPattern);
  if (pattern === undefined) {
    pattern = compilePythonPattern(answerPattern);
    compiledCache.set(answerPattern, pattern);
  }
  return pattern.exec(text)?.[1] ?? '';
}
