import { describe, expect, it } from 'vitest';
import { resolveDatasets } from '../../registry/dataset-registry.js';
import type { SummaryGroup } from '../../spec/index.js';
import { bootstrapGroupMean, wilsonInterval } from '../../stats/index.js';
import { buildRunReport, type ModelExtractionAudit, type ScoredDatasetResults } from './build-run-report.js';

/** Results whose sample i extracted `extracted[i]` against gold `gold[i]`. */
function results(extracted: string, gold: string, options: { failed?: number; type?: 'GEN' | 'PPL' } = {}): ScoredDatasetResults {
  const details: Record<string, unknown> = { type: options.type ?? 'GEN' };
  let correct = 0;
  [...gold].forEach((reference, index) => {
    const prediction = extracted[index] === '_' ? '' : (extracted[index] ?? '');
    if (prediction === reference) correct += 1;
    details[String(index)] = { prompt: 'a long prompt', origin_prediction: `raw ${prediction}`, predictions: prediction, references: reference };
  });
  return { accuracy: (100 * correct) / gold.length, failed: options.failed ?? 0, details };
}

function audit(datasets: Array<{ dataset: string; samples: number; unextracted: number[] }>): ModelExtractionAudit {
  return {
    validOptions: 'ABCD',
    datasets: datasets.map((entry) => ({
      dataset: entry.dataset,
      samples: entry.samples,
      extracted: entry.samples - entry.unextracted.length,
      unextracted: entry.unextracted.map((index) => ({ index, gold: 'A', raw: `The answer is A (${index})`, extracted: 'T' })),
    })),
  };
}

const physics = 'ceval-college_physics';
const mathematics = 'ceval-advanced_mathematics';
const law = 'ceval-law';
const groups: SummaryGroup[] = [
  { name: 'ceval-hard', subsets: [physics, mathematics], average: 'naive' },
  { name: 'ceval', subsets: [physics, mathematics, law], average: 'naive' },
  { name: 'ceval', subsets: [physics, mathematics, law], average: 'questions' },
  { name: 'mmlu', subsets: ['mmlu-anatomy'], average: 'naive' },
];

function twoModelReport(unextractedLimit?: number) {
  return buildRunReport({
    run: { timestamp: '20260101_120000', sextantVersion: '0.1.0', datasetConfigs: ['ceval_gen'], limit: null, generatedAt: '2026-01-01T12:00:00.000Z' },
    models: [{ abbr: 'alpha', modelName: 'alpha-7b' }, { abbr: 'beta' }],
    datasets: [
      { abbr: physics, version: '963fa8' },
      { abbr: mathematics, version: 'ce03e2' },
      { abbr: law, version: 'a110a1' },
    ],
    results: new Map([
      [
        'alpha',
        new Map([
          [physics, results('ABCDTA', 'ABCDAB', { failed: 1 })],
          [mathematics, results('AAAA', 'ABCD')],
          [law, results('DDDDDDDD', 'DDDDDDDA', { type: 'PPL' })],
        ]),
      ],
      [
        'beta',
        new Map([
          [physics, results('AAAAAA', 'ABCDAB', { type: 'PPL' })],
          [mathematics, results('ABCD', 'ABCD', { failed: 2 })],
        ]),
      ],
    ]),
    // As the api passes them: each dataset's label from its benchmark's definition.
    labels: new Map(resolveDatasets(['ceval_gen']).flatMap((task) => (task.label ? [[task.abbr, task.label] as const] : []))),
    extraction: new Map([
      [
        'alpha',
        audit([
          { dataset: physics, samples: 6, unextracted: [4] },
          { dataset: mathematics, samples: 4, unextracted: [] },
          { dataset: law, samples: 8, unextracted: [1, 2, 3] },
        ]),
      ],
      [
        'beta',
        audit([
          { dataset: physics, samples: 6, unextracted: [] },
          { dataset: mathematics, samples: 4, unextracted: [0, 1] },
        ]),
      ],
    ]),
    groups,
    ...(unextractedLimit !== undefined ? { unextractedLimit } : {}),
  });
}

describe('buildRunReport', () => {
  it('gives each dataset row its 95% Wilson interval, in points, per model', () => {
    const report = twoModelReport();
    const row = report.summary.rows.find((entry) => entry.dataset === physics);
    const alpha = wilsonInterval({ successes: 4, trials: 6 });
    const beta = wilsonInterval({ successes: 2, trials: 6 });
    expect(row?.values).toEqual([(100 * 4) / 6, (100 * 2) / 6]);
    expect(row?.intervals?.[0]?.lower).toBeCloseTo(100 * alpha.lower, 10);
    expect(row?.intervals?.[0]?.upper).toBeCloseTo(100 * alpha.upper, 10);
    expect(row?.intervals?.[1]?.lower).toBeCloseTo(100 * beta.lower, 10);
    expect(row?.intervals?.[1]?.upper).toBeCloseTo(100 * beta.upper, 10);
  });

  it('gives each complete group its seeded bootstrap interval over questions within each subject', () => {
    const report = twoModelReport();
    // Since OpenCompass 2025-03 a group also has a row per metric its subsets share (`accuracy`), the same mean.
    const hard = report.summary.rows.find((entry) => entry.dataset === 'ceval-hard' && entry.metric === 'naive_average');
    const expected = bootstrapGroupMean({
      subsets: [{ outcomes: [1, 1, 1, 1, 0, 0] }, { outcomes: [1, 0, 0, 0] }],
      weighting: 'naive',
      seed: 0,
      iterations: 2000,
    });
    expect(hard?.metric).toBe('naive_average');
    expect(hard?.values[0]).toBeCloseTo(expected.estimate, 10);
    expect(hard?.intervals?.[0]?.lower).toBeCloseTo(expected.lower, 10);
    expect(hard?.intervals?.[0]?.upper).toBeCloseTo(expected.upper, 10);
    expect(report.bootstrap).toEqual({ iterations: 2000, seed: 0 });
  });

  it('leaves a group without a value or interval for a model missing one of its subsets', () => {
    const overall = twoModelReport().summary.rows.filter((entry) => entry.dataset === 'ceval');
    expect(overall.map((row) => row.metric)).toEqual(['accuracy', 'naive_average', 'weighted_average']);
    expect(overall.map((row) => row.origin)).toEqual([undefined, undefined, 'sextant']);
    for (const row of overall) {
      expect(row.values[0]).toBeTypeOf('number');
      expect(row.values[1]).toBeUndefined();
      expect(row.intervals?.[1]).toBeUndefined();
    }
  });

  it('drops groups with no subset in the run', () => {
    expect(twoModelReport().summary.rows.map((row) => row.dataset)).toEqual([physics, mathematics, law, 'ceval-hard', 'ceval-hard', 'ceval', 'ceval', 'ceval']);
  });

  it("takes each dataset's mode from its results files", () => {
    const rows = twoModelReport().summary.rows;
    expect(rows.find((row) => row.dataset === law)?.mode).toBe('ppl');
    expect(rows.find((row) => row.dataset === mathematics)?.mode).toBe('gen');
  });

  it('totals questions, failed samples and extraction per model', () => {
    const [alpha, beta] = twoModelReport().models;
    expect(alpha).toMatchObject({
      abbr: 'alpha',
      modelName: 'alpha-7b',
      datasetCount: 3,
      questions: 18,
      failed: 1,
      extraction: { samples: 18, extracted: 14 },
      unextractedTotal: 4,
    });
    expect(beta).toMatchObject({ abbr: 'beta', datasetCount: 2, questions: 10, failed: 2, extraction: { samples: 10, extracted: 8 }, unextractedTotal: 2 });
    expect(beta?.modelName).toBeUndefined();
    expect(alpha?.extractionByDataset.get(law)).toEqual({ samples: 8, extracted: 5 });
  });

  it('lists unextracted samples in dataset then index order, up to the limit, tagged with their dataset', () => {
    const alpha = twoModelReport(3).models[0];
    expect(alpha?.unextracted.map((sample) => [sample.dataset, sample.index])).toEqual([
      [physics, 4],
      [law, 1],
      [law, 2],
    ]);
    expect(alpha?.unextracted[0]).toEqual({ dataset: physics, index: 4, gold: 'A', raw: 'The answer is A (4)', extracted: 'T' });
    expect(alpha?.unextractedTotal).toBe(4);
  });

  it("labels datasets and counts each one's questions as the most any model has", () => {
    const report = twoModelReport();
    expect(report.datasets.map((dataset) => [dataset.label.key, dataset.label.name, dataset.questions])).toEqual([
      ['college_physics', '大学物理', 6],
      ['advanced_mathematics', '高等数学', 4],
      ['law', '法学', 8],
    ]);
    expect(report.validOptions).toBe('ABCD');
    expect(report.run.generatedAt).toBe('2026-01-01T12:00:00.000Z');
  });
});
