import { describe, expect, it } from 'vitest';
import { stripPythonWhitespace } from './strip-python-whitespace.js';

describe('stripPythonWhitespace', () => {
  it('strips what Python str.strip() strips, including U+001C–U+001F, U+0085 and U+3000', () => {
    expect(stripPythonWhitespace('\u001c\u0085 \t答案\n\u3000\u001f')).toBe('答案');
  });

  it('keeps U+FEFF, which JavaScript trim() would remove', () => {
    expect(stripPythonWhitespace('\uFEFFB\uFEFF')).toBe('\uFEFFB\uFEFF');
  });

  it('keeps inner whitespace and returns "" for whitespace only', () => {
    expect(stripPythonWhitespace('  A B  ')).toBe('A B');
    expect(stripPythonWhitespace(' \r\n\v\f ')).toBe('');
  });
});
