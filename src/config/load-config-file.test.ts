import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../spec/index.js';
import { loadConfigFile, validateUserConfig } from './load-config-file.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).name).toBe('EVAL_ConfigError');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateUserConfig', () => {
  it('accepts the OpenCompass-style LMDeploy config', () => {
    const config = validateUserConfig(
      {
        datasets: ['ceval_gen'],
        models: [
          {
            type: 'lmdeploy',
            abbr: 'internlm2-chat-7b-turbomind',
            path: 'internlm/internlm2-chat-7b',
            engineConfig: { sessionLen: 2048, maxBatchSize: 8, ropeScalingFactor: 1.0 },
            genConfig: { topK: 1, topP: 0.8, temperature: 1.0, maxNewTokens: 100 },
            maxOutLen: 100,
            maxSeqLen: 2048,
            batchSize: 8,
            concurrency: 8,
            endStr: '<eoa>',
            runCfg: { numGpus: 1 },
          },
        ],
      },
      'cfg.json',
    );
    expect(config.models?.[0]?.type).toBe('lmdeploy');
  });

  it('names the field path of a bad value (models[0].apiBase)', () => {
    const error = configError(() => validateUserConfig({ models: [{ type: 'openai', apiBase: 'not a url' }] }, 'cfg.json'));
    expect(error.message).toContain('models[0].apiBase');
    expect(error.message).toContain('http(s) URL');
    expect(error.message.startsWith('cfg.json: ')).toBe(true);
    expect(error.source).toBe('cfg.json');
  });

  it('accepts OpenCompass snake_case field names as aliases, at every level', () => {
    const config = validateUserConfig(
      {
        work_dir: 'out',
        models: [
          {
            type: 'lmdeploy',
            path: 'internlm/internlm2-chat-7b',
            engine_config: { session_len: 2048, max_batch_size: 8, tp: 1, rope_scaling_factor: 1.0 },
            gen_config: {
              top_k: 1,
              top_p: 0.8,
              temperature: 1.0,
              max_new_tokens: 100,
              repetition_penalty: 1.02,
              min_new_tokens: 1,
              skip_special_tokens: false,
              stop_words: ['<eoa>'],
              random_seed: 7,
              do_sample: false,
            },
            max_out_len: 100,
            max_seq_len: 2048,
            batch_size: 8,
            end_str: '<eoa>',
            run_cfg: { num_gpus: 1 },
            meta_template: { round: [{ role: 'HUMAN', begin: '<|User|>:' }] },
            generation_kwargs: { some_field: 1 },
          },
        ],
      },
      'cfg.json',
    );
    expect(config.workDir).toBe('out');
    expect(config.models?.[0]).toMatchObject({
      engineConfig: { sessionLen: 2048, maxBatchSize: 8, tp: 1, ropeScalingFactor: 1 },
      genConfig: { topK: 1, repetitionPenalty: 1.02, minNewTokens: 1, skipSpecialTokens: false, stopWords: ['<eoa>'], randomSeed: 7, doSample: false },
      maxOutLen: 100,
      endStr: '<eoa>',
      runCfg: { numGpus: 1 },
      metaTemplate: { round: [{ role: 'HUMAN', begin: '<|User|>:' }] },
      // Request-body fields are sent as written.
      generationKwargs: { some_field: 1 },
    });
    const huggingface = validateUserConfig(
      { models: [{ type: 'huggingface', path: 'p', model_kwargs: { torch_dtype: 'bfloat16' }, tokenizer_kwargs: { use_fast: false } }] },
      'c',
    );
    expect(huggingface.models?.[0]).toMatchObject({ modelKwargs: { torch_dtype: 'bfloat16' }, tokenizerKwargs: { use_fast: false } });
  });

  it('refuses a field given in both spellings', () => {
    const error = configError(() =>
      validateUserConfig({ models: [{ type: 'openai', apiBase: 'http://127.0.0.1:1/v1', maxOutLen: 10, max_out_len: 20 }] }, 'cfg.json'),
    );
    expect(error.message).toContain('models[0].maxOutLen: given twice, as "maxOutLen" and as "max_out_len"');
  });

  it('suggests the closest known field for a typo (maxBatchSze, temprature)', () => {
    const error = configError(() =>
      validateUserConfig(
        { models: [{ type: 'lmdeploy', path: 'm', engineConfig: { maxBatchSze: 8 }, genConfig: { temprature: 0 }, maxOutLne: 3 }] },
        'cfg.json',
      ),
    );
    expect(error.message).toContain('models[0].engineConfig: unknown field "maxBatchSze" (did you mean "maxBatchSize"?)');
    expect(error.message).toContain('models[0].genConfig: unknown field "temprature" (did you mean "temperature"?)');
    expect(error.message).toContain('models[0]: unknown field "maxOutLne" (did you mean "maxOutLen"?)');
  });

  it('reports a misspelt field as an unknown field (apibase)', () => {
    const error = configError(() => validateUserConfig({ models: [{ type: 'openai', apibase: 'http://127.0.0.1:23333/v1' }] }, 'cfg.json'));
    expect(error.message).toMatch(/models\[0\]: unknown field "apibase" \(did you mean "apiBase"\?\)/);
  });

  it('names nested paths (models[1].genConfig.topP)', () => {
    const error = configError(() =>
      validateUserConfig(
        {
          models: [
            { type: 'openai', apiBase: 'http://x:1' },
            { type: 'lmdeploy', path: 'p', genConfig: { topP: 1.5 } },
          ],
        },
        'cfg.json',
      ),
    );
    expect(error.message).toContain('models[1].genConfig.topP');
  });

  it('reports an unknown model type and an unknown top-level field', () => {
    expect(configError(() => validateUserConfig({ models: [{ type: 'gpt4all' }] }, 'c')).message).toMatch(
      /models\[0\]\.type: expected a model with type "openai", "lmdeploy"/,
    );
    expect(configError(() => validateUserConfig({ modles: [] }, 'c')).message).toMatch(/\(top level\): unknown field "modles"/);
  });

  it('lists every problem, one per line', () => {
    const error = configError(() => validateUserConfig({ datasets: 'ceval_gen', limit: 0, models: [{ type: 'openai', apiBase: 'x' }] }, 'c'));
    const lines = error.message.split('\n').slice(1);
    expect(lines.some((line) => line.includes('datasets'))).toBe(true);
    expect(lines.some((line) => line.includes('limit'))).toBe(true);
    expect(lines.some((line) => line.includes('models[0].apiBase'))).toBe(true);
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sextant-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads and validates a JSON file', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify({ datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://127.0.0.1:23333/v1' }] }));
    expect(await loadConfigFile(path)).toEqual({ datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://127.0.0.1:23333/v1' }] });
  });

  it('names the file and the field of an invalid JSON config', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ models: [{ type: 'openai', apibase: 'http://x' }] }));
    await expect(loadConfigFile(path)).rejects.toThrow(/bad\.json: invalid config:[\s\S]*unknown field "apibase"/);
  });

  it('rejects malformed JSON, a missing file and an unsupported extension', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "datasets": [');
    await expect(loadConfigFile(broken)).rejects.toThrow(/not valid JSON/);
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/config file not found/);
    await expect(loadConfigFile(join(dir, 'config.yaml'))).rejects.toThrow(/unsupported config file type/);
  });

  it('loads an .mjs module’s default export', async () => {
    const path = join(dir, 'config.mjs');
    await writeFile(path, "export default { datasets: ['ceval_gen'], limit: 2 };\n");
    expect(await loadConfigFile(path)).toEqual({ datasets: ['ceval_gen'], limit: 2 });
  });
});
