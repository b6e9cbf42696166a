import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastBoxedOnlyString } from './agieval-math-answer.js';
import { legacyMathEquivalent } from './legacy-math-equivalence.js';
import { mathPostprocessV2, removeBoxed } from './math-postprocess-v2.js';
import { extractFinalAnswer, goldFinalAnswer, loadSymbolicMathJudge, type SymbolicMathJudge } from './symbolic-math-judge.js';

const dataFile = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'math500', 'test.jsonl');
const rows = readFileSync(dataFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { problem: string; solution: string; answer: string });

let judge: SymbolicMathJudge;
beforeAll(async () => {
  judge = await loadSymbolicMathJudge();
});

/**
 * [gold (a MATH-500 answer), candidate, math-verify's decision, sextant's symbolic judge's, the legacy string
 * judge's]. math-verify (Python, PyPI only) cannot be installed here, so its column is the decision its documented
 * rules give (LaTeX normalisation with units/equations/basic_latex, sympy equality, 6-digit float rounding), or
 * `'unverified'` where those rules do not settle it. Where the symbolic column differs from a math-verify decision,
 * the case is a named divergence below and in the README ("MATH-500").
 */
type MathVerifyDecision = boolean | 'unverified';
type PairCase = readonly [gold: string, candidate: string, mathVerify: MathVerifyDecision, symbolic: boolean, legacy: boolean];

const pairs: readonly PairCase[] = [
  // fractions and decimals
  ['\\frac{1}{2}', '0.5', true, true, false],
  ['\\frac{1}{2}', '\\dfrac12', true, true, true],
  ['\\frac{1}{2}', '\\frac12', true, true, true],
  ['\\frac{1}{2}', '1/2', true, true, true],
  ['\\frac{1}{2}', '\\frac{2}{4}', true, true, false],
  ['\\frac{1}{2}', '\\frac{1}{3}', false, false, false],
  ['\\dfrac{17}{50}', '0.34', true, true, false],
  ['\\dfrac{33}{100}', '\\frac{33}{100}', true, true, true],
  ['\\frac 34', '\\frac{3}{4}', true, true, true],
  ['\\frac9{19}', '\\frac{9}{19}', true, true, true],
  ['\\frac{270}7\\text{ degrees}', '\\frac{270}{7}', true, true, false],
  ['-\\frac{3}{8}', '-0.375', true, true, false],
  ['-\\frac{3}{8}', '\\frac{-3}{8}', true, true, false],
  ['-\\frac{3}{8}', '\\frac{3}{8}', false, false, false],
  ['.0000672', '0.0000672', true, true, true],
  ['.35625', '0.35625', true, true, true],
  ['1.25', '\\frac{5}{4}', true, true, false],
  ['4.5', '4.50', true, true, false],
  ['137 \\frac{1}{2}', '137.5', true, true, false],
  ['1\\frac{4}{5}', '\\frac{9}{5}', true, true, false],
  // integers, thousands separators, dollars, percentages
  ['10080', '10,080', true, true, true],
  ['10,\\!080', '10080', true, true, true],
  ['11,\\! 111,\\! 111,\\! 100', '11111111100', true, true, true],
  ['58,500', '58500', true, true, true],
  ['\\$32,\\!348', '32348', true, true, true],
  ['\\$18.90', '18.90', true, true, true],
  ['\\$18.90', '18.9', true, true, false],
  ['\\$36', '\\$ 36', true, true, true],
  ['27648', '27649', false, false, false],
  ['-128', '-128.0', true, true, true],
  ['1000001', '1000000', false, false, false],
  ['5.4 \\text{ cents}', '5.4', true, true, true],
  ['15\\mbox{ cm}^2', '15', true, true, true],
  ['864 \\mbox{ inches}^2', '864', true, true, true],
  // sextant drops `\\%` (MATH golds state percentages as numbers); math-verify's handling of `%` is not documented.
  ['25', '25\\%', 'unverified', true, true],
  // degrees and units
  ['90^\\circ', '90', true, true, true],
  ['120^\\circ', '120^{\\circ}', true, true, true],
  ['145^\\circ', '145 degrees', true, true, true],
  ['30^\\circ', '\\frac{\\pi}{6}', false, false, false],
  // pi and roots
  ['12\\pi', '12 \\pi', true, true, true],
  ['8 \\pi', '\\pi \\cdot 8', true, true, false],
  ['18+2\\pi', '2\\pi+18', true, true, false],
  ['\\frac{20000}{\\pi}', '20000/\\pi', true, true, false],
  ['3\\sqrt{13}', '\\sqrt{117}', true, true, false],
  ['11\\sqrt2', '11\\sqrt{2}', true, true, true],
  ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}', true, true, false],
  ['2\\sqrt{5}', '2 \\sqrt{5}', true, true, true],
  ['2\\sqrt{5}', '\\sqrt{5}', false, false, false],
  ['\\pi', '3.14', false, false, false],
  ['1 \\pm \\sqrt{19}', '1+\\sqrt{19}, 1-\\sqrt{19}', true, true, false],
  ['3 \\pm 2 \\sqrt{2}', '3 + 2\\sqrt{2}', false, false, false],
  // x= prefixes, equations, polynomials
  ['x=5', '5', true, true, true],
  ['5', 'x = 5', true, true, true],
  ['y = 2x + 3', 'y=3+2x', true, true, false],
  ['y = -2x', '-2x', true, true, true],
  ['5x - 7y + 11z + 4 = 0', '-5x + 7y - 11z - 4 = 0', true, true, false],
  ['x^3+3x-6', 'x^3 + 3x - 6', true, true, true],
  ['x^3+3x-6', '-6+3x+x^3', true, true, false],
  ['(a+5)(b+2)', '(b+2)(a+5)', true, true, false],
  ['(a+5)(b+2)', 'ab+2a+5b+10', true, true, false],
  ['6r^2-4r-24', '2(3r^2-2r-12)', true, true, false],
  ['2k+2', '2(k+1)', true, true, false],
  ['p - q', 'q - p', false, false, false],
  // complex numbers
  ['-2 + 7i', '7i-2', true, true, false],
  ['1 - 12i', '1-12i', true, true, true],
  ['6 - 5i', '6+5i', false, false, false],
  // intervals and tuples
  ['[2,5)', '[2, 5)', true, true, true],
  ['(3,4]', '(3,4)', false, false, false],
  ['(-\\infty, 0]', '(-\\infty,0]', true, true, true],
  ['(2,\\infty)', '(2, \\infty)', true, true, true],
  ['(-\\infty, 2) \\cup (3, \\infty)', '(3, \\infty) \\cup (-\\infty, 2)', true, true, false],
  ['\\left(\\frac{3}{5},\\frac{8}{3}\\right]', '(0.6, \\frac{8}{3}]', true, true, false],
  // legacy: `x\\in` is removed before spaces are, so `x \\in` survives.
  ['x \\in [-2,7]', '[-2,7]', true, true, false],
  ['x \\in [-2,7]', 'x\\in[-2,7]', true, true, true],
  ['\\left( 3, \\frac{\\pi}{2} \\right)', '(3,\\frac{\\pi}{2})', true, true, true],
  ['(1,-16,-4,43)', '(1, -16, -4, 43)', true, true, true],
  ['(1,-16,-4,43)', '(1,-16,43,-4)', false, false, false],
  ['(6,31,-1)', '(6,31)', false, false, false],
  // sets and lists
  ['-2,1', '1,-2', true, true, false],
  ['3, 5, 7', '7, 5, 3', true, true, false],
  ['-2,1', 'x = 1, x = -2', 'unverified', true, false],
  ['\\{1\\pm\\sqrt{5},-2\\}', '\\{-2, 1+\\sqrt{5}, 1-\\sqrt{5}\\}', true, true, false],
  // matrices
  ['\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}', '\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}', true, true, true],
  ['\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', '\\begin{pmatrix} \\frac{1}{5} \\\\ -\\frac{18}{5} \\end{pmatrix}', true, true, false],
  ['\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}', '\\begin{bmatrix} -7 \\\\ 16 \\\\ 5 \\end{bmatrix}', true, true, false],
  ['\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}', '\\begin{pmatrix} -7 \\\\ 5 \\\\ 16 \\end{pmatrix}', false, false, false],
  // text answers
  ['\\text{Evelyn}', 'Evelyn', true, true, true],
  ['\\text{east}', '\\text{east}', true, true, true],
  ['\\text{east}', '\\text{East}', false, false, false],
  ['\\text{(C)}', 'C', true, true, true],
  ['\\text{(C)}', '(C)', true, true, false],
  ['\\text{(C)}', 'B', false, false, false],
  ['\\text{even}', '\\text{odd}', false, false, false],
  // bases and trigonometry
  ['204_5', '204_5', true, true, true],
  ['2516_8', '2516', false, false, false],
  ['\\cot x', '\\frac{\\cos x}{\\sin x}', true, true, false],
  ['-\\frac{\\pi}{6}', '-\\frac{1}{6}\\pi', true, true, false],
];

/**
 * Known divergences from math-verify. Identities with free variables are decided by evaluating both sides at fixed
 * real points, not by sympy's `simplify(a - b) == 0` over complex symbols: `\sqrt{x^2}` and `|x|` agree on every
 * real point, sympy does not equate them.
 */
const divergences: readonly PairCase[] = [['|x|', '\\sqrt{x^2}', false, true, false]];

describe('symbolic and legacy MATH judges on pairs drawn from MATH-500 golds', () => {
  it('the table covers at least 60 pairs, both decisions', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(60);
    expect(pairs.some((pair) => pair[2]) && pairs.some((pair) => !pair[2])).toBe(true);
  });

  it.each(pairs)('%s vs %s: math-verify %s, symbolic %s, legacy %s', (gold, candidate, _mathVerify, symbolic, legacy) => {
    expect(judge.equivalent(candidate, gold)).toBe(symbolic);
    expect(judge.equivalent(gold, candidate)).toBe(symbolic);
    expect(legacyMathEquivalent(candidate, gold)).toBe(legacy);
  });

  it('differs from math-verify only on the named divergences', () => {
    const divergent = [...pairs, ...divergences].filter(([, , mathVerify, symbolic]) => typeof mathVerify === 'boolean' && mathVerify !== symbolic);
    expect(divergent).toEqual(divergences);
  });

  it.each(divergences)('known divergence: %s vs %s (math-verify %s, symbolic %s)', (gold, candidate, _mathVerify, symbolic) => {
    expect(judge.equivalent(candidate, gold)).toBe(symbolic);
  });
});

describe('gold answers against themselves', () => {
  it('symbolic judge: all 500 golds (the answer field, and the last boxed answer of each solution) score 100', () => {
    const wrong = rows.filter(
      (row) => !judge.equivalent(row.answer, row.answer) || !judge.equivalent(extractFinalAnswer(row.solution) ?? '', goldFinalAnswer(row.solution)),
    );
    expect(wrong).toEqual([]);
    expect(rows.every((row) => goldFinalAnswer(row.solution) === row.answer)).toBe(true);
  });

  it('legacy judge: math_postprocess_v2 of each solution equals its boxed reference for all 500', () => {
    const wrong = rows.filter((row) => !legacyMathEquivalent(mathPostprocessV2(row.solution), removeBoxed(lastBoxedOnlyString(row.solution))));
    expect(wrong).toEqual([]);
  });
});
