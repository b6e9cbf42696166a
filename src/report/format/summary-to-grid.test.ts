import { describe, expect, it } from 'vitest';
import type { SummaryTable } from './summary-table.js';
import { summaryToGrid } from './summary-to-grid.js';

const table: SummaryTable = {
  models: ['model-a', 'model-b'],
  rows: [
    {
      dataset: 'ceval-computer_network',
      version: 'db9ce2',
      metric: 'accuracy',
      mode: 'gen',
      values: [47.368421052631575, undefined],
    },
    // 55.125 is an exact binary tie: Python rounds it to 55.12 (half-to-even), JS toFixed to 55.13.
    { dataset: 'ceval-operating_system', version: '1c2571', metric: 'accuracy', mode: 'gen', values: [55.125, 100] },
    { dataset: 'ceval', version: '-', metric: 'naive_average', mode: 'gen', values: [51.24671052631579, undefined] },
  ],
};

describe('summaryToGrid', () => {
  it('builds the header and formats scores like {:.02f}, with - for missing', () => {
    expect(summaryToGrid(table)).toEqual([
      ['dataset', 'version', 'metric', 'mode', 'model-a', 'model-b'],
      ['ceval-computer_network', 'db9ce2', 'accuracy', 'gen', '47.37', '-'],
      ['ceval-operating_system', '1c2571', 'accuracy', 'gen', '55.12', '100.00'],
      ['ceval', '-', 'naive_average', 'gen', '51.25', '-'],
    ]);
  });

  it('gives a header-only grid for a table without rows', () => {
    expect(summaryToGrid({ models: ['m'], rows: [] })).toEqual([['dataset', 'version', 'metric', 'mode', 'm']]);
  });

  it('rejects a row whose value count does not match the models', () => {
    const broken: SummaryTable = {
      models: ['a', 'b'],
      rows: [{ dataset: 'x', version: '-', metric: 'accuracy', mode: 'gen', values: [1] }],
    };
    expect(() => summaryToGrid(broken)).toThrow(RangeError);
  });
});
