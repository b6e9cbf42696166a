import { describe, expect, it } from 'vitest';
import type { RawModelResults } from './format-raw-results.js';
import { formatSummaryText } from './format-summary-text.js';

const caret = '^'.repeat(128);
const dollar = '$'.repeat(128);
const divider = `${'-'.repeat(128)} THIS IS A DIVIDER ${'-'.repeat(128)}`;

const grid = [
  ['dataset', 'version', 'metric', 'mode', 'model-a', 'model-b'],
  ['ceval-computer_network', 'db9ce2', 'accuracy', 'gen', '47.37', '-'],
  ['ceval', '-', 'naive_average', 'gen', '47.37', '-'],
];

const raw: RawModelResults[] = [
  {
    model: 'model-a',
    results: [
      { dataset: 'ceval-computer_network', result: { accuracy: 47.368421052631575 } },
      { dataset: 'ceval', result: { naive_average: { 'ceval-computer_network@accuracy': 47.368421052631575 } } },
    ],
  },
  { model: 'model-b', results: [] },
];

const tabulateBlock = [
  'dataset                 version    metric         mode      model-a  model-b',
  '----------------------  ---------  -------------  ------  ---------  ---------',
  'ceval-computer_network  db9ce2     accuracy       gen         47.37  -',
  'ceval                   -          naive_average  gen         47.37  -',
];

const rawBlock = [
  '-------------------------------',
  'Model: model-a',
  "ceval-computer_network: {'accuracy': 47.368421052631575}",
  "ceval: {'naive_average': {'ceval-computer_network@accuracy': 47.368421052631575}}",
  '-------------------------------',
  'Model: model-b',
  'ceval-computer_network: {}',
  'ceval: {}',
];

describe('formatSummaryText', () => {
  it('writes the current OpenCompass layout', () => {
    const expected = [
      '20240101_120000',
      'tabulate format',
      caret,
      ...tabulateBlock,
      dollar,
      '',
      divider,
      '',
      'csv format',
      caret,
      'dataset,version,metric,mode,model-a,model-b',
      'ceval-computer_network,db9ce2,accuracy,gen,47.37,-',
      'ceval,-,naive_average,gen,47.37,-',
      dollar,
      '',
      'markdown format',
      caret,
      '| dataset | version | metric | mode | model-a | model-b |',
      '|----- | ----- | ----- | ----- | ----- | -----|',
      '| ceval-computer_network | db9ce2 | accuracy | gen | 47.37 | - |',
      '| ceval | - | naive_average | gen | 47.37 | - |',
      '',
      dollar,
      divider,
      '',
      'raw format',
      caret,
      ...rawBlock,
      dollar,
      '',
    ].join('\n');
    expect(formatSummaryText({ timeString: '20240101_120000', grid, raw })).toBe(expected);
  });

  it('writes the older layout: tabulate with floatfmt g, no markdown block', () => {
    const legacyGrid = [
      ['dataset', 'version', 'metric', 'mode', 'model-a'],
      ['ceval-law', 'a1b2c3', 'accuracy', 'gen', '50.00'],
    ];
    const expected = [
      '20240101_120000',
      'tabulate format',
      caret,
      'dataset    version    metric    mode      model-a',
      '---------  ---------  --------  ------  ---------',
      'ceval-law  a1b2c3     accuracy  gen            50',
      dollar,
      '',
      divider,
      '',
      'csv format',
      caret,
      'dataset,version,metric,mode,model-a',
      'ceval-law,a1b2c3,accuracy,gen,50.00',
      dollar,
      '',
      divider,
      '',
      'raw format',
      caret,
      '-------------------------------',
      'Model: model-a',
      "ceval-law: {'accuracy': 50.0}",
      dollar,
      '',
    ].join('\n');
    const text = formatSummaryText({
      timeString: '20240101_120000',
      grid: legacyGrid,
      raw: [{ model: 'model-a', results: [{ dataset: 'ceval-law', result: { accuracy: 50 } }] }],
      tabulateFloatFormat: 'g',
      includeMarkdown: false,
    });
    expect(text).toBe(expected);
  });

  it('keeps commas inside cells in the csv block', () => {
    const text = formatSummaryText({ timeString: 't', grid: [['dataset', 'a,b']], raw: [] });
    expect(text).toContain(`csv format\n${caret}\ndataset,a,b\n${dollar}\n`);
  });
});
