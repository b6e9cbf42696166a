import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from './python-json-dumps.js';

// Expected strings are Python 3's `json.dumps(value, sort_keys=True)` output.
describe('pythonJsonDumps', () => {
  it('uses ", " and ": " separators', () => {
    expect(pythonJsonDumps({ a: 1, b: [1, 2] })).toBe('{"a": 1, "b": [1, 2]}');
  });

  it('sorts keys by code point (uppercase and _ before lowercase, prefix first)', () => {
    expect(pythonJsonDumps({ Z: 1, a: 2, _: 3, aa: 4, a_b: 5 })).toBe('{"Z": 1, "_": 3, "a": 2, "a_b": 5, "aa": 4}');
  });

  it('sorts keys at every nesting level', () => {
    expect(pythonJsonDumps({ outer: { z: 1, m: { y: 2, b: 3 } }, a: null })).toBe('{"a": null, "outer": {"m": {"b": 3, "y": 2}, "z": 1}}');
  });

  it('escapes CJK as lowercase \\uXXXX', () => {
    expect(pythonJsonDumps('计算机网络')).toBe('"\\u8ba1\\u7b97\\u673a\\u7f51\\u7edc"');
  });

  it('escapes the full-width comma U+FF0C and full stop U+3002 in lowercase hex', () => {
    expect(pythonJsonDumps('，')).toBe('"\\uff0c"');
    expect(pythonJsonDumps('。')).toBe('"\\u3002"');
    expect(pythonJsonDumps('中，')).toBe('"\\u4e2d\\uff0c"');
  });

  it('escapes newline, quotes, backslash and the other short escapes', () => {
    expect(pythonJsonDumps('x\n"y\\\t\r\b\f')).toBe('"x\\n\\"y\\\\\\t\\r\\b\\f"');
  });

  it('escapes other control characters and DEL as \\u00XX', () => {
    expect(pythonJsonDumps('\u0001\u007f')).toBe('"\\u0001\\u007f"');
  });

  it('writes astral characters as surrogate pairs and escapes non-ASCII keys', () => {
    expect(pythonJsonDumps({ é: '😀' })).toBe('{"\\u00e9": "\\ud83d\\ude00"}');
  });

  it('keeps ASCII punctuation, braces and </E> as they are', () => {
    expect(pythonJsonDumps('{question}\nA. {A}</E>: ')).toBe('"{question}\\nA. {A}</E>: "');
  });

  it('writes nested lists, booleans, null and empty containers', () => {
    expect(pythonJsonDumps({ b: [1, '中，', [true, null, []]], A: {} })).toBe('{"A": {}, "b": [1, "\\u4e2d\\uff0c", [true, null, []]]}');
    expect(
      pythonJsonDumps([
        [0, 1],
        [2, [3, [4]]],
      ]),
    ).toBe('[[0, 1], [2, [3, [4]]]]');
  });

  it('matches Python on a mixed document', () => {
    const value = { b: [1, '中，', [true, null, []]], a: 'x\n"y\\\t\r\b\f\u0001\u007f', A: {}, é: '😀' };
    expect(pythonJsonDumps(value)).toBe(
      '{"A": {}, "a": "x\\n\\"y\\\\\\t\\r\\b\\f\\u0001\\u007f", "b": [1, "\\u4e2d\\uff0c", [true, null, []]], "\\u00e9": "\\ud83d\\ude00"}',
    );
  });

  it('prints integers, including negatives and zero', () => {
    expect(pythonJsonDumps([0, -3, 256])).toBe('[0, -3, 256]');
  });

  it('rejects non-integer numbers (Python would print them differently)', () => {
    expect(() => pythonJsonDumps(1.5)).toThrow(TypeError);
  });
});
