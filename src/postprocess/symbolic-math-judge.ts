import type { ComputeEngine } from '@cortex-js/compute-engine';
import { lastBoxedOnlyString } from './agieval-math-answer.js';
import { normalizeMathAnswer, parseMathAnswer, type MathAnswer } from './math-answer-structure.js';

/** The CAS's expression type (the package exports its class, not this interface, from its entry point). */
type BoxedExpression = ReturnType<ComputeEngine['parse']>;

/**
 * sextant's symbolic MATH judge, modelled on HuggingFace math-verify as OpenCompass's `MATHVerifyEvaluator` calls
 * it (reference 9.2): take the final answer (the last `\boxed{…}`/`\fbox{…}`), normalise it, split it into its
 * structure, and compare leaf by leaf: equal text, then symbolic identity in the Compute Engine CAS, then numeric
 * agreement (absolute 1e-6, math-verify's 6-digit rounding), with free variables evaluated at fixed points.
 */
export interface SymbolicMathJudge {
  /** The prediction's final answer, or `undefined` when it has none (it is then wrong). */
  extract(prediction: string): string | undefined;
  /** Whether two final answers (LaTeX) are mathematically equivalent. Never throws. */
  equivalent(first: string, second: string): boolean;
}

/** The content of the last `\boxed{…}` or `\fbox{…}` (braces matched), or `undefined`. */
export function lastBoxedAnswer(text: string): string | undefined {
  const boxed = lastBoxedOnlyString(text);
  if (boxed === undefined) return undefined;
  const open = boxed.indexOf('{');
  return open < 0 ? undefined : boxed.slice(open + 1, -1);
}

// math-verify without `try_extract_without_anchor`: besides `\boxed`, only answers an anchor phrase introduces.
const anchoredAnswer = /(?:final answer is|answer is)[:\s]*\$([^$]+)\$/giu;

/** A prediction's final answer: the last boxed one, else the last `$…$` after "final answer is"/"answer is". */
export function extractFinalAnswer(prediction: string): string | undefined {
  const boxed = lastBoxedAnswer(prediction);
  if (boxed !== undefined) return boxed;
  const anchored = [...prediction.matchAll(anchoredAnswer)].at(-1);
  return anchored ? (anchored[1] as string) : undefined;
}

/**
 * A reference's final answer: the last boxed answer when the reference is a worked solution (`math_500_gen`
 * stores the full `solution`), else the reference itself (`math_prm800k_500`'s boxed answer).
 */
export function goldFinalAnswer(reference: string): string {
  return lastBoxedAnswer(reference) ?? reference;
}

const tolerance = 1e-6;
/** Longer leaves are compared as text only: a final answer is short, and the CAS's time grows with length. */
const maxCasLength = 500;
// Free variables are sampled at real points of both signs (so `\sqrt{x^2}` is not `x`).
const samplePoints = [0.5772156649, -1.4142135623, 2.7182818284];

function close(first: number, second: number): boolean {
  // Overflowed values (`10^{10^{10}}`) prove nothing; symbolic infinities were compared before this.
  if (!Number.isFinite(first) || !Number.isFinite(second)) return false;
  return Math.abs(first - second) <= tolerance + 1e-9 * Math.max(Math.abs(first), Math.abs(second));
}

function numericValue(expression: BoxedExpression): { re: number; im: number } | undefined {
  const value = expression.N();
  const re = value.re;
  const im = value.im;
  return typeof re === 'number' && !Number.isNaN(re) && typeof im === 'number' && !Number.isNaN(im) ? { re, im } : undefined;
}

function compactLatex(latex: string): string {
  return latex.replace(/\s+/gu, '').replace(/^\{(.*)\}$/u, '$1');
}

function createJudge(engine: ComputeEngine): SymbolicMathJudge {
  const parse = (latex: string): BoxedExpression | undefined => {
    try {
      const expression = engine.parse(latex);
      return expression.isValid ? expression : undefined;
    } catch {
      return undefined;
    }
  };

  /** Equal values at fixed points for every free variable (the numeric fallback for symbolic identity). */
  const agreeAtPoints = (first: BoxedExpression, second: BoxedExpression, sign: 1 | -1 = 1): boolean => {
    const variables = [...new Set([...first.unknowns, ...second.unknowns])];
    if (variables.length > 4) return false;
    for (let trial = 0; trial < samplePoints.length; trial += 1) {
      const substitution = Object.fromEntries(
        variables.map((name, index) => [name, engine.number((samplePoints[(trial + index) % samplePoints.length] as number) * (1 + index / 7))]),
      );
      const left = numericValue(variables.length ? first.subs(substitution) : first);
      const right = numericValue(variables.length ? second.subs(substitution) : second);
      if (!left || !right || !close(left.re, sign * right.re) || !close(left.im, sign * right.im)) return false;
      if (variables.length === 0) return true;
    }
    return true;
  };

  const expressionsEqual = (first: string, second: string): boolean => {
    if (compactLatex(first) === compactLatex(second)) return true;
    if (first.length > maxCasLength || second.length > maxCasLength) return false;
    const left = parse(first);
    const right = parse(second);
    if (!left || !right) return false;
    if (left.isSame(right)) return true;
    if (left.operator === 'Equal' || right.operator === 'Equal') {
      if (left.operator !== right.operator) return false;
      const difference = (equation: BoxedExpression) => engine.box(['Subtract', equation.ops![0]!, equation.ops![1]!]);
      return agreeAtPoints(difference(left), difference(right)) || agreeAtPoints(difference(left), difference(right), -1);
    }
    return agreeAtPoints(left, right);
  };

  const unordered = (first: readonly MathAnswer[], second: readonly MathAnswer[]): boolean => {
    if (first.length !== second.length) return false;
    const unused = new Set(second.map((_, index) => index));
    for (const item of first) {
      const match = [...unused].find((index) => answersEqual(item, second[index] as MathAnswer));
      if (match === undefined) return false;
      unused.delete(match);
    }
    return true;
  };

  const answersEqual = (first: MathAnswer, second: MathAnswer): boolean => {
    if (first.kind === 'set' && second.kind !== 'set' && first.items.length === 1) return answersEqual(first.items[0] as MathAnswer, second);
    if (second.kind === 'set' && first.kind !== 'set' && second.items.length === 1) return answersEqual(first, second.items[0] as MathAnswer);
    switch (first.kind) {
      case 'expression':
        if (second.kind === 'text') return compactLatex(first.latex) === compactLatex(second.text);
        return second.kind === 'expression' && expressionsEqual(first.latex, second.latex);
      case 'text':
        if (second.kind === 'expression') return answersEqual(second, first);
        // Case-sensitive, as sympy's symbols are (`\text{East}` is not `\text{east}`).
        return second.kind === 'text' && first.text.trim() === second.text.trim();
      case 'sequence':
        return (
          second.kind === 'sequence' &&
          first.open === second.open &&
          first.close === second.close &&
          first.items.length === second.items.length &&
          first.items.every((item, index) => answersEqual(item, second.items[index] as MathAnswer))
        );
      case 'set':
      case 'union':
        return second.kind === first.kind && unordered(first.items, second.items);
      case 'matrix':
        return (
          second.kind === 'matrix' &&
          first.rows.length === second.rows.length &&
          first.rows.every((row, rowIndex) => {
            const other = second.rows[rowIndex] as readonly MathAnswer[];
            return row.length === other.length && row.every((cell, index) => answersEqual(cell, other[index] as MathAnswer));
          })
        );
      default: {
        const unreachable: never = first;
        throw new TypeError(`unknown answer kind ${JSON.stringify(unreachable)}`);
      }
    }
  };

  return {
    extract: extractFinalAnswer,
    equivalent(first, second) {
      try {
        const left = normalizeMathAnswer(first);
        const right = normalizeMathAnswer(second);
        if (left === right) return true;
        return answersEqual(parseMathAnswer(left), parseMathAnswer(right));
      } catch {
        return false;
      }
    },
  };
}

/**
 * Load the judge. The CAS (`@cortex-js/compute-engine`, about a second to load) is imported on first use only, so
 * runs without MATH never pay for it.
 */
export async function loadSymbolicMathJudge(): Promise<SymbolicMathJudge> {
  const { ComputeEngine } = await import('@cortex-js/compute-engine');
  return createJudge(new ComputeEngine());
}
