import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../prompts/index.js';
import type { DatasetTask, TaskSample } from '../../spec/index.js';
import { piqaBenchmark } from './piqa-benchmark.js';

const dataRoot = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const sha16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
const baseText = (dialogue: TaskSample['dialogue']) => {
  const rendered = renderPrompt(dialogue, { kind: 'text' });
  return rendered.prompt.kind === 'text' ? rendered.prompt.text : '';
};
function task(name: string): DatasetTask {
  const found = piqaBenchmark.configs.find((candidate) => candidate.configName === name || candidate.aliases?.includes(name));
  if (!found) throw new Error(`no config ${name}`);
  const [dataset] = found.datasets();
  return dataset!;
}

describe('PIQA configs', () => {
  it('piqa_gen → piqa_gen_1194eb and piqa_ppl → piqa_ppl_1cf9f0, one dataset "piqa" each, versions = file suffixes', () => {
    expect(piqaBenchmark.configs.map((entry) => [entry.configName, entry.aliases, entry.mode, entry.datasets().length])).toEqual([
      ['piqa_gen_1194eb', ['piqa_gen'], 'gen', 1],
      ['piqa_ppl_1cf9f0', ['piqa_ppl'], 'ppl', 1],
    ]);
    expect([task('piqa_gen').abbr, task('piqa_gen').version, task('piqa_gen').postprocessorName, task('piqa_gen').evaluator.name]).toEqual([
      'piqa',
      '1194eb',
      'first_option_postprocess',
      'AccEvaluator',
    ]);
    expect([task('piqa_ppl').abbr, task('piqa_ppl').version, task('piqa_ppl').requestKind, task('piqa_ppl').evaluator.name]).toEqual([
      'piqa',
      '1cf9f0',
      'perplexity',
      'AccEvaluator',
    ]);
    expect(task('piqa_gen').dataFiles).toEqual(['piqa/valid.jsonl', 'piqa/valid-labels.lst']);
    expect(piqaBenchmark.summaryGroups()).toEqual([]);
  });
});

describe('PIQA samples from ../shared/data', () => {
  it('1,838 validation rows; gen gold A/B and ppl gold the integer 0/1, both from valid-labels.lst', async () => {
    const labels = (await readFile(join(dataRoot, 'piqa', 'valid-labels.lst'), 'utf8')).trim().split('\n').map(Number);
    const gen = await task('piqa_gen').loadSamples({ dataRoot });
    const ppl = await task('piqa_ppl').loadSamples({ dataRoot });
    expect(gen).toHaveLength(1838);
    expect(ppl).toHaveLength(1838);
    expect(gen.map((sample) => sample.gold)).toEqual(labels.map((label) => 'AB'[label]));
    expect(ppl.map((sample) => sample.gold)).toEqual(labels);
    expect(gen.map((sample) => sample.id).slice(0, 3)).toEqual(['0', '1', '2']);
  });

  it('piqa_gen: 402 code points, sha256 828210eff4584e29 (2.10); chat forms', async () => {
    const [sample] = await task('piqa_gen').loadSamples({ dataRoot, limit: 1 });
    const text = baseText(sample!.dialogue);
    expect([...text].length).toBe(402);
    expect(sha16(text)).toBe('828210eff4584e29');
    expect(text.startsWith("How do I ready a guinea pig cage for it's new occupants?\nA. Provide")).toBe(true);
    expect(text.endsWith('\nAnswer:')).toBe(true);
    expect(renderPrompt(sample!.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: text }],
    });
    expect(renderPrompt(sample!.dialogue, { kind: 'messages', messageStyle: 'chat-template' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: `${text}\n` }],
    });
  });

  it('piqa_ppl: label 0 is 256 code points, sha256 269e7a84f681b366 (2.10); label 1 uses sol2', async () => {
    const [sample] = await task('piqa_ppl').loadSamples({ dataRoot, limit: 1 });
    expect(sample!.candidates!.map((candidate) => candidate.label)).toEqual(['0', '1']);
    const [zero, one] = sample!.candidates!.map((candidate) => baseText(candidate.dialogue));
    expect([...zero!].length).toBe(256);
    expect(sha16(zero!)).toBe('269e7a84f681b366');
    expect(zero!.startsWith('The following makes sense: \nQ: How do I ready')).toBe(true);
    expect(one).toMatch(
      /^The following makes sense: \nQ: [^\n]+\nA: Provide the guinea pig with a cage full of a few inches of bedding made of ripped jeans material, [^\n]+\n$/,
    );
    expect(sample!.examples).toBeUndefined();
  });
});

describe('PIQA scoring', () => {
  it('first_option_postprocess(AB) on tricky predictions (expected from the pattern list)', () => {
    const gen = task('piqa_gen');
    const table: ReadonlyArray<readonly [string, string]> = [
      [' A', 'A'],
      ['B. Use a spoon', 'B'], // `(\s|^)[AB][\s。，,：:\.$]`: group 1 empty, the whole match holds B
      ['The answer is B.', 'B'],
      ['Answer: a', 'A'], // (?i) captures "a" (no option letter), the cushion's `([AB])` then finds the A of "Answer"
      ['C', ''],
      ['答案是B', 'B'],
      ['Solution 2 (B) is better than A', 'A'], // `[\s，：:,]([AB])[。，,\.]?$` (entry 28): the final " A" wins over "(B)"
      ['Solution 2 (B) is better.', 'B'], // no entry matches; the cushion's `([AB])` meets the B of "(B)" first
    ];
    expect(table.map(([prediction]) => gen.postprocess(prediction))).toEqual(table.map(([, expected]) => expected));
  });

  it('AccEvaluator compares str(pred) with str(gold): the integer gold 1 equals the PPL label "1"', async () => {
    const evaluator = task('piqa_ppl').evaluator;
    const result = await evaluator.evaluate({
      predictions: ['0', '1', '1', '0'],
      references: [0, 1, 0, 1],
      originPredictions: ['0', '1', '1', '0'],
      evaluatorInputs: [{}, {}, {}, {}],
      context: { signal: new AbortController().signal },
    });
    expect(result.metrics).toEqual({ accuracy: 50 });
    expect(result.samples.map((sample) => sample.correct)).toEqual([true, true, false, false]);
  });
});

describe('PIQA bad rows', () => {
  let root: string;
  const write = async (jsonl: string, labels: string) => {
    await writeFile(join(root, 'piqa', 'valid.jsonl'), jsonl);
    await writeFile(join(root, 'piqa', 'valid-labels.lst'), labels);
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sextant-piqa-'));
    await mkdir(join(root, 'piqa'), { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const row = JSON.stringify({ goal: 'g', sol1: 's1', sol2: 's2' });

  it('a label other than 0/1 names the labels file and line', async () => {
    await write(`${row}\n${row}\n`, '0\n2\n');
    await expect(task('piqa_gen').loadSamples({ dataRoot: root })).rejects.toThrow(/valid-labels\.lst:2: label must be 0 or 1, found "2"/);
  });

  it('a line that is not JSON, or lacks sol2, names the data file and line', async () => {
    await write(`${row}\n{"goal": "g",\n`, '0\n1\n');
    await expect(task('piqa_gen').loadSamples({ dataRoot: root })).rejects.toThrow(/valid\.jsonl:2: not a JSON object/);
    await write(`${JSON.stringify({ goal: 'g', sol1: 's1' })}\n`, '0\n');
    await expect(task('piqa_ppl').loadSamples({ dataRoot: root })).rejects.toThrow(/valid\.jsonl:1: field sol2 must be a string, found null/);
  });

  it('row and label counts must agree', async () => {
    await write(`${row}\n${row}\n`, '0\n');
    await expect(task('piqa_gen').loadSamples({ dataRoot: root })).rejects.toThrow(/has 1 labels for the 2 rows/);
  });

  it('an id key is dropped, as the loader deletes it; CRLF line ends are fine', async () => {
    await write(`${JSON.stringify({ id: 'x1', goal: 'g', sol1: 's1', sol2: 's2' })}\r\n`, '1\r\n');
    const [sample] = await task('piqa_gen').loadSamples({ dataRoot: root });
    expect(baseText(sample!.dialogue)).toBe('g\nA. s1\nB. s2\nAnswer:');
    expect(sample!.gold).toBe('B');
  });
});
