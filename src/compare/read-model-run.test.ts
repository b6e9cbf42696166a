import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDatasets } from '../registry/dataset-registry.js';
import { ConfigError } from '../spec/index.js';
import { openRunInfo } from './open-run-info.js';
import { readModelRun } from './read-model-run.js';
import { selectComparedModels } from './select-compared-models.js';

let workDir = '';
let runRoot = '';
const network = resolveDatasets(['ceval_gen']).find((task) => task.abbr === 'ceval-computer_network')!;

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(value));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'sextant-compare-'));
  runRoot = join(workDir, '20260101_120000');
  await writeJson(join(runRoot, 'configs', '20260101_120000_1.json'), {
    datasets: ['ceval_gen'],
    datasetVersions: { 'ceval-computer_network': network.version, 'ceval-law': 'not-the-current-version', 'ceval-logic': 'a' },
    limit: 3,
    models: [{ abbr: 'm1', config: { type: 'openai' } }, { abbr: 'm2' }],
  });
  const record = (index: number, prediction: string, gold: string, extra = {}) =>
    JSON.stringify({ index, key: `k${index}`, originPrompt: [{ role: 'HUMAN', prompt: `q${index}` }], prediction, gold, attempts: 1, latencyMs: 1, ...extra });
  await mkdir(join(runRoot, 'samples', 'm1'), { recursive: true });
  // Out of order, a later record replacing an earlier one, and a failed sample.
  await writeFile(
    join(runRoot, 'samples', 'm1', 'ceval-computer_network.jsonl'),
    [record(2, 'The answer is C', 'C'), record(0, 'B', 'A'), record(0, '答案是A。', 'A'), record(1, '', 'B', { error: 'HTTP 500' })].join('\n') + '\n',
  );
  // ceval-law: a prompt version this sextant no longer produces, so answers come from the results file.
  await writeFile(join(runRoot, 'samples', 'm1', 'ceval-law.jsonl'), `${record(0, 'answer: b', 'B')}\n`);
  await writeJson(join(runRoot, 'results', 'm1', 'ceval-law.json'), {
    accuracy: 100,
    failed: 0,
    details: { type: 'GEN', '0': { prompt: 'ignored', origin_prediction: 'answer: b', predictions: 'B', references: 'B' } },
  });
  // ceval-logic: results only (no sample log).
  await writeJson(join(runRoot, 'results', 'm1', 'ceval-logic.json'), {
    accuracy: 0,
    failed: 0,
    details: { type: 'GEN', '0': { prompt: 'p0', origin_prediction: 'Z', predictions: 'Z', references: 'A' } },
  });
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('readModelRun', () => {
  it('scores the sample log with the dataset postprocessor, falling back to recorded answers', async () => {
    const info = await openRunInfo({ path: runRoot, argument: 'A' });
    const run = await readModelRun({ info, model: selectComparedModels({ a: info, b: info, models: ['m1'] }).a });
    expect(run.datasets.map((dataset) => [dataset.abbr, dataset.version, dataset.extraction])).toEqual([
      ['ceval-computer_network', network.version, 'first_capital_postprocess'],
      ['ceval-law', 'not-the-current-version', 'recorded'],
      ['ceval-logic', 'a', 'recorded'],
    ]);
    const [networkSamples, lawSamples, logicSamples] = run.datasets;
    expect(networkSamples?.samples).toEqual([
      { index: 0, gold: 'A', raw: '答案是A。', extracted: 'A', correct: true, originPrompt: [{ role: 'HUMAN', prompt: 'q0' }] },
      { index: 1, gold: 'B', raw: '', extracted: '', correct: false, originPrompt: [{ role: 'HUMAN', prompt: 'q1' }], error: 'HTTP 500' },
      { index: 2, gold: 'C', raw: 'The answer is C', extracted: 'T', correct: false, originPrompt: [{ role: 'HUMAN', prompt: 'q2' }] },
    ]);
    // The sample log's prompt and raw output win over the results file's copies.
    expect(lawSamples?.samples).toEqual([
      { index: 0, gold: 'B', raw: 'answer: b', extracted: 'B', correct: true, originPrompt: [{ role: 'HUMAN', prompt: 'q0' }] },
    ]);
    expect(logicSamples?.samples).toEqual([{ index: 0, gold: 'A', raw: 'Z', extracted: 'Z', correct: false, originPrompt: 'p0' }]);
    expect(run.unscored).toEqual([]);
  });
});

describe('openRunInfo', () => {
  it('reads a run folder, or the newest run of a work dir', async () => {
    expect((await openRunInfo({ path: runRoot, argument: 'A' })).root).toBe(runRoot);
    expect((await openRunInfo({ path: workDir, argument: 'A' })).timestamp).toBe('20260101_120000');
  });

  it('rejects a folder that is not a run with a ConfigError naming the path', async () => {
    const notARun = join(workDir, 'nothing-here');
    await mkdir(notARun, { recursive: true });
    const error = await openRunInfo({ path: notARun, argument: 'B' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`B: ${notARun} is not a sextant run folder (no configs/*.json) and holds no run folders`);
  });
});

describe('selectComparedModels', () => {
  it('picks models by the rules for one and two runs', async () => {
    const info = await openRunInfo({ path: runRoot, argument: 'A' });
    const single = { ...info, models: [{ abbr: 'only' }] };
    expect(selectComparedModels({ a: info, models: ['m1', 'm2'] })).toMatchObject({ a: { abbr: 'm1' }, b: { abbr: 'm2' } });
    expect(selectComparedModels({ a: single, b: single })).toMatchObject({ a: { abbr: 'only' }, b: { abbr: 'only' } });
    expect(selectComparedModels({ a: info, b: single, models: ['m2', 'only'] })).toMatchObject({ a: { abbr: 'm2' }, b: { abbr: 'only' } });
    expect(() => selectComparedModels({ a: info, models: ['m1'] })).toThrow(/one run needs two different model abbrs \(models in .*: m1, m2\)/);
    expect(() => selectComparedModels({ a: info, b: single })).toThrow(/holds several models \(m1, m2\); choose with --models/);
    expect(() => selectComparedModels({ a: info, b: info, models: ['m3'] })).toThrow(/no model "m3" in .*; did you mean "m1"\?/);
  });
});
