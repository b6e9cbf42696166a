import { describe, expect, it } from 'vitest';
import { resolveDatasets, summaryGroups } from '../../registry/dataset-registry.js';
import { cevalSubjects } from '../../tasks/ceval/index.js';
import { formatPythonFloat } from '../format/index.js';
import { buildRunReport, type ScoredDatasetResults } from './build-run-report.js';
import type { ChartData } from './build-chart-data.js';
import { readChartLibrary } from './read-chart-library.js';
import { renderRunReport } from './render-run-report.js';

const chartLibrary = '/*! stand-in chart library, see https://example.org/licence */ window.StandIn = "</script>";';

function results(extracted: string, gold: string): ScoredDatasetResults {
  const details: Record<string, unknown> = { type: 'GEN' };
  let correct = 0;
  [...gold].forEach((reference, index) => {
    const prediction = extracted[index] ?? '';
    if (prediction === reference) correct += 1;
    details[String(index)] = { prompt: 'PROMPT-TEXT', origin_prediction: prediction, predictions: prediction, references: reference };
  });
  return { accuracy: (100 * correct) / gold.length, failed: 0, details };
}

/** The overall C-Eval group's label, as its definition gives it. */
const cevalOverall = summaryGroups().find((group) => group.name === 'ceval')?.label;

function render(models: readonly string[]): string {
  const datasets = [
    { abbr: 'ceval-computer_network', version: 'db9ce2' },
    { abbr: 'ceval-mao_zedong_thought', version: '51c7a4' },
  ];
  const report = buildRunReport({
    run: { timestamp: '20260101_120000', datasetConfigs: ['ceval_gen'], limit: 3, generatedAt: '2026-01-01T12:00:00.000Z' },
    models: models.map((abbr) => ({ abbr })),
    datasets,
    results: new Map(models.map((abbr) => [abbr, new Map(datasets.map((dataset) => [dataset.abbr, results('ABT', 'ABC')]))])),
    extraction: new Map(
      models.map((abbr) => [
        abbr,
        {
          validOptions: 'ABCD',
          datasets: datasets.map((dataset) => ({
            dataset: dataset.abbr,
            samples: 3,
            extracted: 2,
            unextracted: [{ index: 2, gold: 'C', raw: '<script>alert("x")</script> The answer is C', extracted: 'T' }],
          })),
        },
      ]),
    ),
    groups: [{ name: 'ceval', subsets: datasets.map((dataset) => dataset.abbr), average: 'naive', label: cevalOverall }],
    labels: new Map(resolveDatasets(['ceval_gen']).flatMap((task) => (task.label ? [[task.abbr, task.label] as const] : []))),
  });
  return renderRunReport({ report, chartLibrary });
}

function chartData(html: string): ChartData {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error('no #report-data');
  return JSON.parse(match[1] as string) as ChartData;
}

describe('renderRunReport', () => {
  const html = render(['alpha-7b', 'beta <13b>']);

  it('is one HTML document whose policy forbids loading anything', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
  });

  it('inlines the chart library once, unable to close its script element early', () => {
    expect(html.split('stand-in chart library').length).toBe(2);
    expect(html).toContain('window.StandIn = "<\\/script>";');
    expect(html.replace(chartLibrary.replace('</script>', '<\\/script>'), '')).not.toMatch(/https?:\/\//);
  });

  it('escapes model names and raw predictions', () => {
    expect(html).toContain('beta &lt;13b&gt;');
    expect(html).not.toContain('beta <13b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; The answer is C');
    expect(html).not.toContain('<script>alert');
  });

  it('shows each score with its interval, formatted as the summary files do', () => {
    const score = formatPythonFloat((100 * 2) / 3, '.2f');
    expect(html).toMatch(new RegExp(`<span class="score">${score}</span><span class="ci">\\[\\d+\\.\\d\\d, \\d+\\.\\d\\d\\]</span>`));
  });

  it('shows subject keys with their Chinese names, and one column per model', () => {
    expect(html).toContain('<code>ceval-mao_zedong_thought</code></td><td class="zh">毛泽东思想和中国特色社会主义理论体系概论</td>');
    const header = /<table class="summary">\s*<thead>(.*?)<\/thead>/s.exec(html)?.[1] ?? '';
    expect(header.match(/class="swatch"/g)).toHaveLength(2);
    expect(/<table class="summary">\s*<thead>(.*?)<\/thead>/s.exec(render(['solo']))?.[1]?.match(/class="swatch"/g)).toHaveLength(1);
  });

  it('embeds the chart data once as JSON: one series per model, with intervals', () => {
    const data = chartData(html);
    expect(data.models).toEqual(['alpha-7b', 'beta <13b>']);
    expect(data.colors).toHaveLength(2);
    expect(data.subjects.labels).toEqual(['computer_network 计算机网络', 'mao_zedong_thought 毛泽东思想和中国特色社会主义理论体系概论']);
    expect(data.categories.labels).toEqual(['Overall 总体']);
    expect(data.subjects.values).toEqual([
      [66.67, 66.67],
      [66.67, 66.67],
    ]);
    for (const [index, value] of (data.subjects.values[0] ?? []).entries()) {
      expect(data.subjects.lower[0]?.[index]).toBeLessThan(value as number);
      expect(data.subjects.upper[0]?.[index]).toBeGreaterThan(value as number);
    }
    expect(html).not.toContain('PROMPT-TEXT');
  });

  it('reports the extraction rate and lists unextracted samples per model', () => {
    expect(html).toContain('66.67% (4/6)');
    expect(html).toContain('alpha-7b: 2 unextracted samples');
    expect(html).toMatch(/<tr><td><code>ceval-computer_network<\/code><\/td><td class="number">2<\/td><td>C<\/td><td><code>T<\/code><\/td>/);
  });
});

describe('renderRunReport size', () => {
  it('stays under 1 MB for 8 models on all 52 subjects with every answer unextracted and long', async () => {
    const models = Array.from({ length: 8 }, (_, index) => `model-${index}-with-a-longish-name`);
    const datasets = cevalSubjects.map((subject) => ({ abbr: `ceval-${subject.key}`, version: 'abcdef' }));
    const gold = 'ABCD'.repeat(13).slice(0, 49);
    const raw = '让我们一步一步思考'.repeat(40);
    const report = buildRunReport({
      run: { timestamp: '20260101_120000', datasetConfigs: ['ceval_zero_shot_gen_bd40ef'], limit: null },
      models: models.map((abbr) => ({ abbr, modelName: abbr })),
      datasets,
      results: new Map(models.map((abbr) => [abbr, new Map(datasets.map((dataset) => [dataset.abbr, results('', gold)]))])),
      extraction: new Map(
        models.map((abbr) => [
          abbr,
          {
            validOptions: 'ABCD',
            datasets: datasets.map((dataset) => ({
              dataset: dataset.abbr,
              samples: 49,
              extracted: 0,
              unextracted: [...gold].map((answer, index) => ({ index, gold: answer, raw, extracted: '' })),
            })),
          },
        ]),
      ),
      groups: [],
    });
    const html = renderRunReport({ report, chartLibrary: await readChartLibrary() });
    expect(report.models[0]?.unextracted).toHaveLength(25);
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(1_000_000);
  });
});
