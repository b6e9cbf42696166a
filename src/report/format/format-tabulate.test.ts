import { describe, expect, it } from 'vitest';
import { formatTabulate } from './format-tabulate.js';

describe('formatTabulate', () => {
  it('lays out a summary grid like tabulate(headers="firstrow", floatfmt=".2f")', () => {
    const grid = [
      ['dataset', 'version', 'metric', 'mode', 'model-a', 'model-b'],
      ['ceval-computer_network', 'db9ce2', 'accuracy', 'gen', '47.37', '-'],
      ['ceval-operating_system', '1c2571', 'accuracy', 'gen', '55.12', '100.00'],
      ['ceval', '-', 'naive_average', 'gen', '51.25', '-'],
    ];
    // model-a is all numbers (right-aligned, header too); model-b has '-' so it is text (left-aligned).
    // Every column is at least its header + 2 wide; lines are right-trimmed.
    expect(formatTabulate(grid)).toBe(
      [
        'dataset                 version    metric         mode      model-a  model-b',
        '----------------------  ---------  -------------  ------  ---------  ---------',
        'ceval-computer_network  db9ce2     accuracy       gen         47.37  -',
        'ceval-operating_system  1c2571     accuracy       gen         55.12  100.00',
        'ceval                   -          naive_average  gen         51.25  -',
      ].join('\n'),
    );
  });

  it("reformats with 'g' and aligns on the decimal point, as older OpenCompass releases did", () => {
    const grid = [
      ['dataset', 'model'],
      ['a', '47.37'],
      ['b', '50.00'],
      ['c', '100.00'],
    ];
    expect(formatTabulate(grid, { floatFormat: 'g' })).toBe(
      ['dataset      model', '---------  -------', 'a            47.37', 'b            50', 'c           100'].join('\n'),
    );
  });

  it('types columns the way tabulate parses strings', () => {
    const grid = [
      ['name', 'version', 'flag', 'score'],
      ['a', '123456', 'True', '1.5'],
      ['bb', '000042', 'False', 'nan'],
      ['  c  ', '7', 'True', '-inf'],
    ];
    // name: text, trimmed, left. version: ints, kept as written, right. flag: booleans, left.
    // score: floats, reformatted with .2f and aligned on the point ('nan' and '-inf' have none).
    expect(formatTabulate(grid)).toBe(
      [
        'name      version  flag      score',
        '------  ---------  ------  -------',
        'a          123456  True       1.50',
        'bb         000042  False    nan',
        'c               7  True    -inf',
      ].join('\n'),
    );
  });

  it('treats Python number spellings as numbers and everything else as text', () => {
    // 'inf' has no decimal point, so it sits left of the point column (its trailing padding is trimmed).
    const numbers = [['n'], ['1_000'], [' 2 '], ['+3.'], ['.5e1'], ['INF']];
    const numberLines = ['1000.00', '   2.00', '   3.00', '   5.00', ' inf'];
    expect(formatTabulate(numbers).split('\n').slice(2)).toEqual(numberLines);
    const text = [['t'], ['1'], ['Infinity']];
    expect(formatTabulate(text).split('\n').slice(2)).toEqual(['1', 'Infinity']);
    const hexLike = [['t'], ['0x10'], ['1e999'], ['1__0']];
    expect(formatTabulate(hexLike).split('\n').slice(2)).toEqual(['0x10', '1e999', '1__0']);
  });

  it('reads an all-digits-and-e prompt hash as a number, as tabulate does', () => {
    const grid = [
      ['dataset', 'version'],
      ['ceval-law', '578e12'],
    ];
    expect(formatTabulate(grid)).toBe(['dataset               version', '---------  ------------------', 'ceval-law  578000000000000.00'].join('\n'));
  });

  it('measures CJK characters as two columns', () => {
    const grid = [
      ['数据集', 'score'],
      ['计算机网络', '47.37'],
      ['ceval', '5.00'],
    ];
    expect(formatTabulate(grid)).toBe(['数据集        score', '----------  -------', '计算机网络    47.37', 'ceval          5.00'].join('\n'));
  });

  it('pads short rows with empty cells', () => {
    const expected = ['  a    b', '---  ---', '  1    2', '  3'].join('\n');
    expect(formatTabulate([['a', 'b'], ['1', '2'], ['3']])).toBe(expected);
  });

  it('writes a header-only grid as header and rule, and an empty grid as nothing', () => {
    expect(formatTabulate([['dataset', 'model']])).toBe('dataset    model\n---------  -------');
    expect(formatTabulate([])).toBe('');
  });
});
