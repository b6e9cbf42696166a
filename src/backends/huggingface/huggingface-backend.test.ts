import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendCallError, BackendUnavailableError, type GenerateRequest, type ModelBackend } from '../../spec/index.js';
import { defaultWorkerScript, HuggingFaceBackend, type HuggingFaceSettings } from './huggingface-backend.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const standInPython = join(repoRoot, 'test', 'support', 'bin', 'hf-stand-in-python');

interface LogEntry {
  pid: number;
  gpus: string | null;
  type: string;
  size?: number;
  batching?: string;
  stopWords?: string[];
  prefixReuse?: boolean;
  settings?: Record<string, unknown>;
  generationKwargs?: Record<string, unknown>;
}

const open: ModelBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((backend) => backend.doClose()));
});

async function checkpoint(): Promise<{ path: string; log: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'sextant-hf-'));
  const path = join(folder, 'tiny-llama');
  await mkdir(path);
  await writeFile(join(path, 'config.json'), '{"model_type": "llama"}');
  return { path, log: join(folder, 'worker.log') };
}

async function backend(overrides: Partial<HuggingFaceSettings> = {}): Promise<{ backend: HuggingFaceBackend; log: () => Promise<LogEntry[]> }> {
  const { path, log } = await checkpoint();
  const instance = new HuggingFaceBackend({
    path,
    hfType: 'chat',
    batchSize: 8,
    batching: 'static',
    prefixReuse: false,
    python: standInPython,
    env: { ...process.env, SEXTANT_HF_STANDIN_LOG: log, CUDA_VISIBLE_DEVICES: '' },
    ...overrides,
  });
  open.push(instance);
  const read = async () =>
    (await readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogEntry);
  return { backend: instance, log: read };
}

function generate(content: string, stopWords: string[] = []): GenerateRequest {
  return { kind: 'generate', prompt: { kind: 'messages', messages: [{ role: 'user', content }] }, settings: { maxOutLen: 16, stopWords } };
}

describe('HuggingFaceBackend against the stand-in worker', () => {
  it('reports the worker versions and gathers concurrent calls into static batches of batchSize', async () => {
    const { backend: hf, log } = await backend({
      modelKwargs: { torch_dtype: 'bfloat16' },
      tokenizerKwargs: { use_fast: false },
      maxSeqLen: 2048,
      peftPath: '/adapters/x',
    });
    const info = await hf.doStart({});
    expect(info.modelName).toBe('tiny-llama');
    expect(info.effectiveSettings).toMatchObject({
      batching: 'static',
      batchSize: 8,
      maxSeqLen: 2048,
      eosStopWords: ['</s>', '<|im_end|>'],
      dtype: 'bfloat16',
    });
    expect((info.effectiveSettings?.workers as Array<Record<string, unknown>>)[0]).toMatchObject({ torch: 'stand-in', transformers: 'stand-in', gpus: '0' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => hf.doGenerate(generate(`question ${index}`), {})));
    expect(results.every((result) => /^[ABCD] is the answer$/.test(result.text))).toBe(true);
    const entries = await log();
    expect(entries.filter((entry) => entry.type === 'generate').map((entry) => entry.size)).toEqual([8, 8, 4]);
    expect(entries.find((entry) => entry.type === 'load')?.settings).toMatchObject({
      hfType: 'chat',
      modelKwargs: { torch_dtype: 'bfloat16' },
      tokenizerKwargs: { use_fast: false },
      maxSeqLen: 2048,
      peftPath: '/adapters/x',
    });
  });

  it("counts tokens with the worker's tokenizer (max_seq_len truncation): chat through the template, base with BOS", async () => {
    const chat = await backend();
    expect(chat.backend.capabilities.tokenCount).toBe(true);
    await expect(chat.backend.doCountTokens({ texts: ['abc'] }, {})).rejects.toThrow(/no HuggingFace worker is running/);
    await chat.backend.doStart({});
    expect(await chat.backend.doCountTokens({ texts: ['abc', '', '答案是: A'] }, {})).toEqual([3 + 5, 5, '答案是: A'.length + 5]);
    const base = await backend({ hfType: 'base' });
    await base.backend.doStart({});
    expect(await base.backend.doCountTokens({ texts: ['abc', '答案是: A'] }, {})).toEqual([3 + 1, '答案是: A'.length + 1]);
    expect((await base.log()).filter((entry) => entry.type === 'tokenize').map((entry) => entry.size)).toEqual([2]);
  });

  it('cuts at user stop words as well as the eos stop words, and batches only requests with equal settings', async () => {
    const { backend: hf, log } = await backend();
    await hf.doStart({});
    const [plain, cut] = await Promise.all([hf.doGenerate(generate('q'), {}), hf.doGenerate(generate('q', [' is']), {})]);
    expect(plain.text).toMatch(/^[ABCD] is the answer$/);
    expect(cut.text).toMatch(/^[ABCD]$/);
    expect((await log()).filter((entry) => entry.type === 'generate').map((entry) => [entry.size, entry.stopWords])).toEqual([
      [1, []],
      [1, [' is']],
    ]);
  });

  it('feeds several workers on disjoint GPU sets from one queue', async () => {
    const { backend: hf, log } = await backend({ maxNumWorkers: 2, numGpus: 2, batchSize: 2 });
    const info = await hf.doStart({});
    expect((info.effectiveSettings?.workers as Array<{ gpus: string }>).map((worker) => worker.gpus)).toEqual(['0,1', '2,3']);
    await Promise.all(Array.from({ length: 8 }, (_, index) => hf.doGenerate(generate(`q${index}`), {})));
    const batches = (await log()).filter((entry) => entry.type === 'generate');
    expect(batches.reduce((total, entry) => total + (entry.size ?? 0), 0)).toBe(8);
    expect(new Set(batches.map((entry) => entry.gpus))).toEqual(new Set(['0,1', '2,3']));
  });

  it('halves the batch on CUDA out-of-memory and runs it again', async () => {
    const { backend: hf, log } = await backend({ batchSize: 4 });
    await hf.doStart({});
    const results = await Promise.all(['a', 'b', '__oom__', 'd', 'e', 'f'].map((content) => hf.doGenerate(generate(content), {})));
    expect(results).toHaveLength(6);
    // 4 (OOM) → 2 (a, b) → 2 (__oom__, d: OOM) → 1 … : every request answered, never above the halved size again.
    expect((await log()).filter((entry) => entry.type === 'generate').map((entry) => entry.size)).toEqual([4, 2, 2, 1, 1, 1, 1]);
  });

  it('fails only the in-flight batch when the worker dies, with its stderr, and restarts it for the next batch', async () => {
    const { backend: hf, log } = await backend({ batchSize: 2 });
    await hf.doStart({});
    const crashed = await Promise.allSettled([hf.doGenerate(generate('__crash__'), {}), hf.doGenerate(generate('batch-mate'), {})]);
    for (const outcome of crashed) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as BackendCallError;
      expect(BackendCallError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/was killed by SIGSEGV while running a batch of 2 generate requests/);
      expect(error.message).toMatch(/Segmentation fault \(stand-in\)/);
    }
    const after = await hf.doGenerate(generate('after the crash'), {});
    expect(after.text).toMatch(/is the answer/);
    const pids = new Set((await log()).filter((entry) => entry.type === 'load').map((entry) => entry.pid));
    expect(pids.size).toBe(2);
  });

  it('sends loglikelihood and perplexity batches (prefix reuse as configured)', async () => {
    const { backend: hf, log } = await backend({ hfType: 'base', prefixReuse: true, batchSize: 3 });
    await hf.doStart({});
    const candidates = ['A', 'B'].map((label) => ({ text: `Q: 1+1?\n答案: \n${label}`, suffix: `\n${label}` }));
    const ppl = await Promise.all(Array.from({ length: 4 }, () => hf.doPerplexity({ kind: 'perplexity', candidates }, {})));
    expect(ppl[0]?.scores).toHaveLength(2);
    expect(ppl[0]?.scores[0]).toMatchObject({ tokenCount: candidates[0]?.text.length, suffixTokenCount: 2 });
    const ll = await hf.doLoglikelihood({ kind: 'loglikelihood', context: 'Answer:', continuation: ' A' }, {});
    expect(ll).toEqual({ kind: 'loglikelihood', logprob: -1, isGreedy: false, tokenCount: 2 });
    const entries = (await log()).filter((entry) => entry.type !== 'load');
    expect(entries.map((entry) => [entry.type, entry.size])).toEqual([
      ['perplexity', 3],
      ['perplexity', 1],
      ['loglikelihood', 1],
    ]);
    expect(entries[0]?.prefixReuse).toBe(true);
  });

  it('says which interpreter is missing and how to choose another', async () => {
    const { backend: hf } = await backend({ python: '/nonexistent/python3' });
    const error = await hf.doStart({}).then(
      () => new Error('started'),
      (caught: unknown) => caught as Error,
    );
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toContain('"/nonexistent/python3" was not found');
    expect(error.message).toContain('--python');
  });

  it('the real worker under a python3 without torch names the interpreter and the pip command', async () => {
    const { backend: hf } = await backend({ python: 'python3', workerScript: defaultWorkerScript });
    const error = await hf.doStart({}).then(
      () => new Error('started'),
      (caught: unknown) => caught as Error,
    );
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/the HuggingFace worker cannot start: \/\S*python3\S* cannot import torch/);
    expect(error.message).toMatch(/-m pip install torch transformers accelerate/);
  });

  it('a hub id missing from the local cache gets the command that downloads it', async () => {
    const { backend: hf } = await backend({ path: 'internlm/internlm2-chat-7b' });
    const error = await hf.doStart({}).then(
      () => new Error('started'),
      (caught: unknown) => caught as Error,
    );
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toContain('hf download internlm/internlm2-chat-7b');
  });

  it('refuses a worker that speaks another protocol version', async () => {
    const { backend: hf } = await backend({ env: { ...process.env, SEXTANT_HF_STANDIN_PROTOCOL: '2' } });
    const error = await hf.doStart({}).then(
      () => new Error('started'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toMatch(/speaks worker protocol 2, this sextant speaks 1/);
  });
});
