import { describe, expect, it } from 'vitest';
import { formatMarkdown } from './format-markdown.js';

describe('formatMarkdown', () => {
  it('writes the header, the OpenCompass separator and the rows', () => {
    const grid = [
      ['dataset', 'version', 'metric', 'mode', 'model-a', 'model-b'],
      ['ceval-computer_network', 'db9ce2', 'accuracy', 'gen', '47.37', '-'],
      ['ceval', '-', 'naive_average', 'gen', '51.25', '-'],
    ];
    expect(formatMarkdown(grid)).toBe(
      '| dataset | version | metric | mode | model-a | model-b |\n' +
        '|----- | ----- | ----- | ----- | ----- | -----|\n' +
        '| ceval-computer_network | db9ce2 | accuracy | gen | 47.37 | - |\n' +
        '| ceval | - | naive_average | gen | 51.25 | - |\n',
    );
  });

  it('writes only header and separator for a header-only grid, nothing for an empty one', () => {
    expect(formatMarkdown([['a', 'b']])).toBe('| a | b |\n|----- | -----|\n');
    expect(formatMarkdown([])).toBe('');
  });
});
