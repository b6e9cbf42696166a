import { compilePythonPattern } from './compile-python-pattern.js';
import { pythonWordClassBody } from './python-character-classes.js';
import { lstripPythonWhitespace, stripPythonWhitespace } from './strip-python-whitespace.js';

const fence = '```';
const fencedBlock = new RegExp(`${fence}[${pythonWordClassBody}]*\\n(.*?)${fence}`, 'su');

/**
 * OpenCompass's `humaneval_postprocess_v2`: the first fenced code block's content (three backticks, an optional
 * language word, a newline, …, three backticks), else the whole text; then leading whitespace removed (Python
 * `lstrip()`), which also takes the first line's indentation.
 */
export function humanevalPostprocessV2(text: string): string {
  const block = fencedBlock.exec(text);
  const code = block ? (block[1] as string) : text;
  return lstripPythonWhitespace(code);
}

/** `MBPPEvaluator._process_answer`'s patterns, in order (DOTALL; the first that matches gives group 1). */
const mbppPatterns = [
  String.raw`\[BEGIN\]\s*'(.*)'\s*\[DONE\]`,
  String.raw`BEGIN\s*'(.*)'\s*\[DONE\]`,
  String.raw`\[BEGIN\]\s*'(.*)'\s*DONE`,
  String.raw`BEGIN\s*'(.*)'\s*DONE`,
  String.raw`\[BEGIN\]\s*'(.*)\s*\[DONE\]`,
  String.raw`BEGIN\s*'(.*)\s*\[DONE\]`,
  String.raw`\[BEGIN\]\s*'(.*)\s*DONE`,
  String.raw`BEGIN\s*'(.*)\s*DONE`,
  String.raw`\[BEGIN\]\s*(.*)\s*\[DONE\]`,
  String.raw`BEGIN\s*(.*)\s*\[DONE\]`,
  String.raw`\[BEGIN\]\s*(.*)\s*DONE`,
  String.raw`BEGIN\s*(.*)\s*DONE`,
  String.raw`${fence}python\s*(.*)\s*${fence}`,
  String.raw`${fence}\s*(.*)\s*${fence}`,
  String.raw`${fence}python\s*(.*)\s*$`,
  String.raw`${fence}\s*(.*)\s*$`,
  String.raw`(.*)\s*${fence}.*`,
  String.raw`\[BEGIN\]\s*'(.*)`,
  String.raw`\[BEGIN\](.*)`,
  String.raw`'(.*)'\s*\[DONE\]`,
].map((pattern) => compilePythonPattern(pattern, { dotAll: true }));

const donePattern = compilePythonPattern(String.raw`'?\s*\[?DONE\]?`);

/**
 * `MBPPEvaluator._process_answer`: the code between the `[BEGIN]`/`[DONE]` markers (or in a fence), cut before
 * the first triple backtick and before `DONE`, with `\_` turned into `_`, stripped.
 */
export function mbppProcessAnswer(text: string): string {
  let answer = text;
  for (const pattern of mbppPatterns) {
    const match = pattern.exec(answer);
    if (match) {
      answer = match[1] ?? '';
      break;
    }
  }
  answer = answer.split('```')[0] as string;
  answer = answer.split(donePattern)[0] as string;
  return stripPythonWhitespace(answer.replaceAll('\\_', '_'));
}
