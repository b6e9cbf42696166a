import { describe, expect, it } from 'vitest';
import { defaultFusedPatternQuirk, firstOptionPostprocess } from './first-option-postprocess.js';

// Pattern numbers refer to the ordered list in opencompass-datasets.md §2.8 (1–51, then cushion C1 `X:`, C2 `X`).
interface Case {
  readonly text: string;
  readonly expected: string;
  readonly why: string;
}

const defaultCases: readonly Case[] = [
  { text: 'B', expected: 'B', why: 'nothing but cushion C2 matches a bare letter' },
  { text: 'The answer is B', expected: 'B', why: 'pattern 28: space, letter, end of text' },
  { text: '答案是 C', expected: 'C', why: 'pattern 1' },
  { text: '正确答案是：D。', expected: 'D', why: 'pattern 1 fails on the colon; pattern 2 takes it' },
  { text: 'Ａ', expected: '', why: 'full-width letter is not in [ABCD]' },
  { text: '答案是丙', expected: '', why: 'pattern 34 captures 丙, which holds no option letter' },
  {
    text: "Answer: Let's think step by step.",
    expected: 'A',
    why: 'pattern 37 needs [ABCD] after the colon (L is not); cushion C2 takes the A of "Answer"',
  },
  { text: '故选A只有选项B是对', expected: 'A', why: 'pattern 13 (选择?) already matches 选A' },
  { text: '故选A', expected: 'A', why: 'pattern 13 matches 选A before the fused pattern is reached' },
  { text: '选项C正确', expected: 'C', why: 'pattern 24' },
  { text: 'A、B都不对，所以D', expected: 'D', why: 'pattern 26' },
  { text: 'A、B都不对，所以D\n', expected: 'D', why: 'the trailing newline is stripped before pattern 26 runs' },
  { text: 'A不对，所以B\u0085', expected: 'B', why: 'Python strip() removes U+0085, so pattern 26 sees the end' },
  {
    text: 'A不对，所以B\uFEFF',
    expected: 'A',
    why: 'Python strip() keeps U+FEFF, so every $-anchored pattern fails and cushion C2 takes A',
  },
  { text: 'answer: c', expected: '', why: 'pattern 37 captures lowercase c, not an option letter; nothing else' },
  { text: 'ANSWER: b', expected: 'A', why: 'pattern 37 captures b and moves on; cushion C2 finds the A of ANSWER' },
  { text: '答案是“DA”', expected: 'A', why: 'pattern 34 captures “DA”; A comes first in options order' },
  {
    text: 'Step 1: C is larger than B here',
    expected: 'B',
    why: 'pattern 49 captures a space and moves on; pattern 50 captures the rest, B wins on options order',
  },
  { text: 'Not A; pick 1D', expected: 'D', why: 'pattern 50 with an empty group 1 falls back to the whole match 1D' },
  { text: '', expected: '', why: 'empty text' },
  { text: '  \n\t\u3000 ', expected: '', why: 'whitespace only strips to empty' },
  { text: 'The answer is **B**', expected: 'B', why: 'pattern 38 stops at *; pattern 39 allows **' },
  { text: '答案选项为 **C**', expected: 'C', why: 'pattern 9' },
  { text: 'The correct answer is $\\boxed{C}$', expected: 'C', why: 'pattern 43, literal braces' },
  { text: 'The correct option is \\boxed{B}.', expected: 'B', why: 'pattern 44' },
  {
    text: 'The correct answer is:\nnot B, rather\n\\boxed{C}',
    expected: 'C',
    why: 'pattern 43: .*? crosses newlines (DOTALL) before pattern 49 could take B',
  },
  { text: 'The answer is (C).', expected: 'C', why: 'pattern 28 fails on the parenthesis; pattern 38 takes it' },
  { text: 'B. Because it is correct', expected: 'B', why: 'pattern 49 at ^: empty group 1, whole match "B."' },
  { text: 'Option B is my pick', expected: 'B', why: 'pattern 49 captures a space and moves on; cushion C2' },
  { text: 'Options: A is wrong, C: correct', expected: 'C', why: 'cushion C1 (X:) before C2 would take A' },
  { text: 'The answer is E', expected: '', why: 'E is not an option by default and no A–D appears' },
  {
    text: 'Answer:\u0085B; A is wrong',
    expected: 'B',
    why: 'pattern 37: Python \\s includes U+0085 (JavaScript \\s does not)',
  },
  { text: '选项D。A错误', expected: 'D', why: 'pattern 47 (^选项)' },
  { text: 'C选项是对的', expected: 'C', why: 'pattern 48 (^X选项)' },
  { text: 'A和B不对，D是正确的', expected: 'D', why: 'pattern 22' },
  { text: 'A错，正确的是B。', expected: 'B', why: 'pattern 31 ([是为。] then letter at the end)' },
  { text: 'A和C均错误，即D', expected: 'D', why: 'pattern 29' },
  { text: 'A错误因此D', expected: 'D', why: 'pattern 32' },
  { text: 'A显然不对，显然C', expected: 'C', why: 'pattern 33 skips the first 显然 and matches the second' },
  { text: "I Don't Know", expected: 'D', why: 'cushion C2 takes the D of "Don\'t"' },
];

describe('firstOptionPostprocess (options ABCD, cushion on, fused quirk on)', () => {
  it.each(defaultCases)('$text → "$expected" ($why)', ({ text, expected }) => {
    expect(firstOptionPostprocess(text)).toBe(expected);
  });
});

describe('the fused-pattern quirk', () => {
  it('is on by default', () => {
    expect(defaultFusedPatternQuirk).toBe(true);
  });

  it('fused: 只有选项B是对 alone does not fire, so cushion C2 takes the first letter', () => {
    const text = '分析可知A、C、D均有误，只有选项B是对的';
    expect(firstOptionPostprocess(text)).toBe('A');
    expect(firstOptionPostprocess(text, { fusedPatternQuirk: true })).toBe('A');
  });

  it('fixed: pattern 15 (只有选项X是对) fires on its own', () => {
    expect(firstOptionPostprocess('分析可知A、C、D均有误，只有选项B是对的', { fusedPatternQuirk: false })).toBe('B');
  });

  it('fused: 故D does not fire alone; fixed: pattern 14 takes D', () => {
    expect(firstOptionPostprocess('A不对，故D正确')).toBe('A');
    expect(firstOptionPostprocess('A不对，故D正确', { fusedPatternQuirk: false })).toBe('D');
  });

  it('the fused regex itself fires when 故X is directly followed by 只有选项Y是对 (group 1 = X)', () => {
    expect(firstOptionPostprocess('C错，故A只有选项B是对')).toBe('A');
    expect(firstOptionPostprocess('C错，故A只有选项B是对', { fusedPatternQuirk: false })).toBe('A');
  });

  it('both modes agree on 故选A只有选项B是对 (pattern 13 wins)', () => {
    expect(firstOptionPostprocess('故选A只有选项B是对', { fusedPatternQuirk: false })).toBe('A');
  });
});

describe('options and cushion', () => {
  it('OpenCompass issue #1933: with options A–P, pattern 37 captures the L of "Let\'s"', () => {
    expect(firstOptionPostprocess("Answer: Let's think step by step.", { options: 'ABCDEFGHIJKLMNOP' })).toBe('L');
  });

  it('accepts a fifth option letter when it is listed', () => {
    expect(firstOptionPostprocess('The answer is E', { options: 'ABCDE' })).toBe('E');
  });

  it('returns the first letter in options order, not in text order', () => {
    expect(firstOptionPostprocess('答案是“DA”', { options: 'DCBA' })).toBe('D');
  });

  it('without cushion, text only the cushion patterns would match gives ""', () => {
    expect(firstOptionPostprocess('Option B is my pick', { cushion: false })).toBe('');
    expect(firstOptionPostprocess('B', { cushion: false })).toBe('');
    expect(firstOptionPostprocess('答案是 C', { cushion: false })).toBe('C');
  });

  it('treats $ in options as a literal letter', () => {
    expect(firstOptionPostprocess('答案是$', { options: 'AB$' })).toBe('$');
  });

  it('rejects option strings that would change the character class', () => {
    expect(() => firstOptionPostprocess('A', { options: '' })).toThrow(/options/);
    expect(() => firstOptionPostprocess('A', { options: 'A-D' })).toThrow(/options/);
    expect(() => firstOptionPostprocess('A', { options: 'AB]' })).toThrow(/options/);
  });

  it('gives the same answers on repeated calls (compiled patterns are cached, not stateful)', () => {
    const first = firstOptionPostprocess('A、B都不对，所以D');
    const second = firstOptionPostprocess('A、B都不对，所以D');
    expect([first, second]).toEqual(['D', 'D']);
  });
});
