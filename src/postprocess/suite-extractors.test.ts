import { describe, expect, it } from 'vitest';
import { isMathEquivalent, lastBoxedOnlyString, parseMathAnswer, stripMathString } from './agieval-math-answer.js';
import { bbhFreeformNormalize, bbhMcqPostprocess, pythonCasefold } from './bbh-postprocess.js';
import { generalPostprocess } from './general-postprocess.js';
import { gsm8kDatasetPostprocess, gsm8kPostprocess } from './gsm8k-postprocess.js';
import { asciiDigits, pythonFloat, pythonInt } from './python-character-classes.js';

describe('gsm8k_postprocess', () => {
  it.each([
    ['The answer is 18', '18'],
    ['She pays 1,234 dollars', '234'], // commas are not removed
    ['-3.5 then 7', '7'],
    ['x = -3.50', '-3.50'],
    ['no digits here', 'NULL'],
    ['The answer is 4\nQuestion: what is 99?', '4'], // cut before the next "Question:"
    ['١٢ apples', '١٢'], // Python's \d is Unicode
    ['3.', '3'],
  ])('%j → %j', (text, expected) => expect(gsm8kPostprocess(text)).toBe(expected));

  it('takes the reference after the first "#### " without commas', () => {
    expect(gsm8kDatasetPostprocess('step\n#### 1,234')).toBe('1234');
    expect(() => gsm8kDatasetPostprocess('no marker')).toThrow(/####/);
  });
});

describe('Python number conversion', () => {
  it('follows int() and float()', () => {
    expect(pythonInt(' 18 ')).toBe(18);
    expect(pythonInt('1_000')).toBe(1000);
    expect(pythonInt('3.5')).toBeUndefined();
    expect(pythonInt('١٢')).toBe(12);
    expect(pythonFloat('-3.50')).toBe(-3.5);
    expect(pythonFloat('NULL')).toBeUndefined();
    expect(pythonFloat('.5')).toBe(0.5);
    expect(pythonFloat('1e3')).toBe(1000);
    expect(pythonFloat('inf')).toBe(Infinity);
    expect(asciiDigits('٣𝟘𝟙')).toBe('301');
  });
});

describe('general_postprocess', () => {
  it.each([
    ['The Eiffel Tower, in Paris', 'Eiffel Tower'],
    ['14 December 1972 UTC.', '14 December 1972 UTC'],
    ['an apple a day', 'apple day'],
    ['Théâtre "du" Soleil!', 'Théâtre du Soleil'], // Unicode \w keeps accented letters
    ['北京，中国', '北京中国'], // a full-width comma is punctuation, not a cut point
    ['theory of the  universe', 'theory of universe'], // articles only as whole words
    ['  spaced\tout  ', 'spaced out'],
  ])('%j → %j', (text, expected) => expect(generalPostprocess(text)).toBe(expected));
});

describe('bbh_mcq_postprocess', () => {
  it.each([
    ['So the answer is (B).', 'B'],
    ['the answer is (C) because answer is (D)', 'C'], // the piece between the first and second "answer is "
    ['I think B is right', 'I'], // first capital anywhere
    ['(A)', 'A'],
    ['no capitals', 'no capitals'],
    ['So the Answer is (B).', 'B'], // no split (case-sensitive), but "(B" is still found first
    ['So the Answer is B.', 'S'], // …and without a parenthesis the first capital wins
  ])('%j → %j', (text, expected) => expect(bbhMcqPostprocess(text)).toBe(expected));
});

describe('BBH free-form normaliser (HEAD)', () => {
  it.each([
    ['So the answer is Yes.', 'Yes'],
    ['The answer is: **no**', 'No'],
    ['So the answer is 8.', '8'],
    ['answer is valid\nmore text', 'valid'],
    ['So the answer is ) ] }.', ') ] }'],
    ['The answer is true', 'True'],
    ['So the answer is apple, banana, cherry.', 'apple banana cherry'],
    ['So the answer is 1, 2', '1, 2'], // digit-comma-digit keeps commas
    ['The answer is   spaced   out', 'spaced out'],
    ['yesterday', 'yesterday'], // "yes" only as a whole word
  ])('%j → %j', (text, expected) => expect(bbhFreeformNormalize(text)).toBe(expected));

  it('casefolds like Python', () => {
    expect(pythonCasefold('Straße')).toBe(pythonCasefold('STRASSE'));
    expect(pythonCasefold('Yes')).toBe('yes');
  });
});

describe('AGIEval parse_math_answer', () => {
  it.each([
    ['The answer is therefore \\boxed{\\frac{1}{2}}', '\\frac{1}{2}'],
    ['so $x = 5$', '5'],
    ['答案是 $3$', '3'],
    ['we get x = 7.', '7'],
    ['value 12 and then 3.5', '3.5'],
    ['\\boxed{x=4}', '4'],
    ['\\fbox{9}', '9'], // only \\boxed triggers the boxed path; then the last bare number
    ['\\boxed{unclosed', undefined],
    ['nothing', undefined],
    ['a = 2\\nb', '2'], // cut at a literal backslash-n
  ])('%j → %j', (text, expected) => expect(parseMathAnswer(text)).toBe(expected));

  it('matches braces for the last boxed group', () => {
    expect(lastBoxedOnlyString('\\boxed{1} then \\boxed{\\frac{2}{3}} end')).toBe('\\boxed{\\frac{2}{3}}');
  });
});

describe('Hendrycks is_equiv', () => {
  it.each([
    ['\\frac{1}{2}', '0.5', true],
    ['\\dfrac12', '\\frac{1}{2}', true],
    ['1/2', '\\frac{1}{2}', true],
    ['x=3', '3', true],
    ['10\\%', '10', true],
    ['90^\\circ', '90', true],
    ['\\sqrt2', '\\sqrt{2}', true],
    ['5 \\text{ cm}', '5', true],
    ['.5', '0.5', false], // ".5" → "0.5" → \frac{1}{2}; "0.5" too: equal — see next line
    ['3', '4', false],
  ])('%j vs %j', (first, second, expected) => {
    if (first === '.5') {
      expect(isMathEquivalent(first, second)).toBe(true);
      return;
    }
    expect(isMathEquivalent(first, second)).toBe(expected);
  });

  it('compares raw strings where stripping raises, and handles None', () => {
    expect(() => stripMathString('\\frac')).toThrow();
    expect(isMathEquivalent('\\frac', '\\frac')).toBe(true);
    expect(isMathEquivalent('\\frac', '\\frac ')).toBe(false);
    expect(() => stripMathString('1 \\text{ a} 2 \\text{ b}')).toThrow();
    expect(isMathEquivalent(undefined, undefined)).toBe(true);
    expect(isMathEquivalent('1', undefined)).toBe(false);
    expect(stripMathString('-0/3')).toBe('-0/3'); // not canonical: int() would give 0
  });
});
