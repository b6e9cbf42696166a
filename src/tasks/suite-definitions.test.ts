import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBaseText } from '../prompts/index.js';
import type { BenchmarkDefinition, DatasetTask } from '../spec/index.js';
import { agievalBenchmark } from './agieval/agieval-benchmark.js';
import { bbhBenchmark } from './bbh/bbh-benchmark.js';
import { gsm8kBenchmark } from './gsm8k/gsm8k-benchmark.js';
import { nqBenchmark } from './nq/nq-benchmark.js';
import { configFileSuffix, datasetVersion } from './opencompass-infer-config.js';
import { bbhInferConfig } from './bbh/bbh-templates.js';
import { readBbhHint } from './bbh/read-bbh-hint.js';
import { bbhTasks } from './bbh/bbh-tasks.js';
import { agievalInferConfig, agievalSubsets } from './agieval/agieval-templates.js';
import { gsm8kInferConfig } from './gsm8k/gsm8k-templates.js';
import { nqInferConfig } from './nq/nq-templates.js';

const dataRoot = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');

function datasets(benchmark: BenchmarkDefinition, configName: string): DatasetTask[] {
  const config = benchmark.configs.find((entry) => entry.configName === configName);
  if (!config) throw new Error(`no config ${configName}`);
  return config.datasets();
}

function dataset(benchmark: BenchmarkDefinition, configName: string, abbr: string): DatasetTask {
  const task = datasets(benchmark, configName).find((entry) => entry.abbr === abbr);
  if (!task) throw new Error(`no dataset ${abbr}`);
  return task;
}

/** Length in code points and the first 16 hex of sha256 over UTF-8, the reference's 2.10 vector form. */
async function firstPromptVector(task: DatasetTask): Promise<[number, string]> {
  const [sample] = await task.loadSamples({ dataRoot, limit: 1 });
  const text = renderBaseText(sample!.dialogue);
  return [[...text].length, createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)];
}

describe('versions (reference 2.9)', () => {
  it('match every dataset version and file suffix', async () => {
    expect(datasetVersion(gsm8kInferConfig)).toBe('1d7fe4');
    expect(datasetVersion(nqInferConfig)).toBe('3dcea1');
    expect(dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-lsat-ar').version).toBe('ed1edf');
    expect(configFileSuffix(agievalSubsets.map((subset) => agievalInferConfig(subset)))).toBe('5c79b4');
    expect(configFileSuffix(agievalSubsets.map((subset) => agievalInferConfig(subset, { legacyMath: true })))).toBe('617738');
    const hints = await Promise.all(bbhTasks.map((task) => readBbhHint(resolve(dataRoot, 'bbh', 'cot-prompts', `${task.name}.txt`))));
    expect(configFileSuffix(hints.map((hint) => bbhInferConfig(hint)))).toBe('ee62e9');
    expect(configFileSuffix(hints.map((hint) => bbhInferConfig(hint, { legacyMaxOutLen: true })))).toBe('5b92b0');
    // The listed per-task versions are the ones the prompt files give.
    bbhTasks.forEach((task, index) => {
      expect(task.versions.head).toBe(datasetVersion(bbhInferConfig(hints[index]!)));
      expect(task.versions.legacy).toBe(datasetVersion(bbhInferConfig(hints[index]!, { legacyMaxOutLen: true })));
    });
    expect(dataset(bbhBenchmark, 'bbh_gen_ee62e9', 'bbh-temporal_sequences').version).toBe('82454f');
    expect(dataset(bbhBenchmark, 'bbh_gen_5b92b0', 'bbh-temporal_sequences').version).toBe('e43931');
  });

  it('share a version where OpenCompass infer configs are identical', () => {
    const agieval = datasets(agievalBenchmark, 'agieval_gen_5c79b4');
    const version = (abbr: string) => agieval.find((task) => task.abbr === abbr)!.version;
    expect(version('agieval-sat-en')).toBe(version('agieval-sat-en-without-passage'));
    const bbh = datasets(bbhBenchmark, 'bbh_gen_ee62e9');
    const bbhVersion = (abbr: string) => bbh.find((task) => task.abbr === abbr)!.version;
    expect(bbhVersion('bbh-logical_deduction_three_objects')).toBe(bbhVersion('bbh-logical_deduction_seven_objects'));
    expect(bbhVersion('bbh-tracking_shuffled_objects_three_objects')).toBe(bbhVersion('bbh-tracking_shuffled_objects_five_objects'));
    // Legacy AGIEval differs from HEAD only in the math subset.
    const legacy = datasets(agievalBenchmark, 'agieval_gen_617738');
    const changed = agieval.filter((task, index) => task.version !== legacy[index]!.version).map((task) => task.abbr);
    expect(changed).toEqual(['agieval-math']);
  });
});

describe('rendered prompts (reference 2.10)', () => {
  it.each([
    [gsm8kBenchmark, 'gsm8k_gen_1d7fe4', 'gsm8k', 4928, '86493f6e082a55fb'],
    [bbhBenchmark, 'bbh_gen_ee62e9', 'bbh-temporal_sequences', 3699, 'f64a655690842806'],
    [bbhBenchmark, 'bbh_gen_ee62e9', 'bbh-boolean_expressions', 1893, '9927f0a4d46a1ad1'],
    [agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-lsat-ar', 1435, '75f0648e8a97b364'],
    [agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-gaokao-chinese', 2180, '14a0d5aea535ecde'],
    [agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-math', 340, 'bc07888adcbe3839'],
    [nqBenchmark, 'nq_gen_3dcea1', 'nq', 65, '04bcd7eb2bd1bf9a'],
  ] as const)('%s %s %s', async (benchmark, configName, abbr, length, digest) => {
    expect(await firstPromptVector(dataset(benchmark, configName, abbr))).toEqual([length, digest]);
  });
});

describe('datasets', () => {
  it('have OpenCompass abbrs, counts and golds', async () => {
    const counts = async (benchmark: BenchmarkDefinition, configName: string) =>
      Object.fromEntries(
        await Promise.all(datasets(benchmark, configName).map(async (task) => [task.abbr, (await task.loadSamples({ dataRoot })).length] as const)),
      );
    expect(await counts(gsm8kBenchmark, 'gsm8k_gen_1d7fe4')).toEqual({ gsm8k: 1319 });
    expect(await counts(nqBenchmark, 'nq_gen_3dcea1')).toEqual({ nq: 3610 });
    const bbh = await counts(bbhBenchmark, 'bbh_gen_ee62e9');
    expect(Object.keys(bbh)).toHaveLength(27);
    expect(Object.values(bbh).reduce((total, count) => total + count, 0)).toBe(6511);
    const agieval = await counts(agievalBenchmark, 'agieval_gen_5c79b4');
    expect(Object.keys(agieval)).toHaveLength(21);
    const [gsm8k] = await dataset(gsm8kBenchmark, 'gsm8k_gen_1d7fe4', 'gsm8k').loadSamples({ dataRoot, limit: 1 });
    expect(gsm8kBenchmark.configs[0]!.datasets()[0]!.postprocessReference!(gsm8k!.gold)).toBe('18');
  });
});

describe('evaluators', () => {
  const context = { signal: new AbortController().signal };
  async function evaluate(task: DatasetTask, raw: readonly string[], golds: readonly import('../spec/index.js').JsonValue[]) {
    const predictions = raw.map((text) => task.postprocess(text));
    const references = golds.map((gold) => (task.postprocessReference ? task.postprocessReference(gold) : gold));
    return task.evaluator.evaluate({ predictions, references, originPredictions: raw, evaluatorInputs: raw.map(() => ({})), context });
  }

  it('GSM8K: last number vs the "#### " answer, float tolerance', async () => {
    const task = dataset(gsm8kBenchmark, 'gsm8k_gen_1d7fe4', 'gsm8k');
    const result = await evaluate(
      task,
      ['so 18', 'so 18.0000001', 'x 1,800', 'none', 'The answer is 5\nQuestion: 18'],
      ['a\n#### 18', 'a\n#### 18', 'a\n#### 1,800', 'a\n#### 3', 'a\n#### 5'],
    );
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, true, false, false, true]);
    expect(result.metrics).toEqual({ accuracy: 100 * (3 / 5) });
    expect(result.samples[2]).toMatchObject({ pred: '800', fields: { answer: '1800' } });
  });

  it('NQ: containment of any normalised gold answer', async () => {
    const task = dataset(nqBenchmark, 'nq_gen_3dcea1', 'nq');
    const result = await evaluate(
      task,
      ['December 1972.', 'I think the answer is Bob Russell', 'one', 'Paris\nLondon', 'nope'],
      [['14 December 1972 UTC', 'December 1972'], ['Bobby Scott', 'Bob Russell'], ['one season'], ['London'], ['The']],
    );
    // 'The' normalises to '' and so is contained in every prediction, as in OpenCompass.
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, true, false, false, true]);
    expect(result.metrics.score).toBe(100 * (3 / 5));
  });

  it('BBH: multiple choice on both sides, free form normalised and casefolded', async () => {
    const mcq = dataset(bbhBenchmark, 'bbh_gen_ee62e9', 'bbh-date_understanding');
    const mcqResult = await evaluate(mcq, ['So the answer is (B).', 'So the answer is (C).', 'garbage'], ['(B)', '(A)', '(D)']);
    expect(mcqResult.samples.map((sample) => sample.correct)).toEqual([true, false, false]);
    expect(mcqResult.metrics).toEqual({ score: 100 * (1 / 3) });
    const free = dataset(bbhBenchmark, 'bbh_gen_ee62e9', 'bbh-sports_understanding');
    const freeResult = await evaluate(free, ['So the answer is Yes.', 'So the answer is **no**', 'So the answer is maybe.'], ['yes', 'yes', 'no']);
    expect(freeResult.samples.map((sample) => sample.correct)).toEqual([true, false, false]);
  });

  it('AGIEval: option letters, joined multi-answer letters, cloze by math equivalence', async () => {
    const single = dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-lsat-ar');
    const singleResult = await evaluate(single, ['The answer is (E)', 'The answer is B', 'nothing'], ['E', 'C', null]);
    expect(singleResult.samples.map((sample) => sample.correct)).toEqual([true, false, false]);
    expect(singleResult.metrics).toEqual({ accuracy: 100 * (1 / 3) });
    const multi = dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-jec-qa-kd');
    const multiResult = await evaluate(multi, ['答案是：AC', '答案是：CA', '答案是：E'], ['AC', 'AC', 'E']);
    expect(multiResult.samples.map((sample) => sample.correct)).toEqual([true, false, false]);
    const cloze = dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-math');
    const clozeResult = await evaluate(cloze, ['The answer is \\boxed{\\dfrac{1}{2}}', 'so x = 3', 'no idea', '答案是 5'], ['\\frac{1}{2}', '4', '5', '$5$']);
    // A gaokao gold written as `$5$` keeps its dollars through _strip_string (only `\\$` is removed), as in OpenCompass.
    expect(clozeResult.samples.map((sample) => sample.correct)).toEqual([true, false, false, false]);
    expect(clozeResult.metrics).toEqual({ score: 100 * (1 / 4) });
  });

  it('AGIEval rows: passage + question, joined options, list labels, None golds', async () => {
    const physics = await dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-gaokao-physics').loadSamples({ dataRoot });
    expect(physics.some((sample) => typeof sample.gold === 'string' && sample.gold.length > 1)).toBe(true);
    const kd = await dataset(agievalBenchmark, 'agieval_gen_5c79b4', 'agieval-jec-qa-kd').loadSamples({ dataRoot });
    expect(kd.filter((sample) => sample.gold === null)).toHaveLength(1);
  });
});
