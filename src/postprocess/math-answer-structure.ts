/**
 * The string side of sextant's symbolic MATH judge: a final answer (LaTeX, as inside `\boxed{…}`) normalised the
 * way math-verify's `NormalizationConfig(basic_latex, units, equations, …)` and latex2sympy do, then split into its
 * structure (tuples, intervals, sets, matrices, unions, text) so that only the leaves need a CAS.
 */

/** A final answer's shape. Leaves are LaTeX expressions or plain text. */
export type MathAnswer =
  | { readonly kind: 'expression'; readonly latex: string }
  | { readonly kind: 'text'; readonly text: string }
  /** A tuple `(a, b, c)` or an interval `[a, b)`: ordered, brackets kept. */
  | { readonly kind: 'sequence'; readonly open: '(' | '['; readonly close: ')' | ']'; readonly items: readonly MathAnswer[] }
  /** `\{a, b\}`, a bare list `a, b`, or a `\pm` expansion: unordered. */
  | { readonly kind: 'set'; readonly items: readonly MathAnswer[] }
  /** Intervals joined by `\cup`: unordered. */
  | { readonly kind: 'union'; readonly items: readonly MathAnswer[] }
  | { readonly kind: 'matrix'; readonly rows: ReadonlyArray<readonly MathAnswer[]> };

const rowBreak = '\u0001';
const removedCommands = /\\(?:displaystyle|left|right|bigl|bigr|Bigl|Bigr|big|Big|!|,|;|:|qquad|quad)(?![a-zA-Z])/gu;
// Bare unit words after a number (`5 cm`); single letters (`m`, `g`) are left alone: `2m` may be an answer.
const unitWords =
  'cm|centimeters|meters|km|kilometers|mm|inch|inches|ft|feet|foot|yards|miles|mph|units|square units|sq units|degrees|degree|dollars|dollar|cents|cent|seconds|minutes|hours|days|pounds|ounces|gallons|liters|grams|kg'.split(
    '|',
  );
const trailingUnit = new RegExp(`^(.*?[\\d}a-zA-Z)])\\s*(?:${unitWords.map((word) => word.replace(' ', '\\s')).join('|')})(?:\\^\\{?[23]\\}?)?$`, 'u');

const variablePrefix = /^(?:\\?[a-zA-Z]+(?:_\{?[a-zA-Z0-9]+\}?)?)\s*=\s*([^=]+)$/u;

/** `x = 5` → `5` (one `=`, a variable on its left), as math-verify's `equations` normalisation. */
function withoutVariablePrefix(text: string): string {
  const equation = variablePrefix.exec(text);
  return equation ? (equation[1] as string).trim() : text;
}

/** Braces-aware: the index of the `}` closing the `{` at `open`, or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '{' && text[index - 1] !== '\\') depth += 1;
    else if (text[index] === '}' && text[index - 1] !== '\\') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Drop a trailing `\text{…}` unit (optionally squared/cubed) when something comes before it. */
function dropTrailingTextUnit(text: string): string {
  const match = /\\text\{[^{}]*\}(?:\^\{?[23]\}?)?$/u.exec(text);
  if (!match || match.index === 0) return text;
  const before = text.slice(0, match.index).trim();
  return before === '' ? text : before;
}

/** Replace `\text{X}` by `X` everywhere. */
function unwrapText(text: string): string {
  let result = text;
  for (let at = result.indexOf('\\text{'); at >= 0; at = result.indexOf('\\text{')) {
    const end = closingBrace(result, at + 5);
    if (end < 0) break;
    result = result.slice(0, at) + result.slice(at + 6, end) + result.slice(end + 1);
  }
  return result;
}

/**
 * Normalise one final answer: spacing and sizing commands, `\dfrac`/`\tfrac`, `\mbox`/`\mathrm`, degrees,
 * dollars, percent signs, `{,}` and thousands separators, trailing units, `x =`/`x \in` prefixes, and the
 * `\frac12`/`\sqrt2` shorthands. Returns plain text for a text answer (`\text{Evelyn}` → `Evelyn`).
 */
export function normalizeMathAnswer(input: string): string {
  let text = input.trim();
  text = text
    .replace(/^\$+|\$+$/gu, '')
    .replace(/^\\\[|\\\]$/gu, '')
    .replace(/^\\\(|\\\)$/gu, '');
  // A row break `\\` is set aside first, so that `\\ ` is not read as a spacing command.
  text = text
    .replaceAll('\\\\', rowBreak)
    .replaceAll('\n', ' ')
    .replace(removedCommands, ' ')
    .replaceAll('\\ ', ' ')
    .replaceAll('~', ' ')
    .replaceAll(rowBreak, '\\\\');
  text = text.replace(/\\[dt]frac/gu, '\\frac').replace(/\\(?:mbox|textrm|textnormal|mathrm|textit|textbf|mathbf|mathit)\{/gu, '\\text{');
  text = text.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\\degree|°/gu, '');
  text = text.replaceAll('\\$', '').replaceAll('$', '').replace(/\\?%/gu, '');
  text = text.replaceAll('{,}', '');
  text = text.replace(/\s+/gu, ' ').trim();
  text = dropTrailingTextUnit(text);
  text = unwrapText(text).trim();
  const unit = trailingUnit.exec(text);
  if (unit && /\d/u.test(unit[1] as string)) text = (unit[1] as string).trim();
  text = text.replace(/^[a-zA-Z]\s*\\in\s*/u, '');
  text = withoutVariablePrefix(text);
  if (/^[+-]?\d{1,3}(?:, ?\d{3})+(?:\.\d+)?$/u.test(text)) text = text.replace(/, ?/gu, '');
  text = text
    .replace(/\\frac\s*(\d)\s*(\d)/gu, '\\frac{$1}{$2}')
    .replace(/\\frac\s*(\d)\s*\{/gu, '\\frac{$1}{')
    .replace(/\\frac(\{[^{}]*\})\s*(\d)/gu, '\\frac$1{$2}');
  text = text.replace(/\\sqrt\s*(\d+|[a-zA-Z])/gu, '\\sqrt{$1}');
  return text.replace(/\s+/gu, ' ').trim();
}

/** Split at top-level occurrences of `separator` (outside `()`, `[]`, `{}`, `\{\}`). */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if ('([{'.includes(character)) depth += 1;
    else if (')]}'.includes(character)) depth -= 1;
    else if (depth === 0 && text.startsWith(separator, index)) {
      parts.push(text.slice(start, index));
      start = index + separator.length;
      index += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

/** Whether the bracket opening at 0 closes at the last character (any of `(`/`[` with `)`/`]`). */
function enclosedByOneBracketPair(text: string): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if ('([{'.includes(character)) depth += 1;
    else if (')]}'.includes(character)) {
      depth -= 1;
      if (depth === 0 && index < text.length - 1) return false;
    }
  }
  return depth === 0;
}

function expandPlusMinus(latex: string): MathAnswer {
  const at = latex.search(/\\(?:pm|mp)(?![a-zA-Z])/u);
  if (at < 0) return { kind: 'expression', latex };
  const rest = latex.slice(at + 3);
  return { kind: 'set', items: [`${latex.slice(0, at)}+${rest}`, `${latex.slice(0, at)}-${rest}`].map((part) => expandPlusMinus(part.trim())) };
}

function leaf(member: string): MathAnswer {
  // Members of a list may carry their own prefix: `x = 1, x = -2`.
  const text = withoutVariablePrefix(member);
  const choice = /^\(?([A-Z])\)$/u.exec(text);
  if (choice) return { kind: 'text', text: choice[1] as string };
  if (/^[A-Za-z]{2,}(?: [A-Za-z]+)*$/u.test(text)) return { kind: 'text', text };
  return expandPlusMinus(text);
}

function matrixRows(body: string): MathAnswer[][] {
  return splitTopLevel(body, '\\\\')
    .filter((row) => row !== '')
    .map((row) => splitTopLevel(row, '&').map((cell) => parseMathAnswer(cell)));
}

/** Members of a set that are themselves sets (a `\pm` expansion, `\{1 \pm \sqrt{5}, -2\}`) join it. */
function flattenSets(items: readonly MathAnswer[]): MathAnswer[] {
  return items.flatMap((item) => (item.kind === 'set' ? flattenSets(item.items) : [item]));
}

/** The structure of a normalised answer (see {@link normalizeMathAnswer}). */
export function parseMathAnswer(normalized: string): MathAnswer {
  const text = normalized.trim();
  const matrix = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}$/su.exec(text);
  if (matrix) return { kind: 'matrix', rows: matrixRows(matrix[2] as string) };
  const union = splitTopLevel(text, '\\cup');
  if (union.length > 1) return { kind: 'union', items: union.map(parseMathAnswer) };
  const set = /^\\\{(.*)\\\}$/su.exec(text);
  if (set) return { kind: 'set', items: flattenSets(splitTopLevel(set[1] as string, ',').map(parseMathAnswer)) };
  const first = text[0];
  const last = text.at(-1);
  if ((first === '(' || first === '[') && (last === ')' || last === ']') && enclosedByOneBracketPair(text)) {
    const items = splitTopLevel(text.slice(1, -1), ',');
    if (items.length > 1) return { kind: 'sequence', open: first, close: last, items: items.map(parseMathAnswer) };
  }
  const list = splitTopLevel(text, ',');
  if (list.length > 1) return { kind: 'set', items: flattenSets(list.map(parseMathAnswer)) };
  return leaf(text);
}
