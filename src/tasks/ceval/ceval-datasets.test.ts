import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cevalBenchmark } from './ceval-benchmark.js';

const shared = resolve(process.env.SEXTANT_DATA_DIR ?? '../shared/data');
const network = () => cevalBenchmark.configs[0]!.datasets().find((task) => task.abbr === 'ceval-computer_network')!;

async function dataRoot(val: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sextant-ceval-'));
  await mkdir(join(root, 'ceval', 'dev'), { recursive: true });
  await mkdir(join(root, 'ceval', 'val'), { recursive: true });
  await copyFile(join(shared, 'ceval', 'dev', 'computer_network_dev.csv'), join(root, 'ceval', 'dev', 'computer_network_dev.csv'));
  await writeFile(join(root, 'ceval', 'val', 'computer_network_val.csv'), val);
  return root;
}

describe('the C-Eval definition', () => {
  it('declares its data files, evaluator and benchmark', () => {
    expect(network()).toMatchObject({
      benchmark: 'ceval',
      dataFiles: ['ceval/dev/computer_network_dev.csv', 'ceval/val/computer_network_val.csv'],
    });
    expect(network().evaluator.name).toBe('AccEvaluator');
    expect(cevalBenchmark.configs.map((config) => [config.configName, config.aliases ?? []])).toEqual([
      ['ceval_gen_5f30c7', ['ceval_gen']],
      ['ceval_gen_2daf24', []],
      ['ceval_zero_shot_gen_bd40ef', []],
      ['ceval_ppl_578f8d', ['ceval_ppl']],
    ]);
  });

  it('a labelled row whose answer is not A-D fails naming the file, its line (quoted newlines counted) and the field', async () => {
    const root = await dataRoot('id,question,A,B,C,D,answer\n0,"two\nlines",a,b,c,d,A\n1,q,a,b,c,d,E\n');
    const path = join(root, 'ceval', 'val', 'computer_network_val.csv');
    await expect(network().loadSamples({ dataRoot: root })).rejects.toThrow(`${path}:4: field "answer" is "E"; expected one of A, B, C, D`);
  });

  it('a header without the required columns fails naming them', async () => {
    const root = await dataRoot('id,question,A,B,C,answer\n0,q,a,b,c,A\n');
    const path = join(root, 'ceval', 'val', 'computer_network_val.csv');
    await expect(network().loadSamples({ dataRoot: root })).rejects.toThrow(
      `${path}:1: the header lacks the column D (C-Eval rows need id, question, A, B, C, D, answer)`,
    );
  });
});
