import { describe, expect, it } from 'vitest';
import { fillTemplate } from './fill-template.js';

const optionLines = '{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}';

describe('fillTemplate (sequential plain replacement, in row key order)', () => {
  it('fills every placeholder of a row', () => {
    const row = { question: '1+1=?', A: '1', B: '2', C: '3', D: '4' };
    expect(fillTemplate(optionLines, row)).toBe('1+1=?\nA. 1\nB. 2\nC. 3\nD. 4');
  });

  it('replaces every occurrence of a placeholder', () => {
    expect(fillTemplate('{A}-{A}-{A}', { A: 'x' })).toBe('x-x-x');
  });

  it('a literal {A} inside the question becomes option A’s text (A comes after question)', () => {
    const row = { question: '服用$\\mathrm{A}$药', A: '回归分析', B: 'b', C: 'c', D: 'd' };
    expect(fillTemplate(optionLines, row)).toBe('服用$\\mathrm回归分析$药\nA. 回归分析\nB. b\nC. c\nD. d');
  });

  it('a later key rewrites text substituted earlier; an earlier key does not', () => {
    // {B} inside option A is rewritten by B (later); {A} inside option C survives (A was already done).
    const row = { question: 'q', A: 'see {B}', B: 'bee', C: 'not {A}', D: 'd' };
    expect(fillTemplate(optionLines, row)).toBe('q\nA. see bee\nB. bee\nC. not {A}\nD. d');
  });

  it('follows the row’s key order, not the template’s', () => {
    expect(fillTemplate('{x}', { x: '{y}', y: 'Y' })).toBe('Y');
    expect(fillTemplate('{x}', { y: 'Y', x: '{y}' })).toBe('{y}');
  });

  it('is not a format string: {{x}} and unknown {y} survive', () => {
    expect(fillTemplate('{{x}} {y} {z}', { z: 'Z' })).toBe('{{x}} {y} Z');
  });

  it('{{key}} of a row key loses only the inner braces, as Python str.replace does', () => {
    expect(fillTemplate('{{question}}', { question: 'Q' })).toBe('{Q}');
  });

  it('writes numbers with String() (idx 0 → "0")', () => {
    expect(fillTemplate('#{idx}/{n}', { idx: 0, n: 12 })).toBe('#0/12');
  });

  it('inserts values literally (no $& or $1 replacement patterns)', () => {
    expect(fillTemplate('[{A}]', { A: '$& $1 $$' })).toBe('[$& $1 $$]');
  });

  it('an empty value (the blanked output column) removes the placeholder', () => {
    expect(fillTemplate('{answer}', { answer: '' })).toBe('');
  });
});
