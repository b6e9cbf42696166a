import { describe, expect, it } from 'vitest';
import { firstCapitalPostprocess } from './first-capital-postprocess.js';

describe('firstCapitalPostprocess', () => {
  it.each([
    { text: 'B', expected: 'B', why: 'a bare letter' },
    { text: 'The answer is B', expected: 'T', why: 'not restricted to A–D' },
    { text: '正确答案是 C', expected: 'C', why: 'CJK characters are not uppercase' },
    { text: '答案是Ｃ', expected: 'Ｃ', why: 'full-width Ｃ (U+FF23) is uppercase' },
    { text: 'αβΓδ', expected: 'Γ', why: 'Greek capital' },
    { text: '答案是丙', expected: '', why: 'CJK only' },
    { text: '', expected: '', why: 'empty text' },
    { text: 'answer: c', expected: '', why: 'lowercase only' },
    { text: 'x𝐀', expected: '𝐀', why: 'astral mathematical bold A is returned as one code point' },
    { text: 'ǅB', expected: 'B', why: 'titlecase ǅ is not isupper() in Python' },
    { text: 'no. Ⅳ', expected: 'Ⅳ', why: 'Roman numeral four has the Uppercase property' },
    { text: 'ⓐⒸ', expected: 'Ⓒ', why: 'circled capital (Other_Uppercase) counts, circled small does not' },
    { text: 'ßſ1. c) D', expected: 'D', why: 'ß and ſ are lowercase' },
  ])('$text → "$expected" ($why)', ({ text, expected }) => {
    expect(firstCapitalPostprocess(text)).toBe(expected);
  });
});
