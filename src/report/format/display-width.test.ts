import { describe, expect, it } from 'vitest';
import { displayWidth } from './display-width.js';

// Expected widths are Python wcwidth 0.7.0 `wcswidth()` results.
describe('displayWidth', () => {
  it.each([
    ['ceval-computer_network', 22],
    ['计算机网络', 10],
    ['ceval-计算机网络', 16],
    ['ａ', 2], // fullwidth Latin
    ['\u3000', 2], // ideographic space
    ['\u{20000}', 2], // CJK Extension B
    ['😀', 2],
    ['e\u0301', 1], // combining acute accent
    ['\u0903', 0], // Devanagari spacing mark (Mc)
    ['\u200b\u200d\ufeff', 0],
    ['\u1160', 0], // Hangul medial vowel filler
    ['\u00ad', 1], // soft hyphen stays visible
    ['\u303f', 1],
    ['\uff61', 1], // halfwidth ideographic full stop
    ['', 0],
  ])('measures %j as %i columns', (text, expected) => {
    expect(displayWidth(text)).toBe(expected);
  });

  it('counts control characters as zero columns', () => {
    expect(displayWidth('a\u0001b')).toBe(2);
  });
});
