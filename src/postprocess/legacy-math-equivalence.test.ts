import { describe, expect, it } from 'vitest';
import { legacyMathEquivalent, stripStringV2 } from './legacy-math-equivalence.js';
import { extractBoxedAnswer, mathPostprocessV2, normalizeFinalAnswer } from './math-postprocess-v2.js';

describe('math_postprocess_v2 (Appendix B)', () => {
  it('takes the last \\boxed{…} as it is, one extra brace pair unwrapped', () => {
    expect(mathPostprocessV2('First \\boxed{1}, then \\boxed{\\frac{a}{b}}.')).toBe('\\frac{a}{b}');
    expect(mathPostprocessV2('So \\boxed{{24}}.')).toBe('24');
    // Python's ^\{(.*)\}$ also strips a pair that is not one: `{a}+{b}` → `a}+{b`.
    expect(extractBoxedAnswer('\\boxed{{a}+{b}}', { stripDoubleCurlyBrace: true })).toBe('a}+{b');
  });

  it('falls back to the first "."-piece naming the answer, normalised; \\fbox is not unwrapped', () => {
    expect(mathPostprocessV2('We compute. The final answer is $10,000$ dollars. I hope it is correct.')).toBe('10000');
    expect(mathPostprocessV2('Thus the answer is 7 units')).toBe('7');
    expect(mathPostprocessV2('Hence \\fbox{7}')).toBe('Hence\\fbox{7}');
    expect(mathPostprocessV2('no answer here')).toBe('noanswerhere');
  });

  it('normalize_final_answer: units, \\text, shorthand fractions and roots, dollar signs', () => {
    expect(normalizeFinalAnswer('\\text{(B)}')).toBe('B');
    expect(normalizeFinalAnswer('90^\\circ')).toBe('90');
    expect(normalizeFinalAnswer('\\frac12')).toBe('\\frac{1}{2}');
    expect(normalizeFinalAnswer('\\sqrt2')).toBe('\\sqrt{2}');
    expect(normalizeFinalAnswer('$5$ cm')).toBe('5');
  });
});

describe('MATHEvaluator v2 is_equiv', () => {
  it('strips, normalises, then compares raw strings', () => {
    expect(legacyMathEquivalent('k = 3', '3')).toBe(true);
    expect(legacyMathEquivalent('2+3j', '2+3i')).toBe(true);
    expect(legacyMathEquivalent('(-inf, 3)', '(-\\infty,3)')).toBe(true);
    expect(legacyMathEquivalent('\\left( 1, 2 \\right)', '(1,2)')).toBe(true);
    expect(legacyMathEquivalent('3/4', '\\frac{3}{4}')).toBe(true);
    expect(legacyMathEquivalent('50\\%', '50')).toBe(true);
    expect(legacyMathEquivalent('5.000', '5')).toBe(true);
    expect(legacyMathEquivalent('0.5', '\\frac{1}{2}')).toBe(false);
  });

  it("raises where Python's int() does (a non-integer a/b), and then compares the normalised raw strings", () => {
    expect(() => stripStringV2('x/2')).toThrow(RangeError);
    expect(legacyMathEquivalent('x/2', 'x/2')).toBe(true);
    expect(legacyMathEquivalent('x/2', '\\frac{x}{2}')).toBe(false);
  });

  it('None handling: two Nones are equal, one is not', () => {
    expect(legacyMathEquivalent(undefined, undefined)).toBe(true);
    expect(legacyMathEquivalent('1', undefined)).toBe(false);
  });
});
