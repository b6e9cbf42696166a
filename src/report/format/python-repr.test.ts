import { describe, expect, it } from 'vitest';
import { pythonRepr } from './python-repr.js';

// Expected strings were produced by CPython 3.11 `repr()`.
describe('pythonRepr', () => {
  it('writes a result dict the way OpenCompass prints it', () => {
    expect(pythonRepr({ accuracy: 47.368421052631575 })).toBe("{'accuracy': 47.368421052631575}");
    expect(
      pythonRepr({
        naive_average: { 'ceval-computer_network@accuracy': 47.368421052631575, 'ceval-law@accuracy': 50 },
      }),
    ).toBe("{'naive_average': {'ceval-computer_network@accuracy': 47.368421052631575, 'ceval-law@accuracy': 50.0}}");
    expect(pythonRepr({ error: "missing metrics: ['ceval-law']" })).toBe(`{'error': "missing metrics: ['ceval-law']"}`);
    expect(pythonRepr({})).toBe('{}');
  });

  it.each([
    [100, '100.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1e22, '1e+22'],
    [123456789012345680, '1.2345678901234568e+17'],
    [9007199254740992, '9007199254740992.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [-0, '-0.0'],
    [-2.5, '-2.5'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('writes the float %s as %s', (value, expected) => {
    expect(pythonRepr(value)).toBe(expected);
  });

  it('writes bigint as a Python int, and the other scalars', () => {
    expect(pythonRepr(47n)).toBe('47');
    expect(pythonRepr(true)).toBe('True');
    expect(pythonRepr(false)).toBe('False');
    expect(pythonRepr(null)).toBe('None');
    expect(pythonRepr([1, 'a', [true, null]])).toBe("[1.0, 'a', [True, None]]");
    expect(pythonRepr([])).toBe('[]');
  });

  it('picks quotes and escapes like Python', () => {
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr('say "hi"')).toBe(`'say "hi"'`);
    expect(pythonRepr(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(pythonRepr('a\\b\nc\rd\te')).toBe("'a\\\\b\\nc\\rd\\te'");
    expect(pythonRepr('\u0000\u001b\u007f\u0085\u00a0')).toBe("'\\x00\\x1b\\x7f\\x85\\xa0'");
    expect(pythonRepr('中文\u3000\u200b\ufeff\u2028')).toBe("'中文\\u3000\\u200b\\ufeff\\u2028'");
    expect(pythonRepr('😀\u{e0001}\u{10ffff}')).toBe("'😀\\U000e0001\\U0010ffff'");
    expect(pythonRepr('\ud800x')).toBe("'\\ud800x'");
    expect(pythonRepr('é ñ ü')).toBe("'é ñ ü'");
  });

  it('keeps insertion order, including from a Map', () => {
    expect(pythonRepr({ b: 1, a: 2 })).toBe("{'b': 1.0, 'a': 2.0}");
    expect(
      pythonRepr(
        new Map<string, number>([
          ['b', 1],
          ['0', 2],
        ]),
      ),
    ).toBe("{'b': 1.0, '0': 2.0}");
  });

  it('rejects values Python JSON cannot hold', () => {
    expect(() => pythonRepr(undefined)).toThrow(TypeError);
    expect(() => pythonRepr({ fn: () => 1 })).toThrow(TypeError);
  });
});
