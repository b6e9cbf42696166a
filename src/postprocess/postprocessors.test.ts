import { describe, expect, it } from 'vitest';
import { getPostprocessor, postprocessors } from './index.js';

describe('postprocessors registry', () => {
  it('maps both OpenCompass names', () => {
    expect(Object.keys(postprocessors).sort()).toEqual(['first_capital_postprocess', 'first_option_postprocess']);
    expect(postprocessors.first_capital_postprocess('The answer is B')).toBe('T');
    expect(postprocessors.first_option_postprocess('The answer is B')).toBe('B');
  });

  it('first_option_postprocess uses OpenCompass defaults (ABCD, cushion, fused quirk)', () => {
    expect(postprocessors.first_option_postprocess('The answer is E')).toBe('');
    expect(postprocessors.first_option_postprocess('Option B is my pick')).toBe('B');
    expect(postprocessors.first_option_postprocess('A不对，故D正确')).toBe('A');
  });

  it('getPostprocessor returns the registered function', () => {
    expect(getPostprocessor('first_option_postprocess')('答案是 C')).toBe('C');
    expect(getPostprocessor('first_capital_postprocess')).toBe(postprocessors.first_capital_postprocess);
  });

  it('getPostprocessor names the unknown postprocessor and lists the known ones', () => {
    expect(() => getPostprocessor('first-capital')).toThrow(
      'Unknown postprocessor "first-capital"; known postprocessors: first_capital_postprocess, first_option_postprocess',
    );
  });

  it('does not resolve inherited object properties as postprocessors', () => {
    expect(() => getPostprocessor('toString')).toThrow(/Unknown postprocessor "toString"/);
  });
});
