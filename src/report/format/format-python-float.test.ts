import { describe, expect, it } from 'vitest';
import { formatPythonFloat } from './format-python-float.js';

// Expected strings were produced by CPython 3.11 `format(value, spec)`.
describe('formatPythonFloat', () => {
  it.each([
    [0.125, '0.12'], // exact tie: half-to-even (JS toFixed gives 0.13)
    [0.375, '0.38'],
    [0.625, '0.62'], // toFixed: 0.63
    [0.875, '0.88'],
    [55.125, '55.12'], // toFixed: 55.13
    [46.875, '46.88'],
    [-0.125, '-0.12'], // toFixed: -0.13
    [2.675, '2.67'], // stored as 2.67499999…, not a tie
    [1.005, '1.00'],
    [1.015, '1.01'],
    [1.025, '1.02'],
    [0.005, '0.01'],
    [0.015, '0.01'],
    [99.995, '100.00'],
    [99.99499999999999, '99.99'],
    [47.368421052631575, '47.37'],
    [100, '100.00'],
    [-0, '-0.00'], // toFixed: 0.00
    [-0.001, '-0.00'],
    [5e-324, '0.00'],
    [1e21, '1000000000000000000000.00'], // toFixed switches to exponent form here
    [1.2345678901234569e23, '123456789012345685803008.00'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])("formats %s with '.2f' as %s", (value, expected) => {
    expect(formatPythonFloat(value, '.2f')).toBe(expected);
  });

  it.each([
    [47.37, '47.37'],
    [50, '50'],
    [0, '0'],
    [-0, '-0'],
    [0.5, '0.5'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [0.000123456789, '0.000123457'],
    [123456789, '1.23457e+08'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [999999.5, '1e+06'], // rounding carries into a new digit
    [9999995, '1e+07'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])("formats %s with 'g' as %s", (value, expected) => {
    expect(formatPythonFloat(value, 'g')).toBe(expected);
  });

  it('supports other precisions', () => {
    expect(formatPythonFloat(2.5, '.0f')).toBe('2');
    expect(formatPythonFloat(3.5, '.0f')).toBe('4');
    expect(formatPythonFloat(0.05, '.1f')).toBe('0.1');
    expect(formatPythonFloat(1234.5, '.3g')).toBe('1.23e+03');
    expect(formatPythonFloat(0.1, '.17g')).toBe('0.10000000000000001');
  });

  it('rejects specs it does not implement', () => {
    expect(() => formatPythonFloat(1, 'f')).toThrow(TypeError);
    expect(() => formatPythonFloat(1, '.2e')).toThrow(TypeError);
  });
});
