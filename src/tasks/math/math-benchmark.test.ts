import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBaseText } from '../../prompts/index.js';
import type { DatasetTask, EvaluationInput, JsonValue } from '../../spec/index.js';
import { configFileSuffix, datasetVersion } from '../opencompass-infer-config.js';
import { mathBenchmark } from './math-benchmark.js';
import { mathFourShotInferConfig, mathLegacyInferConfig, mathZeroShotInferConfig } from './math-templates.js';

const dataRoot = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

function task(configName: string): DatasetTask {
  const config = mathBenchmark.configs.find((entry) => entry.configName === configName || entry.aliases?.includes(configName));
  if (!config) throw new Error(`no config ${configName}`);
  return config.datasets()[0] as DatasetTask;
}

function vector(text: string): [number, string] {
  return [[...text].length, createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)];
}

function input(predictions: readonly string[], references: readonly JsonValue[]): EvaluationInput {
  return {
    predictions,
    references,
    originPredictions: predictions,
    evaluatorInputs: predictions.map(() => ({})),
    context: { signal: new AbortController().signal },
  };
}

describe('MATH-500 configs', () => {
  it('versions match reference 2.9 (11c4b5, a58d9d, 265cce)', () => {
    expect(datasetVersion(mathZeroShotInferConfig)).toBe('11c4b5');
    expect(configFileSuffix([mathZeroShotInferConfig])).toBe('11c4b5');
    expect(datasetVersion(mathFourShotInferConfig)).toBe('a58d9d');
    expect(datasetVersion(mathLegacyInferConfig)).toBe('265cce');
    expect(
      [task('math_500_gen'), task('math_prm800k_500_gen'), task('math_500_gen_a58d9d'), task('math_500_gen_265cce')].map((entry) => [
        entry.abbr,
        entry.version,
      ]),
    ).toEqual([
      ['math-500', '11c4b5'],
      ['math_prm800k_500', '11c4b5'],
      ['math-500-a58d9d', 'a58d9d'],
      ['math-500-265cce', '265cce'],
    ]);
    expect(task('math_500_gen_265cce').maxOutLen).toBe(512);
    expect(task('math_500_gen').maxOutLen).toBeUndefined();
  });

  it('render row 0 as reference 2.10 gives (232 / 6f533ecff8ed829f; math_gen prompt 2035 / f650752a75666ad9)', async () => {
    const [zeroShot] = await task('math_500_gen').loadSamples({ dataRoot, limit: 1 });
    expect(vector(renderBaseText(zeroShot!.dialogue))).toEqual([232, '6f533ecff8ed829f']);
    const [prm] = await task('math_prm800k_500_gen').loadSamples({ dataRoot, limit: 1 });
    expect(vector(renderBaseText(prm!.dialogue))).toEqual([232, '6f533ecff8ed829f']);
    const [fourShot] = await task('math_500_gen_a58d9d').loadSamples({ dataRoot, limit: 1 });
    const text = renderBaseText(fourShot!.dialogue);
    expect(vector(text)).toEqual([2035, 'f650752a75666ad9']);
    expect(text).toContain('\\boxed{{24}}');
  });

  it('math_500_gen keeps the full solution as reference; the MATHDataset configs its boxed answer', async () => {
    const samples = await task('math_500_gen').loadSamples({ dataRoot });
    expect(samples).toHaveLength(500);
    expect(samples[0]!.gold).toMatch(/\\boxed\{\\left\( 3, \\frac\{\\pi\}\{2\} \\right\)\}/u);
    expect(samples[0]!.id).toBe('test/precalculus/807.json');
    const prm = await task('math_prm800k_500_gen').loadSamples({ dataRoot, limit: 1 });
    expect(prm[0]!.gold).toBe('\\left( 3, \\frac{\\pi}{2} \\right)');
  });
});

describe('MATH evaluators', () => {
  const references = ['\\frac{1}{2}', 'The answer is $\\boxed{10080}$.', '(3, 4]', '\\text{(C)}'];
  const predictions = ['So $x = \\boxed{0.5}$.', '\\boxed{10,080}', 'We get \\boxed{(3,4)}.', 'Answer: \\boxed{C}'];

  it('MATHVerifyEvaluator-like: accuracy from the symbolic judge, both judges in the details', async () => {
    const result = await task('math_prm800k_500_gen').evaluator.evaluate(input(predictions, references));
    expect(result.metrics.accuracy).toBe(75);
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, true, false, true]);
    expect(result.samples[0]).toEqual({
      correct: true,
      pred: '0.5',
      fields: {
        answer: '\\frac{1}{2}',
        symbolic: { pred: '0.5', answer: '\\frac{1}{2}', correct: true },
        legacy: { pred: '0.5', answer: '\\frac{1}{2}', correct: false },
      },
    });
    expect(result.samples[1]!.fields).toMatchObject({ answer: '10080', legacy: { pred: '10,080', answer: '10080', correct: true } });
  });

  it('legacy MATHEvaluator v2 decides the metric of math_500_gen_265cce', async () => {
    const result = await task('math_500_gen_265cce').evaluator.evaluate(input(predictions, references));
    expect(result.samples.map((sample) => sample.correct)).toEqual([false, true, false, true]);
    expect(result.metrics.accuracy).toBe(50);
  });

  it('a prediction without an answer is wrong, and an empty (failed) one too', async () => {
    const result = await task('math_500_gen').evaluator.evaluate(input(['I do not know.', ''], ['\\boxed{5}', '\\boxed{5}']));
    expect(result.samples.map((sample) => [sample.correct, sample.pred])).toEqual([
      [false, null],
      [false, null],
    ]);
    expect(result.metrics.accuracy).toBe(0);
  });
});
