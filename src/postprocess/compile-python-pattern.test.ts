import { describe, expect, it } from 'vitest';
import { compilePythonPattern } from './compile-python-pattern.js';

describe('compilePythonPattern', () => {
  it('$ outside a class matches at the end or before one final newline, as in Python without MULTILINE', () => {
    const pattern = compilePythonPattern('所以\\s?([ABCD][.。$]?$)');
    expect(pattern.exec('所以B\n')?.[1]).toBe('B');
    expect(pattern.exec('所以B')?.[1]).toBe('B');
    expect(pattern.test('所以B\n\n')).toBe(false);
    expect(pattern.test('所以B\nx')).toBe(false);
  });

  it('$ inside a class is a literal dollar sign', () => {
    expect(compilePythonPattern('1.\\s?([ABCD])[.。$]?$').exec('1. C$')?.[1]).toBe('C');
  });

  it('^ is only the start of the text', () => {
    expect(compilePythonPattern('^选项\\s?([ABCD])').test('说明\n选项A')).toBe(false);
  });

  it('\\s is Python whitespace: U+001C and U+0085 yes, U+FEFF no', () => {
    const pattern = compilePythonPattern('答案是?\\s*([ABCD])');
    expect(pattern.exec('答案是\u001cC')?.[1]).toBe('C');
    expect(pattern.exec('答案是\u0085C')?.[1]).toBe('C');
    expect(pattern.test('答案是\uFEFFC')).toBe(false);
    expect(compilePythonPattern('[\\s，：:,]([ABCD])').exec('x\u2003D')?.[1]).toBe('D');
  });

  it('\\S is the complement of Python whitespace, so it takes U+FEFF', () => {
    expect(compilePythonPattern('答案是\\s?(\\S+)(?:。|$)').exec('答案是\uFEFFC')?.[1]).toBe('\uFEFFC');
  });

  it('a leading (?i) becomes the i flag, with Unicode case folding for ſ as in Python', () => {
    const pattern = compilePythonPattern('(?i)ANSWER\\s*:\\s*([ABCD])');
    expect(pattern.flags).toContain('i');
    expect(pattern.exec('answer: c')?.[1]).toBe('c');
    expect(pattern.exec('AN\u017fWER: B')?.[1]).toBe('B');
  });

  it('non-quantifier braces are literals', () => {
    expect(compilePythonPattern('boxed{([ABCD])}').exec('\\boxed{C}')?.[1]).toBe('C');
  });

  it('. crosses newlines only with dotAll, and matches whole code points', () => {
    expect(compilePythonPattern('is:?.*?boxed').test('is\nboxed')).toBe(false);
    expect(compilePythonPattern('is:?.*?boxed', { dotAll: true }).test('is\nboxed')).toBe(true);
    expect(compilePythonPattern('1.\\s?(.*?)$').exec('1𝐀B')?.[1]).toBe('B');
  });

  it('a ] right after [ is a literal, as in Python', () => {
    expect(compilePythonPattern('[]a]').test(']')).toBe(true);
    expect(compilePythonPattern('[^]a]').test(']')).toBe(false);
  });

  it('\\w and \\W are Unicode-aware as in Python: CJK, ö and digits of any script are word characters', () => {
    const word = compilePythonPattern('^\\w+$');
    expect(word.test('答案ö_٣x')).toBe(true);
    expect(word.test('a\u0301')).toBe(false); // a combining mark is not \\w in Python
    expect(compilePythonPattern('\\W').test('答')).toBe(false);
    expect(compilePythonPattern('\\W').test('：')).toBe(true);
    expect(compilePythonPattern('[\\W]*').exec('**「B')?.[0]).toBe('**「');
    expect(compilePythonPattern('[^\\W]+').exec('**答B')?.[0]).toBe('答B');
    expect(compilePythonPattern('[^\\w\\s]').exec('ab c, d')?.[0]).toBe(',');
  });

  it('throws on syntax outside the supported subset instead of guessing', () => {
    expect(() => compilePythonPattern('\\d+')).toThrow(/unsupported escape/);
    expect(() => compilePythonPattern('[\\W\\s]')).toThrow(/unsupported escape/);
    expect(() => compilePythonPattern('a{2}')).toThrow(/quantifier/);
    expect(() => compilePythonPattern('(?=a)')).toThrow(/\(\?:/);
    expect(() => compilePythonPattern('[\\S]')).toThrow(/unsupported escape/);
    expect(() => compilePythonPattern('[ab')).toThrow(/unterminated/);
  });
});
