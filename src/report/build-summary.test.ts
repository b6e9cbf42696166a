import { describe, expect, it } from 'vitest';
import type { InferenceMode, SummaryGroup } from '../spec/index.js';
import { cevalDatasets, cevalSummaryGroups, cevalVariants } from '../tasks/ceval/index.js';
import { buildSummary, type DatasetScore } from './build-summary.js';
import { summaryToGrid } from './format/index.js';

const datasets: Array<{ abbr: string; version: string; mode: InferenceMode }> = [
  { abbr: 'ds-a', version: 'aaaaaa', mode: 'gen' },
  { abbr: 'ds-b', version: 'bbbbbb', mode: 'gen' },
  { abbr: 'ds-c', version: 'cccccc', mode: 'gen' },
];

const score = (accuracy: number, count: number): DatasetScore => ({ metrics: { accuracy }, count, failed: 0 });

const scoresOf = (entries: Record<string, Record<string, DatasetScore>>) =>
  new Map(Object.entries(entries).map(([model, perDataset]) => [model, new Map(Object.entries(perDataset))]));

const groups: SummaryGroup[] = [
  { name: 'all', subsets: ['ds-a', 'ds-b', 'ds-c'], average: 'naive' },
  { name: 'all', subsets: ['ds-a', 'ds-b', 'ds-c'], average: 'questions' },
  { name: 'ab', subsets: ['ds-a', 'ds-b'], average: 'naive' },
  { name: 'elsewhere', subsets: ['not-in-run'], average: 'naive' },
];

describe('buildSummary', () => {
  const scores = scoresOf({
    m1: { 'ds-a': score(50, 10), 'ds-b': score(100, 30), 'ds-c': score(0, 60) },
    m2: { 'ds-a': score(20, 10), 'ds-c': score(40, 60) },
  });
  const table = buildSummary({ datasets, models: ['m1', 'm2'], scores, groups });
  const row = (dataset: string, metric: string) => table.rows.find((entry) => entry.dataset === dataset && entry.metric === metric);

  it("lists datasets in config order, then each group: its shared metrics, naive_average, then sextant's row", () => {
    expect(table.models).toEqual(['m1', 'm2']);
    expect(table.rows.map((entry) => `${entry.dataset}/${entry.metric}${entry.origin ? ` (${entry.origin})` : ''}`)).toEqual([
      'ds-a/accuracy',
      'ds-b/accuracy',
      'ds-c/accuracy',
      'all/accuracy',
      'all/naive_average',
      'all/weighted_average (sextant)',
      'ab/accuracy',
      'ab/naive_average',
    ]);
  });

  it('dataset rows carry version, metric, mode and one value per model', () => {
    expect(table.rows[0]).toMatchObject({ dataset: 'ds-a', version: 'aaaaaa', metric: 'accuracy', mode: 'gen', values: [50, 20] });
    expect(table.rows[1]?.values).toEqual([100, undefined]);
  });

  it('naive average is the unweighted mean of subset accuracies; the shared-metric row has the same value', () => {
    expect(row('all', 'naive_average')?.values[0]).toBeCloseTo((50 + 100 + 0) / 3, 12);
    expect(row('all', 'accuracy')?.values[0]).toBe(row('all', 'naive_average')?.values[0]);
    expect(row('ab', 'naive_average')?.values[0]).toBe(75);
  });

  it("sextant's weighted average weights each subset by its question count", () => {
    const weighted = row('all', 'weighted_average');
    expect(weighted?.origin).toBe('sextant');
    expect(weighted?.values[0]).toBeCloseTo((50 * 10 + 100 * 30 + 0 * 60) / 100, 12);
  });

  it('a missing subset makes the group undefined for that model, rendered "-"; sextant rows stay out of the csv grid', () => {
    expect(row('all', 'naive_average')?.values[1]).toBeUndefined();
    expect(row('all', 'weighted_average')?.values[1]).toBeUndefined();
    expect(row('ab', 'naive_average')?.values[1]).toBeUndefined();
    const grid = summaryToGrid(table);
    expect(grid[0]).toEqual(['dataset', 'version', 'metric', 'mode', 'm1', 'm2']);
    expect(grid[2]).toEqual(['ds-b', 'bbbbbb', 'accuracy', 'gen', '100.00', '-']);
    expect(grid[4]).toEqual(['all', '-', 'accuracy', 'gen', '50.00', '-']);
    expect(grid[5]).toEqual(['all', '-', 'naive_average', 'gen', '50.00', '-']);
    expect(grid.some((cells) => cells[2]?.startsWith('weighted_average'))).toBe(false);
    const display = summaryToGrid(table, { sextant: true });
    expect(display).toContainEqual(['all', '-', 'weighted_average (sextant)', 'gen', '35.00', '-']);
  });

  it('a NaN subset score also makes the group undefined', () => {
    const nanTable = buildSummary({
      datasets,
      models: ['m'],
      scores: scoresOf({ m: { 'ds-a': score(Number.NaN, 0), 'ds-b': score(1, 1), 'ds-c': score(1, 1) } }),
      groups,
    });
    expect(nanTable.rows.find((entry) => entry.dataset === 'all')).toBeUndefined();
  });

  it('group rows: version "-", mode is the common subset mode, or "mixed"', () => {
    const mixed = buildSummary({
      datasets: [
        { abbr: 'ds-a', version: 'aaaaaa', mode: 'gen' },
        { abbr: 'ds-b', version: 'bbbbbb', mode: 'ppl' },
      ],
      models: ['m'],
      scores: scoresOf({ m: { 'ds-a': score(10, 1), 'ds-b': score(20, 1) } }),
      groups: [{ name: 'ab', subsets: ['ds-a', 'ds-b'], average: 'naive' }],
    });
    expect(mixed.rows[3]).toMatchObject({ dataset: 'ab', version: '-', metric: 'naive_average', mode: 'mixed', values: [15] });
  });

  describe('datasetAbbrs', () => {
    it("follows the given order; a bare group name shows its first metric, [abbr, metric] that metric; sextant's rows follow", () => {
      const ordered = buildSummary({
        datasets,
        models: ['m1', 'm2'],
        scores,
        groups,
        datasetAbbrs: ['ab', 'ds-c', { abbr: 'all', metric: 'naive_average' }, 'ds-a'],
      });
      expect(ordered.rows.map((entry) => `${entry.dataset}/${entry.metric}`)).toEqual([
        'ab/accuracy',
        'ds-c/accuracy',
        'all/naive_average',
        'all/weighted_average',
        'ds-a/accuracy',
      ]);
    });

    it('an unknown name, or a metric the row does not have, becomes an all-"-" row', () => {
      const ordered = buildSummary({ datasets, models: ['m1', 'm2'], scores, groups: [], datasetAbbrs: ['nope', { abbr: 'ds-a', metric: 'score' }] });
      expect(ordered.rows).toEqual([
        { dataset: 'nope', version: '-', metric: '-', mode: '-', values: [undefined, undefined] },
        { dataset: 'ds-a', version: '-', metric: '-', mode: '-', values: [undefined, undefined] },
      ]);
    });
  });

  // OpenCompass's DefaultSummarizer writes `[abbr, '-', '-', '-', '-'…]` for a dataset no model has a result for.
  it('a dataset with no result for any model has version, metric and mode "-"', () => {
    const empty = buildSummary({ datasets, models: ['m'], scores: scoresOf({ m: {} }), groups: [] });
    expect(empty.rows[0]).toMatchObject({ dataset: 'ds-a', version: '-', metric: '-', mode: '-', values: [undefined] });
  });
});

describe("buildSummary: OpenCompass's group rules (2025-03)", () => {
  const many = (metrics: Record<string, number>, count = 10): DatasetScore => ({ metrics, count, failed: 0 });

  it('one row per metric of a dataset, in the results order given (whitelist order is applied by resultMetrics)', () => {
    const table = buildSummary({
      datasets: [{ abbr: 'mbpp', version: '830460', mode: 'gen' }],
      models: ['m'],
      scores: scoresOf({ m: { mbpp: many({ score: 40, pass: 200, timeout: 1 }) } }),
      groups: [],
    });
    expect(table.rows.map((entry) => [entry.metric, entry.values[0]])).toEqual([
      ['score', 40],
      ['pass', 200],
      ['timeout', 1],
    ]);
  });

  it("a mixed-metric group (AGIEval) gets only naive_average, from each subset's first metric", () => {
    const table = buildSummary({
      datasets: [
        { abbr: 'agieval-lsat-ar', version: 'aaaaaa', mode: 'gen' },
        { abbr: 'agieval-math', version: 'bbbbbb', mode: 'gen' },
      ],
      models: ['m'],
      scores: scoresOf({ m: { 'agieval-lsat-ar': many({ accuracy: 30 }), 'agieval-math': many({ score: 12 }) } }),
      groups: [{ name: 'agieval', subsets: ['agieval-lsat-ar', 'agieval-math'], average: 'naive' }],
    });
    const group = table.rows.filter((entry) => entry.dataset === 'agieval');
    expect(group.map((entry) => [entry.metric, entry.values[0]])).toEqual([['naive_average', (30 + 12) / 2]]);
  });

  it('a group shows every metric all subsets share, each the mean of that metric, then naive_average of the first metrics', () => {
    const table = buildSummary({
      datasets: [
        { abbr: 'x', version: 'xxxxxx', mode: 'gen' },
        { abbr: 'y', version: 'yyyyyy', mode: 'gen' },
      ],
      models: ['m'],
      scores: scoresOf({ m: { x: many({ score: 10, pass: 4, extra: 1 }), y: many({ score: 30, pass: 8 }) } }),
      groups: [{ name: 'xy', subsets: ['x', 'y'], average: 'naive' }],
    });
    expect(table.rows.filter((entry) => entry.dataset === 'xy').map((entry) => [entry.metric, entry.values[0]])).toEqual([
      ['score', 20],
      ['pass', 6],
      ['naive_average', 20],
    ]);
  });

  it('a weighted group (mmlu-weighted) weights every metric, dividing by the sum of all weights', () => {
    const weights = { a: 100, b: 300 };
    const table = buildSummary({
      datasets: [
        { abbr: 'a', version: 'aaaaaa', mode: 'gen' },
        { abbr: 'b', version: 'bbbbbb', mode: 'gen' },
      ],
      models: ['m'],
      scores: scoresOf({ m: { a: many({ accuracy: 80 }), b: many({ accuracy: 40 }) } }),
      groups: [{ name: 'w', subsets: ['a', 'b'], average: 'weighted', weights }],
    });
    const expected = (80 * 100 + 40 * 300) / 400;
    expect(table.rows.filter((entry) => entry.dataset === 'w').map((entry) => [entry.metric, entry.values[0]])).toEqual([
      ['accuracy', expected],
      ['weighted_average', expected],
    ]);
  });

  it('a group over groups uses their first metric; a group no model has complete is left out', () => {
    const table = buildSummary({
      datasets: [
        { abbr: 'a', version: 'aaaaaa', mode: 'gen' },
        { abbr: 'b', version: 'bbbbbb', mode: 'gen' },
        { abbr: 'c', version: 'cccccc', mode: 'gen' },
      ],
      models: ['m'],
      scores: scoresOf({ m: { a: many({ accuracy: 10 }), b: many({ accuracy: 20 }), c: many({ accuracy: 60 }) } }),
      groups: [
        { name: 'ab', subsets: ['a', 'b'], average: 'naive' },
        { name: 'ab-c', subsets: ['ab', 'c'], average: 'naive' },
        { name: 'with-missing', subsets: ['a', 'zzz'], average: 'naive' },
      ],
    });
    expect(table.rows.filter((entry) => entry.dataset === 'ab-c').map((entry) => [entry.metric, entry.values[0]])).toEqual([
      ['accuracy', (15 + 60) / 2],
      ['naive_average', (15 + 60) / 2],
    ]);
    expect(table.rows.some((entry) => entry.dataset === 'with-missing')).toBe(false);
  });

  it('an evaluator error (no metrics) is "-" and makes its groups "-" for that model', () => {
    const table = buildSummary({
      datasets: [
        { abbr: 'a', version: 'aaaaaa', mode: 'gen' },
        { abbr: 'b', version: 'bbbbbb', mode: 'gen' },
      ],
      models: ['m1', 'm2'],
      scores: scoresOf({ m1: { a: many({ accuracy: 10 }), b: many({ accuracy: 30 }) }, m2: { a: many({}), b: many({ accuracy: 50 }) } }),
      groups: [{ name: 'ab', subsets: ['a', 'b'], average: 'naive' }],
    });
    expect(table.rows.find((entry) => entry.dataset === 'a')?.values).toEqual([10, undefined]);
    expect(table.rows.find((entry) => entry.dataset === 'ab' && entry.metric === 'naive_average')?.values).toEqual([20, undefined]);
  });
});

describe('buildSummary with the C-Eval groups', () => {
  const variant = cevalVariants.find((candidate) => candidate.configName === 'ceval_gen_5f30c7')!;
  const tasks = cevalDatasets(variant);
  const groups = cevalSummaryGroups();

  it('shows only val groups for a val-only run, naive ceval and weighted ceval', () => {
    const perDataset = Object.fromEntries(tasks.map((task, index) => [task.abbr, score(index % 2 === 0 ? 100 : 0, index + 1)]));
    const table = buildSummary({ datasets: tasks, models: ['m'], scores: scoresOf({ m: perDataset }), groups });
    const groupRows = table.rows.slice(52);
    expect(groupRows.map((row) => `${row.dataset}/${row.metric}`)).toEqual([
      'ceval-stem/accuracy',
      'ceval-stem/naive_average',
      'ceval-social-science/accuracy',
      'ceval-social-science/naive_average',
      'ceval-humanities/accuracy',
      'ceval-humanities/naive_average',
      'ceval-other/accuracy',
      'ceval-other/naive_average',
      'ceval-hard/accuracy',
      'ceval-hard/naive_average',
      'ceval/accuracy',
      'ceval/naive_average',
      'ceval/weighted_average',
    ]);
    expect(groupRows[11]?.values[0]).toBe(50);
    // Weighted: datasets at even positions (weights 1, 3, 5, …, 51) score 100.
    const weights = tasks.map((_, index) => index + 1);
    const expected = (100 * weights.filter((_, index) => index % 2 === 0).reduce((a, b) => a + b, 0)) / weights.reduce((a, b) => a + b, 0);
    expect(groupRows[12]?.values[0]).toBeCloseTo(expected, 10);
    expect(groupRows[12]?.origin).toBe('sextant');
    expect(groupRows.every((row) => row.mode === 'gen' && row.version === '-')).toBe(true);
  });

  it('group sizes: stem 20, social science 10, humanities 11, other 11, hard 8, ceval 52', () => {
    const sizes = Object.fromEntries(
      groups.filter((group) => group.average === 'naive' && !group.name.startsWith('ceval-test')).map((group) => [group.name, group.subsets.length]),
    );
    expect(sizes).toEqual({ 'ceval-stem': 20, 'ceval-social-science': 10, 'ceval-humanities': 11, 'ceval-other': 11, 'ceval-hard': 8, ceval: 52 });
  });
});

describe('buildSummary intervals', () => {
  it('gives a dataset row the Wilson interval of its outcomes and a group row a bootstrap interval around its mean', () => {
    const outcomes = (correct: number, total: number) => Uint8Array.from({ length: total }, (_, index) => (index < correct ? 1 : 0));
    const scores = new Map([
      [
        'm',
        new Map([
          ['x', { metrics: { accuracy: 50 }, count: 10, failed: 0, outcomes: outcomes(5, 10) }],
          ['y', { metrics: { accuracy: 25 }, count: 20, failed: 0, outcomes: outcomes(5, 20) }],
        ]),
      ],
    ]);
    const table = buildSummary({
      datasets: [
        { abbr: 'x', version: 'xxxxxx', mode: 'gen' },
        { abbr: 'y', version: 'yyyyyy', mode: 'gen' },
      ],
      models: ['m'],
      scores,
      groups: [{ name: 'xy', subsets: ['x', 'y'], average: 'naive' }],
    });
    // Wilson 5/10 at 95%: [0.2366, 0.7634] (worked by hand in src/stats/wilson-interval.test.ts).
    expect(table.rows[0]?.intervals?.[0]?.lower).toBeCloseTo(23.66, 1);
    expect(table.rows[0]?.intervals?.[0]?.upper).toBeCloseTo(76.34, 1);
    const group = table.rows.find((row) => row.dataset === 'xy' && row.metric === 'naive_average')!;
    expect(group.values[0]).toBeCloseTo(37.5, 10);
    expect(group.intervals?.[0]?.lower).toBeLessThan(37.5);
    expect(group.intervals?.[0]?.upper).toBeGreaterThan(37.5);
    expect(summaryToGrid(table, { intervals: true })[1]?.[4]).toMatch(/^50\.00 \[23\.6\d, 76\.3\d\]$/);
  });
});
