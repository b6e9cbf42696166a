import { pythonWordClassBody } from './python-character-classes.js';
import { pythonWhitespaceClassBody } from './strip-python-whitespace.js';

/** How the pattern is searched, as Python `re` flags. */
export interface CompilePythonPatternOptions {
  /** Python `re.DOTALL`: `.` also matches `\n`. @default false */
  dotAll?: boolean;
}

const syntaxCharacters = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const quantifierBraces = /^\{(?:\d+(?:,\d*)?|,\d+)\}/;

/**
 * Compiles a Python `re` pattern (str pattern, no MULTILINE) into a JavaScript `RegExp` that matches the same
 * strings, for the subset of syntax OpenCompass's answer extractors use. Anything outside the subset throws
 * rather than being translated approximately.
 *
 * Translations (the result always has the `u` flag, so `.` and classes work on code points as in Python):
 * - a leading `(?i)` becomes the `i` flag;
 * - `\s` / `\S` become Python's whitespace set and its complement (not JavaScript's `\s`);
 * - `\w` becomes Python's Unicode word set `[\p{L}\p{N}_]` (CJK characters and `ö` are word characters; JavaScript's
 *   `\w` is ASCII-only), `\W` its complement; `\W` inside a class only as the class's sole content (`[\W]`);
 * - `$` outside a class matches at the end or before a final `\n`, as Python's `$` does without MULTILINE;
 * - `$` inside a class stays a literal `$`; `^` outside a class is start of string in both languages;
 * - `{` and `}` that do not form a quantifier are literals in Python and are escaped;
 * - `(?:` groups and escaped syntax characters (`\.`, `\(`, `\*`, …) pass through.
 *
 * Not supported (throws): `\d`, `\b` and other escapes, `\S` inside a class, `\W` next to other class members,
 * `{m,n}` quantifiers, other `(?…)` constructs.
 */
export function compilePythonPattern(pattern: string, options: CompilePythonPatternOptions = {}): RegExp {
  let flags = options.dotAll ? 'su' : 'u';
  let position = 0;
  if (pattern.startsWith('(?i)')) {
    flags += 'i';
    position = 4;
  }
  let source = '';
  let inClass = false;
  let classContentStart = -1;
  while (position < pattern.length) {
    const character = pattern[position] as string;
    if (character === '\\') {
      source += translateEscape(pattern, position, inClass);
      position += 2;
      continue;
    }
    if (inClass) {
      if (character === ']' && position !== classContentStart) {
        inClass = false;
        source += ']';
      } else if (character === '^' && position === classContentStart) {
        source += '^';
        classContentStart += 1;
      } else {
        // A `]` first in a Python class is a literal; `[` and `$` inside a class are literals too.
        source += character === ']' || character === '[' || character === '$' ? `\\${character}` : character;
      }
      position += 1;
      continue;
    }
    switch (character) {
      case '[':
        if (pattern.startsWith('[\\W]', position) || pattern.startsWith('[^\\W]', position)) {
          const negated = pattern[position + 1] === '^';
          source += negated ? `[${pythonWordClassBody}]` : `[^${pythonWordClassBody}]`;
          position += negated ? 5 : 4;
          continue;
        }
        inClass = true;
        classContentStart = position + 1;
        source += '[';
        break;
      case '$':
        source += '(?=\\n?$)';
        break;
      case '{':
        if (quantifierBraces.test(pattern.slice(position))) {
          throw new Error(`compilePythonPattern: brace quantifiers are not supported in ${JSON.stringify(pattern)}`);
        }
        source += '\\{';
        break;
      case '}':
      case ']':
        source += `\\${character}`;
        break;
      case '(':
        if (pattern[position + 1] === '?' && pattern[position + 2] !== ':') {
          throw new Error(`compilePythonPattern: only (?: groups are supported in ${JSON.stringify(pattern)}`);
        }
        source += '(';
        break;
      default:
        source += character;
    }
    position += 1;
  }
  if (inClass) throw new Error(`compilePythonPattern: unterminated character class in ${JSON.stringify(pattern)}`);
  return new RegExp(source, flags);
}

function translateEscape(pattern: string, position: number, inClass: boolean): string {
  const escaped = pattern[position + 1];
  if (escaped === 's') return inClass ? pythonWhitespaceClassBody : `[${pythonWhitespaceClassBody}]`;
  if (escaped === 'S' && !inClass) return `[^${pythonWhitespaceClassBody}]`;
  if (escaped === 'w') return inClass ? pythonWordClassBody : `[${pythonWordClassBody}]`;
  if (escaped === 'W' && !inClass) return `[^${pythonWordClassBody}]`;
  if (escaped !== undefined && syntaxCharacters.has(escaped)) return `\\${escaped}`;
  throw new Error(`compilePythonPattern: unsupported escape \\${escaped ?? ''} at ${position} in ${JSON.stringify(pattern)}`);
}
