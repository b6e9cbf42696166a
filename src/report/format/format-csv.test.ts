import { describe, expect, it } from 'vitest';
import { formatCsv } from './format-csv.js';

const grid = [
  ['dataset', 'version', 'metric', 'mode', 'model,a'],
  ['ceval-computer_network', 'db9ce2', 'accuracy', 'gen', '47.37'],
  ['ceval', '-', 'naive_average', 'gen', '-'],
];

describe('formatCsv', () => {
  it('joins cells with commas, replaces commas inside cells with spaces and ends with a newline', () => {
    expect(formatCsv(grid)).toBe(
      'dataset,version,metric,mode,model a\n' + 'ceval-computer_network,db9ce2,accuracy,gen,47.37\n' + 'ceval,-,naive_average,gen,-\n',
    );
  });

  it('keeps commas when asked (the .txt csv block)', () => {
    expect(formatCsv(grid, { replaceCommas: false }).split('\n')[0]).toBe('dataset,version,metric,mode,model,a');
  });

  it('writes a lone newline for an empty grid', () => {
    expect(formatCsv([])).toBe('\n');
  });
});
