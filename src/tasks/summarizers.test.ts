import { describe, expect, it } from 'vitest';
import { buildSummary, summaryToGrid, type DatasetScore } from '../report/index.js';
import type { InferenceMode, SummaryGroup } from '../spec/index.js';
import { summarizers } from './summarizers.js';

const chatOC15 = summarizers.find((summarizer) => summarizer.name === 'chat_OC15')!;

/** chat_OC15.py's `average` subsets, written out here from the OpenCompass file (not read from the definition). */
const averagePairs: Array<[string, string]> = [
  ['mmlu', 'naive_average'],
  ['cmmlu', 'naive_average'],
  ['ceval', 'naive_average'],
  ['GaokaoBench', 'weighted_average'],
  ['triviaqa_wiki_1shot', 'score'],
  ['nq_open_1shot', 'score'],
  ['race-high', 'accuracy'],
  ['winogrande', 'accuracy'],
  ['hellaswag', 'accuracy'],
  ['bbh', 'naive_average'],
  ['gsm8k', 'accuracy'],
  ['math', 'accuracy'],
  ['TheoremQA', 'score'],
  ['openai_humaneval', 'humaneval_pass@1'],
  ['sanitized_mbpp', 'score'],
  ['GPQA_diamond', 'accuracy'],
  ['IFEval', 'Prompt-level-strict-accuracy'],
];

/** Every pair as one "dataset" with the pair's metric (plus a decoy metric first), so the groups see them all. */
function suite(values: ReadonlyMap<string, number>, skip: readonly string[] = []) {
  const present = averagePairs.filter(([abbr]) => !skip.includes(abbr));
  const datasets = present.map(([abbr], index) => ({ abbr, version: 'abcdef', mode: (index % 2 === 0 ? 'gen' : 'ppl') as InferenceMode }));
  const perDataset = new Map<string, DatasetScore>(
    present.map(([abbr, metric]) => [abbr, { metrics: { decoy: -1, [metric]: values.get(abbr) as number }, count: 10, failed: 0 }]),
  );
  return { datasets, scores: new Map([['model', perDataset]]) };
}

const valuesByAbbr = new Map(averagePairs.map(([abbr], index) => [abbr, 10 + index * 3.7]));
const groups = (chatOC15.groups ?? []) as SummaryGroup[];

describe('chat_OC15', () => {
  it("asks for OpenCompass's rows: average first, then its 17 pairs in the file's order", () => {
    expect(chatOC15.rows).toEqual([{ abbr: 'average', metric: 'naive_average' }, ...averagePairs.map(([abbr, metric]) => ({ abbr, metric }))]);
    for (const group of groups) expect(group.metrics).toHaveLength(group.subsets.length);
  });

  it('average is the naive mean of the pairs when all are present; no sextant row then', () => {
    const { datasets, scores } = suite(valuesByAbbr);
    const table = buildSummary({ datasets, models: ['model'], scores, groups, datasetAbbrs: chatOC15.rows });
    const expected = [...valuesByAbbr.values()].reduce((sum, value) => sum + value, 0) / averagePairs.length;
    expect(table.rows[0]).toMatchObject({ dataset: 'average', version: '-', metric: 'naive_average', mode: 'mixed' });
    expect(table.rows[0]?.values[0]).toBeCloseTo(expected, 12);
    expect(table.rows.filter((row) => row.origin === 'sextant')).toEqual([]);
    expect(table.rows).toHaveLength(1 + averagePairs.length);
  });

  it('a missing pair makes average an error row ("-") in the csv; the sextant row averages the available pairs, labelled', () => {
    const missing = ['GaokaoBench', 'TheoremQA', 'IFEval'];
    const { datasets, scores } = suite(valuesByAbbr, missing);
    const table = buildSummary({ datasets, models: ['model'], scores, groups, datasetAbbrs: chatOC15.rows });
    const grid = summaryToGrid(table);
    expect(grid[1]).toEqual(['average', '-', '-', '-', '-']);
    expect(grid).toHaveLength(1 + 1 + averagePairs.length);
    const available = averagePairs.filter(([abbr]) => !missing.includes(abbr)).map(([abbr]) => valuesByAbbr.get(abbr) as number);
    const extra = table.rows[1]!;
    expect(extra).toMatchObject({ dataset: 'average', version: '-', metric: `naive_average of ${available.length} of 17 available`, origin: 'sextant' });
    expect(extra.values[0]).toBeCloseTo(available.reduce((sum, value) => sum + value, 0) / available.length, 12);
    const display = summaryToGrid(table, { sextant: true });
    expect(display[2]?.[2]).toBe('naive_average of 14 of 17 available (sextant)');
  });

  it('a pair whose dataset lacks the named metric counts as missing', () => {
    const { datasets, scores } = suite(valuesByAbbr);
    const model = scores.get('model')!;
    model.set('gsm8k', { metrics: { score: 50 }, count: 10, failed: 0 });
    const table = buildSummary({ datasets, models: ['model'], scores, groups, datasetAbbrs: chatOC15.rows });
    expect(table.rows[0]?.values).toEqual([undefined]);
    expect(table.rows[1]?.metric).toBe('naive_average of 16 of 17 available');
  });

  it('with none of the pairs in the run, average is an error row and there is no sextant row', () => {
    const table = buildSummary({ datasets: [], models: ['model'], scores: new Map(), groups, datasetAbbrs: chatOC15.rows });
    expect(table.rows[0]).toMatchObject({ dataset: 'average', metric: '-' });
    expect(table.rows.some((row) => row.origin === 'sextant')).toBe(false);
  });

  it('averages a group row by the metric named (ceval naive_average from its subjects)', () => {
    const datasets = [
      { abbr: 'ceval-a', version: 'aaaaaa', mode: 'ppl' as InferenceMode },
      { abbr: 'ceval-b', version: 'bbbbbb', mode: 'ppl' as InferenceMode },
    ];
    const scores = new Map([
      [
        'model',
        new Map<string, DatasetScore>([
          ['ceval-a', { metrics: { accuracy: 30 }, count: 5, failed: 0 }],
          ['ceval-b', { metrics: { accuracy: 60 }, count: 5, failed: 0 }],
        ]),
      ],
    ]);
    const ceval: SummaryGroup = { name: 'ceval', subsets: ['ceval-a', 'ceval-b'], average: 'naive' };
    const table = buildSummary({ datasets, models: ['model'], scores, groups: [ceval, ...groups], datasetAbbrs: chatOC15.rows });
    expect(table.rows[1]).toMatchObject({ dataset: 'average', metric: 'naive_average of 1 of 17 available', mode: 'ppl', values: [45], origin: 'sextant' });
  });
});
