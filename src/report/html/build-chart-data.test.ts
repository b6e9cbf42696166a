import { describe, expect, it } from 'vitest';
import { buildChartData } from './build-chart-data.js';
import type { RunReport } from './run-report.js';

function report(rows: RunReport['summary']['rows']): RunReport {
  return {
    run: { timestamp: 't', datasetConfigs: [], limit: null, generatedAt: 'g' },
    models: [],
    summary: { models: ['a', 'b'], rows },
    datasets: [
      { abbr: 'ceval-law', label: { key: 'law', name: '法学', category: 'humanities' }, questions: 24 },
      { abbr: 'other-set', label: { key: 'other-set' }, questions: 5 },
    ],
    groupLabels: { 'ceval-humanities': 'Humanities 人文' },
    bootstrap: { iterations: 2000, seed: 0 },
    validOptions: 'ABCD',
  };
}

describe('buildChartData', () => {
  const data = buildChartData(
    report([
      {
        dataset: 'ceval-law',
        version: 'v',
        metric: 'accuracy',
        mode: 'gen',
        values: [12.3456, undefined],
        intervals: [{ lower: 4.001, upper: 31.999 }, undefined],
      },
      { dataset: 'other-set', version: 'v', metric: 'accuracy', mode: 'gen', values: [50, 60] },
      {
        dataset: 'ceval-humanities',
        version: '-',
        metric: 'naive_average',
        mode: 'gen',
        values: [12.3456, 20],
        intervals: [
          { lower: 5, upper: 20 },
          { lower: 10, upper: 30 },
        ],
      },
      { dataset: 'ceval', version: '-', metric: 'weighted_average', mode: 'gen', values: [1, 2] },
    ]),
  );

  it("charts dataset rows as subjects, labelled with their benchmark's names for them when known", () => {
    expect(data.subjects).toEqual({
      labels: ['law 法学', 'other-set'],
      values: [
        [12.35, 50],
        [null, 60],
      ],
      lower: [
        [4, null],
        [null, null],
      ],
      upper: [
        [32, null],
        [null, null],
      ],
    });
  });

  it('charts only the naive-average group rows as categories, by their labels', () => {
    expect(data.categories).toEqual({ labels: ['Humanities 人文'], values: [[12.35], [20]], lower: [[5], [10]], upper: [[20], [30]] });
  });

  it('gives each model its colour', () => {
    expect(data.models).toEqual(['a', 'b']);
    expect(data.colors).toEqual(['#0072b2', '#e69f00']);
  });
});
