import { describe, expect, it } from 'vitest';
import { formatRawResults } from './format-raw-results.js';

describe('formatRawResults', () => {
  it('lists every dataset for every model, with {} where a model has no result', () => {
    const text = formatRawResults([
      {
        model: 'model-a',
        results: [
          { dataset: 'ceval-computer_network', result: { accuracy: 47.368421052631575 } },
          { dataset: 'ceval', result: { naive_average: { 'ceval-computer_network@accuracy': 47.368421052631575 } } },
        ],
      },
      {
        model: 'model-b',
        results: [
          { dataset: 'ceval-operating_system', result: { accuracy: 100 } },
          { dataset: 'ceval', result: { error: "missing metrics: ['ceval-computer_network']" } },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '-------------------------------',
        'Model: model-a',
        "ceval-computer_network: {'accuracy': 47.368421052631575}",
        "ceval: {'naive_average': {'ceval-computer_network@accuracy': 47.368421052631575}}",
        'ceval-operating_system: {}',
        '-------------------------------',
        'Model: model-b',
        'ceval-computer_network: {}',
        `ceval: {'error': "missing metrics: ['ceval-computer_network']"}`,
        "ceval-operating_system: {'accuracy': 100.0}",
      ].join('\n'),
    );
  });

  it('is empty without models', () => {
    expect(formatRawResults([])).toBe('');
  });
});
