import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accEvaluator } from '../evaluators/index.js';
import type { DatasetTask, Evaluator } from '../spec/index.js';
import { wilsonInterval } from '../stats/index.js';
import { scoreTask } from './score-task.js';

const task = (overrides: Partial<DatasetTask> = {}): DatasetTask => ({
  abbr: 'demo',
  benchmark: 'demo',
  configName: 'demo_gen',
  version: 'abcdef',
  mode: 'gen',
  requestKind: 'generate',
  postprocess: (text) => text.trim().slice(0, 1),
  evaluator: accEvaluator,
  dataFiles: [],
  loadSamples: async () => [],
  ...overrides,
});

async function predictions(entries: Record<string, unknown>) {
  const folder = await mkdtemp(join(tmpdir(), 'sextant-score-'));
  const predictionsPath = join(folder, 'predictions.json');
  await writeFile(predictionsPath, JSON.stringify(entries));
  return { folder, predictionsPath, resultsPath: join(folder, 'results.json') };
}

describe('scoreTask', () => {
  it("writes the evaluator's metrics, failed, a Wilson interval for the 0/1 metric, and details with correct/pred", async () => {
    const paths = await predictions({
      '0': { origin_prompt: 'q0', prediction: ' B. yes', gold: 'B' },
      '1': { origin_prompt: 'q1', prediction: 'C', gold: 'A' },
      '2': { origin_prompt: 'q2', prediction: '', gold: 'A', error: 'HTTP 500' },
    });
    const results = await scoreTask({ task: task(), ...paths });
    const stored = JSON.parse(await readFile(paths.resultsPath, 'utf8'));
    expect(stored).toEqual(results);
    expect(Object.keys(stored)).toEqual(['accuracy', 'failed', 'accuracy_ci95', 'details']);
    expect(stored.accuracy).toBe(100 * (1 / 3));
    expect(stored.failed).toBe(1);
    const interval = wilsonInterval({ successes: 1, trials: 3 });
    expect(stored.accuracy_ci95).toEqual({ method: 'wilson', lower: 100 * interval.lower, upper: 100 * interval.upper });
    expect(stored.details).toEqual({
      type: 'GEN',
      '0': { prompt: 'q0', origin_prediction: ' B. yes', predictions: 'B', references: 'B', correct: true, pred: 'B', answer: 'B' },
      '1': { prompt: 'q1', origin_prediction: 'C', predictions: 'C', references: 'A', correct: false, pred: 'C', answer: 'A' },
      '2': { prompt: 'q2', origin_prediction: '', predictions: '', references: 'A', correct: false, pred: '', answer: 'A', error: 'HTTP 500' },
    });
  });

  it("applies the dataset's reference postprocessor, passes row fields, and gives no interval to a fractional metric", async () => {
    const paths = await predictions({
      '0': { origin_prompt: 'q', prediction: '7', gold: 'so 7 #### 7' },
      '1': { origin_prompt: 'q', prediction: '8', gold: 'x #### 9' },
    });
    await writeFile(join(paths.folder, 'samples.jsonl'), `${JSON.stringify({ index: 1, key: 'k', evaluatorInput: { weight: 3 } })}\n`);
    const seen: unknown[] = [];
    const evaluator: Evaluator = {
      name: 'PartialEvaluator',
      metrics: ['score', 'pass'],
      async evaluate(input) {
        seen.push(input.references, input.evaluatorInputs, input.originPredictions);
        input.context.cache?.set('run-1', { passed: true });
        return { metrics: { score: 75, pass: 1 }, samples: [{ correct: 1 }, { correct: 0.5, fields: { result: 'partial' } }] };
      },
    };
    const cachePath = join(paths.folder, 'demo.eval-cache.jsonl');
    const results = await scoreTask({
      task: task({ evaluator, postprocess: (text) => text, postprocessReference: (reference) => String(reference).split('#### ')[1] ?? '' }),
      ...paths,
      samplesPath: join(paths.folder, 'samples.jsonl'),
      cachePath,
    });
    expect(seen).toEqual([
      ['7', '9'],
      [{}, { weight: 3 }],
      ['7', '8'],
    ]);
    expect(Object.keys(results)).toEqual(['score', 'pass', 'failed', 'details']);
    expect((results.details as Record<string, unknown>)['1']).toMatchObject({ references: '9', correct: 0.5, result: 'partial' });
    expect(await readFile(cachePath, 'utf8')).toBe('{"key":"run-1","value":{"passed":true}}\n');
  });

  it('gives the interval only to the first metric that is the 0/1 mean, never to a count that equals it by chance', async () => {
    const paths = await predictions({
      '0': { origin_prompt: 'q0', prediction: 'x', gold: 'y' },
      '1': { origin_prompt: 'q1', prediction: 'x', gold: 'y' },
    });
    // MBPP's shape: `score` is the pass share; `timeout` is a count, 0 here like the share of 0/1 outcomes.
    const evaluator: Evaluator = {
      name: 'CountsEvaluator',
      metrics: ['score', 'timeout'],
      evaluate: () => ({ metrics: { score: 0, timeout: 0 }, samples: [{ correct: false }, { correct: false }] }),
    };
    const results = await scoreTask({ task: task({ evaluator }), ...paths });
    const interval = wilsonInterval({ successes: 0, trials: 2 });
    expect(results['score_ci95']).toEqual({ method: 'wilson', lower: 100 * interval.lower, upper: 100 * interval.upper });
    expect(results['timeout_ci95']).toBeUndefined();
  });

  it('marks generations of one question (--num-samples) with their repeat and gives them no interval', async () => {
    const paths = await predictions({
      '0': { origin_prompt: 'q0', prediction: 'A', gold: 'A' },
      '1': { origin_prompt: 'q0', prediction: 'B', gold: 'A' },
      '2': { origin_prompt: 'q1', prediction: 'C', gold: 'C' },
      '3': { origin_prompt: 'q1', prediction: 'C', gold: 'C' },
    });
    const log = [0, 1, 2, 3].map((index) =>
      JSON.stringify({ index, key: `k${index}`, originPrompt: `q${index >> 1}`, prediction: '', gold: '', repeat: index % 2 }),
    );
    await writeFile(join(paths.folder, 'samples.jsonl'), `${log.join('\n')}\n`);
    const results = await scoreTask({ task: task(), ...paths, samplesPath: join(paths.folder, 'samples.jsonl') });
    expect(results['accuracy']).toBe(75);
    expect(results['accuracy_ci95']).toBeUndefined();
    const details = results.details as Record<string, { repeat?: number; correct?: boolean }>;
    expect([0, 1, 2, 3].map((index) => [details[String(index)]?.repeat, details[String(index)]?.correct])).toEqual([
      [0, true],
      [1, false],
      [0, true],
      [1, true],
    ]);
  });

  it('records an evaluator that throws as {"error": …}, as OpenCompass does', async () => {
    const paths = await predictions({ '0': { origin_prompt: 'q', prediction: 'x', gold: 'y' } });
    const warnings: string[] = [];
    const evaluator: Evaluator = { name: 'Broken', metrics: ['score'], evaluate: () => Promise.reject(new Error('no sandbox')) };
    const results = await scoreTask({ task: task({ evaluator }), ...paths, warn: (message) => warnings.push(message) });
    expect(results).toEqual({ error: 'Broken: no sandbox', failed: 0, details: { type: 'GEN' } });
    expect(warnings).toEqual(['demo: evaluation failed: no sandbox']);
  });
});
