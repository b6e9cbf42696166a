import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJsonLines } from '../datasets/read-json-records.js';
import { renderBaseText, renderPrompt } from '../prompts/index.js';
import { createExecutionPool, type ExecutionPool } from '../sandbox/index.js';
import type { EvaluationContext, JsonValue } from '../spec/index.js';
import { passAtK } from './execute-cached.js';
import { humanevalBenchmark } from './humaneval/humaneval-benchmark.js';
import { createMbppEvaluator, mbppBenchmark } from './mbpp/mbpp-benchmark.js';

const dataRoot = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
let pool: ExecutionPool;

beforeAll(async () => {
  pool = await createExecutionPool({ workers: 2 });
});

function context(cache = new Map<string, JsonValue>()): EvaluationContext & { executed: number } {
  const counted = {
    signal: new AbortController().signal,
    cache: { get: (key: string) => cache.get(key), set: (key: string, value: JsonValue) => void cache.set(key, value) },
    execute: async (run: { program: string; timeoutMs: number }) => {
      counted.executed += 1;
      return pool.run(run.program, { timeoutMs: run.timeoutMs });
    },
    isolation: pool.sandbox.isolation.level,
    executed: 0,
  };
  return counted;
}

const vector = (text: string) => [[...text].length, createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)];

describe('HumanEval', () => {
  const task = humanevalBenchmark.configs[0]!.datasets()[0]!;

  it('has OpenCompass versions and the rendered-prompt vector', async () => {
    expect(task.version).toBe('dcae0e');
    expect(humanevalBenchmark.configs[1]!.datasets()[0]!.version).toBe('8e312c');
    const [first] = await task.loadSamples({ dataRoot, limit: 1 });
    expect(vector(renderBaseText(first!.dialogue))).toEqual([507, '64552455948f71cd']);
  });

  it('extracts the first fenced block, then strips leading whitespace', () => {
    expect(task.postprocess('Here:\n```python\n    def f():\n        return 1\n```\nand ```x\nother```')).toBe('def f():\n        return 1\n');
    expect(task.postprocess('   return 1')).toBe('return 1');
    expect(task.postprocess('```\ncode\n```')).toBe('code\n');
  });

  it('scores the 164 canonical solutions at pass@1 = 100, and re-scores from stored outcomes', { timeout: 180_000 }, async () => {
    const samples = await task.loadSamples({ dataRoot });
    const problems = await readJsonLines(resolve(dataRoot, 'humaneval', 'HumanEval.jsonl'));
    const completions = problems.map((problem) => String(problem.canonical_solution));
    const evaluationContext = context();
    // Canonical solutions are bodies, so they are scored without the postprocessor's lstrip (as human-eval does).
    const result = await task.evaluator.evaluate({
      predictions: completions,
      references: samples.map((sample) => sample.gold),
      originPredictions: completions,
      evaluatorInputs: samples.map((sample) => sample.evaluatorInput ?? {}),
      context: evaluationContext,
    });
    expect(result.metrics).toEqual({ 'humaneval_pass@1': 100 });
    expect(result.samples.every((sample) => sample.fields?.result === 'passed' && sample.fields.is_correct === true)).toBe(true);
    expect(evaluationContext.executed).toBe(164);
    const again = { ...evaluationContext, execute: () => Promise.reject(new Error('must not execute')) };
    expect(
      (
        await task.evaluator.evaluate({
          ...{ predictions: completions, references: samples.map((sample) => sample.gold), originPredictions: completions },
          evaluatorInputs: samples.map((sample) => sample.evaluatorInput ?? {}),
          context: again,
        })
      ).metrics,
    ).toEqual({ 'humaneval_pass@1': 100 });
  });

  it('reports human-eval outcomes for wrong, crashing, timing-out and hostile answers', async () => {
    const samples = await task.loadSamples({ dataRoot, limit: 1 });
    const input = samples[0]!.evaluatorInput!;
    const answers = [
      '    return False\n', // wrong: an assertion in check() fails
      '    raise ValueError("boom")\n',
      '    while True:\n        pass\n',
      '    import os\n    os._exit(0)\n', // no report: human-eval says timed out
      `    open(${JSON.stringify(resolve(dataRoot, 'planted.txt'))}, "w").write("x")\n`,
    ];
    const result = await task.evaluator.evaluate({
      predictions: answers,
      references: answers.map(() => samples[0]!.gold),
      originPredictions: answers,
      evaluatorInputs: answers.map(() => input),
      context: context(),
    });
    expect(result.samples.map((sample) => sample.fields?.result)).toEqual([
      'failed: ',
      'failed: boom',
      'timed out',
      'timed out',
      expect.stringMatching(/^failed: \[Errno (2|13|30)\]/),
    ]);
    // Five samples of one problem, none passed.
    expect(result.metrics).toEqual({ 'humaneval_pass@1': 0 });
  });

  it('computes pass@k on a planted mix of five samples per problem as the unbiased estimator', async () => {
    const samples = await task.loadSamples({ dataRoot, limit: 3 });
    const problems = (await readJsonLines(resolve(dataRoot, 'humaneval', 'HumanEval.jsonl'))).slice(0, 3);
    const passesPerProblem = [5, 2, 0];
    const predictions: string[] = [];
    const references: JsonValue[] = [];
    const inputs: Array<{ [key: string]: JsonValue }> = [];
    problems.forEach((problem, index) => {
      for (let repeat = 0; repeat < 5; repeat += 1) {
        predictions.push(repeat < passesPerProblem[index]! ? String(problem.canonical_solution) : '    return None\n');
        references.push(samples[index]!.gold);
        inputs.push(samples[index]!.evaluatorInput!);
      }
    });
    const result = await task.evaluator.evaluate({ predictions, references, originPredictions: predictions, evaluatorInputs: inputs, context: context() });
    // The test's own computation: 1 - C(n-c, k) / C(n, k), averaged over problems.
    const choose = (n: number, k: number) => (k > n ? 0 : [...Array(k).keys()].reduce((product, i) => (product * (n - i)) / (i + 1), 1));
    const expected = passesPerProblem.map((c) => 1 - choose(5 - c, 1) / choose(5, 1)).reduce((sum, value) => sum + value, 0) / 3;
    expect(result.metrics['humaneval_pass@1']).toBeCloseTo(100 * expected, 10);
    expect(Object.keys(result.metrics)).toEqual(['humaneval_pass@1']); // no k = 10 with five samples
    expect(passAtK(10, 3, 10)).toBe(1);
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - choose(7, 5) / choose(10, 5), 12);
  });
});

describe('MBPP', () => {
  const task = mbppBenchmark.configs[0]!.datasets()[0]!;

  it('has the OpenCompass version, the test slice and the rendered-prompt vector; chat models stop before [BEGIN]', async () => {
    expect(task.version).toBe('830460');
    const samples = await task.loadSamples({ dataRoot });
    expect(samples).toHaveLength(500);
    expect([samples[0]!.id, samples[499]!.id]).toEqual(['11', '510']);
    expect(vector(renderBaseText(samples[0]!.dialogue))).toEqual([1858, 'fe0d302e4faa0fe3']);
    const chat = renderPrompt(samples[0]!.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt;
    expect(chat.kind === 'messages' && chat.messages.at(-1)).toMatchObject({ role: 'user' });
  });

  it.each([
    ["[BEGIN]\n 'def f(x):\r\n  return x' \n[DONE]", 'def f(x):\r\n  return x'],
    ['[BEGIN]\ndef f(x):\n    return x\n[DONE]\n[BEGIN] more [DONE]', 'def f(x):\n    return x'], // greedy to the last [DONE], then cut at the first DONE
    ['```python\ndef g():\n    return 1\n```', 'def g():\n    return 1'],
    ['def h():\n    return my\\_var', 'def h():\n    return my_var'],
    ["[BEGIN]\n 'def f(): pass' DONE", 'def f(): pass'],
  ])('extracts %j', (text, expected) => expect(task.postprocess(text)).toBe(expected));

  it('reproduces HEAD scoring of the reference solutions: the type-strict asserts and task 367 fail; legacy == fails only 367', async () => {
    const samples = await task.loadSamples({ dataRoot });
    const records = (await readJsonLines(resolve(dataRoot, 'mbpp', 'mbpp.jsonl'))).slice(10, 510);
    const code = records.map((record) => String(record.code));
    const golds = samples.map((sample) => sample.gold);
    // The subject here is equality, not speed: a generous time limit keeps slow reference solutions (task 123
    // takes ~5 s on a loaded 2-core machine) from timing out.
    const score = async (legacyEquality: boolean) => {
      const evaluator = createMbppEvaluator({ legacyEquality, timeoutMs: 60_000 });
      const result = await evaluator.evaluate({
        predictions: code,
        references: golds,
        originPredictions: code,
        evaluatorInputs: code.map(() => ({})),
        context: context(),
      });
      const failing = Object.fromEntries(
        result.samples.flatMap((sample, index) => (sample.correct ? [] : [[samples[index]!.id, String(sample.fields?.result)]])),
      );
      return { failing, metrics: result.metrics };
    };
    const head = await score(false);
    // Each reference solution below returns a value of another type than its tests' literal.
    const typeMismatches: Record<string, string> = {
      14: 'float for int',
      38: 'float for int',
      40: 'Counter for dict',
      55: 'float for int',
      76: 'float for int',
      78: 'float for int',
      88: 'Counter for dict',
      293: 'float for int (second assert)',
      335: 'float for int',
      397: 'int for float',
      414: 'int for bool',
      422: 'float for int',
      432: 'float for int',
      491: 'float for int',
    };
    expect(head.failing).toEqual({
      ...Object.fromEntries(Object.keys(typeMismatches).map((id) => [id, 'wrong_answer'])),
      367: 'failed', // its tests need test_setup_code, which the loader drops: NameError
    });
    expect(head.metrics).toEqual({ score: 100 * (485 / 500), pass: 485, timeout: 0, failed: 1, wrong_answer: 14 });
    const legacy = await score(true);
    expect(legacy.failing).toEqual({ 367: 'failed' });
    expect(legacy.metrics).toEqual({ score: 100 * (499 / 500), pass: 499, timeout: 0, failed: 1, wrong_answer: 0 });
  }, 300_000);

  it('compares types strictly at HEAD', async () => {
    const cases: Array<[string, boolean]> = [
      ['assert f() == 4', false], // f returns 4.0
      ['assert g() == (1, 2)', false], // g returns [1, 2]
      ['assert h() == 1', false], // h returns True
      ['assert k() == {"a": [1, {2, 3}]}', true],
      ['assert k() == {"a": [1, {2.0, 3}]}', false],
      ['assert c() == {"x": 2}', false], // Counter vs dict
      ['assert f() == 4.0', true],
    ];
    const code =
      'import collections\ndef f(): return 4.0\ndef g(): return [1, 2]\ndef h(): return True\ndef k(): return {"a": [1, {2, 3}]}\ndef c(): return collections.Counter("xx")';
    const result = await task.evaluator.evaluate({
      predictions: cases.map(() => code),
      references: cases.map(([test]) => test),
      originPredictions: cases.map(() => code),
      evaluatorInputs: cases.map(() => ({})),
      context: context(),
    });
    expect(result.samples.map((sample) => sample.correct)).toEqual(cases.map(([, expected]) => expected));
    expect(result.samples.map((sample) => sample.fields?.result)).toEqual(cases.map(([, expected]) => (expected ? 'pass' : 'wrong_answer')));
  });
});
