import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackends } from '../registry/index.js';
import { ConfigError } from '../spec/index.js';
import { resolveConfig } from './resolve-config.js';

async function folder(files: Record<string, string>): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'sextant-resolve-hf-')), 'model');
  await mkdir(path);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(path, name, '..'), { recursive: true });
    await writeFile(join(path, name), content);
  }
  return path;
}

describe('--hf-path resolution with no -a', () => {
  it('a folder with config.json is a huggingface model with OpenCompass flags mapped onto its fields', async () => {
    const path = await folder({ 'config.json': '{}' });
    const resolved = resolveConfig({
      config: {},
      overrides: {
        datasets: ['ceval_gen'],
        hfPath: path,
        hfType: 'base',
        tokenizerPath: '/tok',
        tokenizerKwargs: { use_fast: false },
        hfModelKwargs: { torch_dtype: 'bfloat16' },
        hfGenerationKwargs: { eos_token_id: [2, 92542] },
        peftPath: '/peft',
        hfNumGpus: 2,
        maxNumWorkers: 3,
        python: '/usr/bin/python3',
        batching: 'continuous',
        maxSeqLen: 2048,
        stopWords: ['<|im_end|>'],
      },
    });
    const model = resolved.models[0];
    expect(model?.config).toEqual({
      type: 'huggingface',
      path,
      abbr: 'model_hf',
      hfType: 'base',
      tokenizerPath: '/tok',
      tokenizerKwargs: { use_fast: false },
      modelKwargs: { torch_dtype: 'bfloat16' },
      generationKwargs: { eos_token_id: [2, 92542] },
      peftPath: '/peft',
      runCfg: { numGpus: 2 },
      maxNumWorkers: 3,
      python: '/usr/bin/python3',
      batching: 'continuous',
      maxSeqLen: 2048,
      stopWords: ['<|im_end|>'],
    });
    expect(model?.promptStyle).toEqual({ kind: 'text' });
    // two continuous calls of 1024 per worker in flight
    expect(model?.concurrency).toBe(1024 * 3 * 2);
    expect(model?.warnings).toEqual([]);
    const [backend] = await createBackends(model as never);
    expect(backend?.provider).toBe('huggingface');
    expect(backend?.capabilities.promptKind).toBe('text');
  });

  it('chat is the default, static batches of 8, and a hub id is accepted', () => {
    const resolved = resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: 'internlm/internlm2-chat-7b' } });
    expect(resolved.models[0]?.config).toMatchObject({ type: 'huggingface', path: 'internlm/internlm2-chat-7b', abbr: 'internlm2-chat-7b_hf' });
    expect(resolved.models[0]?.promptStyle).toEqual({ kind: 'messages', messageStyle: 'chat-template' });
    expect(resolved.models[0]?.concurrency).toBe(16);
  });

  it('gguf files and ONNX folders keep their in-process backends; -a still picks the engine', async () => {
    const onnx = await folder({ 'config.json': '{}', 'onnx/model.onnx': '' });
    expect(resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: onnx } }).models[0]?.config.type).toBe('transformers');
    expect(resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: '/m/x.gguf' } }).models[0]?.config.type).toBe('llama-cpp');
    const checkpoint = await folder({ 'config.json': '{}' });
    expect(resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: checkpoint, accelerator: 'vllm' } }).models[0]?.config.type).toBe('vllm');
  });

  it('names the problem with a folder that is no checkpoint, or a path that is neither a folder nor a hub id', async () => {
    const empty = await folder({});
    expect(() => resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: empty } })).toThrow(/no config\.json.*-a lmdeploy or -a vllm/);
    expect(() => resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], hfPath: './no/such/dir' } })).toThrow(ConfigError);
  });

  it('validates huggingface fields in config files', () => {
    expect(() => resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'huggingface', path: 'a/b', batching: 'dynamic' } as never] } })).toThrow(
      /models\[0\]\.batching/,
    );
    const resolved = resolveConfig({
      config: {
        datasets: ['ceval_gen'],
        models: [{ type: 'huggingface', path: 'a/b', hfType: 'chat', batchSize: 4, maxNumWorkers: 2, runCfg: { numGpus: 1 } }],
      },
    });
    expect(resolved.models[0]?.concurrency).toBe(16);
  });
});
