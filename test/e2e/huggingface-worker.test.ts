// `sextant run --hf-path <checkpoint folder>` with no engine: the HuggingFace worker path end to end, through the
// stand-in worker (test/support/hf-stand-in-worker.py, the same protocol; transformers on a GPU cannot run here).
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './cli-harness.js';

const standInPython = join(REPO_ROOT, 'test', 'support', 'bin', 'hf-stand-in-python');

async function checkpoint(): Promise<{ root: string; path: string }> {
  const root = await mkdtemp(join(tmpdir(), 'sextant-hf-e2e-'));
  const path = join(root, 'internlm2-chat-7b');
  await mkdir(path);
  await writeFile(join(path, 'config.json'), '{"model_type": "internlm2"}');
  return { root, path };
}

describe('sextant run --hf-path <transformers checkpoint>', () => {
  it('evaluates ceval_gen through the worker, with OpenCompass flags, and records the worker in the run config', async () => {
    const { root, path } = await checkpoint();
    const log = join(root, 'worker.log');
    const result = await runCli(
      [
        'run',
        '--datasets',
        'ceval_gen',
        '--hf-type',
        'chat',
        '--hf-path',
        path,
        '--limit',
        '1',
        '--model-kwargs',
        'torch_dtype=bfloat16',
        'attn_implementation=sdpa',
        '--tokenizer-kwargs',
        'use_fast=False',
        '--generation-kwargs',
        'eos_token_id=[2, 92542]',
        '--max-seq-len',
        '2048',
        '--max-out-len',
        '64',
        '--batch-size',
        '4',
        '--python',
        standInPython,
        '-w',
        join(root, 'outputs'),
      ],
      { env: { SEXTANT_HF_STANDIN_LOG: log }, timeoutMs: 120_000 },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/internlm2-chat-7b_hf/);
    const entries = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const load = entries.find((entry) => entry.type === 'load') as { settings: Record<string, unknown> };
    expect(load.settings).toMatchObject({
      hfType: 'chat',
      maxSeqLen: 2048,
      modelKwargs: { torch_dtype: 'bfloat16', attn_implementation: 'sdpa' },
      tokenizerKwargs: { use_fast: false },
    });
    const batches = entries.filter((entry) => entry.type === 'generate');
    expect(batches.every((entry) => (entry.size as number) <= 4)).toBe(true);
    expect(batches.reduce((total, entry) => total + (entry.size as number), 0)).toBe(52);
    expect(batches[0]).toMatchObject({ maxOutLen: 64, generationKwargs: { eos_token_id: [2, 92542] }, prefixReuse: false });
    const [runFolder] = (await import('node:fs')).readdirSync(join(root, 'outputs'));
    const configDir = join(root, 'outputs', runFolder as string, 'configs');
    const [configFile] = (await import('node:fs')).readdirSync(configDir);
    const config = JSON.parse(await readFile(join(configDir, configFile as string), 'utf8')) as { models: Array<Record<string, any>> };
    expect(config.models[0]?.config).toMatchObject({ type: 'huggingface', batchSize: 4 });
    expect(config.models[0]?.backendSettings).toMatchObject({ batching: 'static', batchSize: 4, workers: [{ torch: 'stand-in', transformers: 'stand-in' }] });
    const predictions = JSON.parse(
      await readFile(join(root, 'outputs', runFolder as string, 'predictions', 'internlm2-chat-7b_hf', 'ceval-physician.json'), 'utf8'),
    ) as Record<string, { prediction: string }>;
    expect(predictions['0']?.prediction).toMatch(/^[ABCD] is the answer$/);
  }, 150_000);

  it('--prefix-reuse reaches every generate batch of a static run and is recorded in the run config', async () => {
    const { root, path } = await checkpoint();
    const log = join(root, 'worker.log');
    const args = ['run', '--datasets', 'ceval_gen', '--subjects', 'computer_network', '--hf-path', path, '--limit', '3', '--python', standInPython];
    const result = await runCli([...args, '--prefix-reuse', '-w', join(root, 'outputs')], { env: { SEXTANT_HF_STANDIN_LOG: log }, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const batches = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.type === 'generate');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((entry) => entry.prefixReuse === true && entry.batching === 'static')).toBe(true);
    const [runFolder] = (await import('node:fs')).readdirSync(join(root, 'outputs'));
    const configDir = join(root, 'outputs', runFolder as string, 'configs');
    const [configFile] = (await import('node:fs')).readdirSync(configDir);
    const config = JSON.parse(await readFile(join(configDir, configFile as string), 'utf8')) as { models: Array<Record<string, any>> };
    expect(config.models[0]?.backendSettings).toMatchObject({ batching: 'static', prefixReuse: true });
  }, 90_000);

  it('a folder that is no transformers checkpoint, and a missing hub id, get clear messages', async () => {
    const { root } = await checkpoint();
    const notCheckpoint = await runCli(['run', '--datasets', 'ceval_gen', '--hf-path', root, '--python', standInPython, '-w', join(root, 'o')]);
    expect(notCheckpoint.code).not.toBe(0);
    expect(notCheckpoint.stderr).toMatch(/is not a transformers checkpoint \(no config\.json\)/);
    const hub = await runCli(
      ['run', '--datasets', 'ceval_gen', '--hf-path', 'internlm/internlm2-chat-7b', '--limit', '1', '--python', standInPython, '-w', join(root, 'o')],
      {
        timeoutMs: 60_000,
      },
    );
    expect(hub.code).not.toBe(0);
    expect(`${hub.stdout}${hub.stderr}`).toContain('hf download internlm/internlm2-chat-7b');
  }, 90_000);
});
