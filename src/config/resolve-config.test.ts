import { describe, expect, it } from 'vitest';
import type { Warning } from '../spec/index.js';
import { defaults } from './defaults.js';
import { redactSecrets, resolveConfig } from './resolve-config.js';
import type { LmdeployModelConfig, UserConfig } from './user-config.js';

const noEnv: NodeJS.ProcessEnv = {};

const lmdeployModel: LmdeployModelConfig = {
  type: 'lmdeploy',
  abbr: 'internlm2-chat-7b-turbomind',
  path: 'internlm/internlm2-chat-7b',
  engineConfig: { sessionLen: 2048, maxBatchSize: 8, ropeScalingFactor: 1.0 },
  genConfig: { topK: 1, topP: 0.8, temperature: 1.0, maxNewTokens: 100 },
  maxOutLen: 100,
  maxSeqLen: 2048,
  concurrency: 8,
  endStr: '<eoa>',
  runCfg: { numGpus: 1 },
};

const settings = (warnings: readonly Warning[]) => warnings.map((warning) => (warning.type === 'unsupported-setting' ? warning.setting : warning.type));

describe('resolveConfig', () => {
  it('fills defaults', () => {
    const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://127.0.0.1:23333/v1' }] }, env: noEnv });
    expect(resolved.workDir).toBe(defaults.workDir);
    expect(resolved.limit).toBeUndefined();
    expect(resolved.dataDir).toBeUndefined();
    const [model] = resolved.models;
    expect(model).toMatchObject({
      abbr: undefined,
      maxOutLen: 256,
      concurrency: 'auto',
      maxConcurrency: 128,
      timeoutMs: 600_000,
      retry: 3,
      promptStyle: { kind: 'messages', messageStyle: 'api' },
      generation: { temperature: 0, stopWords: [] },
      warnings: [],
    });
  });

  it('flags override the config file', () => {
    const config: UserConfig = {
      datasets: ['ceval_gen'],
      models: [{ type: 'openai', apiBase: 'http://config-host:1/v1', modelName: 'from-config', maxOutLen: 10, concurrency: 2 }],
      workDir: 'from-config',
      dataDir: '/config/data',
      limit: 5,
    };
    const resolved = resolveConfig({
      config,
      overrides: {
        datasets: ['ceval_ppl'],
        apiBase: 'http://flag-host:2/v1',
        modelName: 'from-flag',
        abbr: 'flag-abbr',
        maxOutLen: 20,
        concurrency: 4,
        workDir: 'from-flag',
        dataDir: '/flag/data',
        limit: 1,
      },
      env: noEnv,
    });
    expect(resolved.datasets).toEqual(['ceval_ppl']);
    expect(resolved.workDir).toBe('from-flag');
    expect(resolved.dataDir).toBe('/flag/data');
    expect(resolved.limit).toBe(1);
    const [model] = resolved.models;
    expect(model?.config).toMatchObject({ apiBase: 'http://flag-host:2/v1', modelName: 'from-flag', abbr: 'flag-abbr', maxOutLen: 20, concurrency: 4 });
    expect(model?.abbr).toBe('flag-abbr');
    expect(model?.maxOutLen).toBe(20);
    expect(model?.concurrency).toBe(4);
  });

  it('config values stay when no flag is given', () => {
    const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [lmdeployModel], workDir: 'w', limit: 3 }, overrides: {}, env: noEnv });
    expect(resolved.workDir).toBe('w');
    expect(resolved.limit).toBe(3);
    expect(resolved.models[0]?.config).toEqual(lmdeployModel);
  });

  it('builds a model from flags alone', () => {
    const resolved = resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], apiBase: 'http://127.0.0.1:23333', maxOutLen: 32 }, env: noEnv });
    expect(resolved.models[0]?.config).toEqual({ type: 'openai', apiBase: 'http://127.0.0.1:23333', maxOutLen: 32 });
    const lmdeploy = resolveConfig({ config: {}, overrides: { datasets: ['ceval_gen'], path: 'internlm/internlm2-chat-7b' }, env: noEnv });
    expect(lmdeploy.models[0]?.config).toEqual({ type: 'lmdeploy', path: 'internlm/internlm2-chat-7b' });
  });

  it('refuses a run without datasets or without a model, naming the field', () => {
    expect(() => resolveConfig({ config: { models: [lmdeployModel] }, env: noEnv })).toThrow(/datasets: no datasets/);
    expect(() => resolveConfig({ config: { datasets: ['ceval_gen'] }, env: noEnv })).toThrow(/--api-base/);
  });

  it('validates flag values like file values', () => {
    expect(() => resolveConfig({ config: { datasets: ['ceval_gen'] }, overrides: { apiBase: 'not a url' }, env: noEnv })).toThrow(/models\[0\]\.apiBase/);
  });

  describe('API key', () => {
    it('uses OPENAI_API_KEY when the model has no key', () => {
      const resolved = resolveConfig({
        config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://h:1/v1' }] },
        env: { OPENAI_API_KEY: 'sk-env' },
      });
      expect(resolved.models[0]?.config).toMatchObject({ apiKey: 'sk-env' });
    });

    it('a configured key or a --api-key flag wins over the environment', () => {
      const fromConfig = resolveConfig({
        config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://h:1/v1', apiKey: 'sk-config' }] },
        env: { OPENAI_API_KEY: 'sk-env' },
      });
      expect(fromConfig.models[0]?.config).toMatchObject({ apiKey: 'sk-config' });
      const fromFlag = resolveConfig({
        config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://h:1/v1', apiKey: 'sk-config' }] },
        overrides: { apiKey: 'sk-flag' },
        env: { OPENAI_API_KEY: 'sk-env' },
      });
      expect(fromFlag.models[0]?.config).toMatchObject({ apiKey: 'sk-flag' });
    });

    it('no key at all leaves apiKey unset', () => {
      const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://h:1/v1' }] }, env: noEnv });
      expect(resolved.models[0]?.config).not.toHaveProperty('apiKey');
    });
  });

  describe('lmdeploy', () => {
    it('genConfig becomes the generation settings (topK, topP, temperature)', () => {
      const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [lmdeployModel] }, env: noEnv });
      const [model] = resolved.models;
      expect(model?.generation).toEqual({ temperature: 1, topK: 1, topP: 0.8, stopWords: [] });
      expect(model?.maxOutLen).toBe(100);
      expect(model?.concurrency).toBe(8);
      expect(model?.abbr).toBe('internlm2-chat-7b-turbomind');
      expect(model?.promptStyle).toEqual({ kind: 'text' });
      expect(model?.warnings).toEqual([]);
    });

    it('without genConfig the request is greedy (temperature 0, no topK/topP)', () => {
      const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'lmdeploy', path: 'p' }] }, env: noEnv });
      expect(resolved.models[0]?.generation).toEqual({ temperature: 0, stopWords: [] });
    });

    it("LMDeploy's other GenerationConfig fields become request fields; generationKwargs win; unsendable ones warn", () => {
      const genConfig = {
        temperature: 0,
        repetitionPenalty: 1.05,
        minNewTokens: 1,
        minP: 0.1,
        skipSpecialTokens: false,
        ignoreEos: false,
        randomSeed: 42,
        stopWords: ['<eoa>'],
        badWords: ['x'],
        logprobs: 2,
        doSample: false,
      };
      const model = { type: 'lmdeploy' as const, path: 'p', stopWords: ['\n\n'], genConfig, generationKwargs: { min_p: 0.2 } };
      const [text] = resolveConfig({ config: { datasets: ['ceval_gen'], models: [model] }, env: noEnv }).models;
      expect(text?.generation).toEqual({
        temperature: 0,
        minOutLen: 1,
        seed: 42,
        stopWords: ['\n\n', '<eoa>'],
        extra: { repetition_penalty: 1.05, min_p: 0.2, skip_special_tokens: false, ignore_eos: false, logprobs: 2 },
      });
      expect(settings(text!.warnings)).toEqual(['genConfig.badWords', 'genConfig.doSample']);
      const [chat] = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ ...model, promptStyle: 'chat' }] }, env: noEnv }).models;
      expect(chat?.generation.extra).toMatchObject({ logprobs: true, top_logprobs: 2 });
    });

    it('warns that genConfig.maxNewTokens is superseded by maxOutLen when they differ', () => {
      const { maxOutLen: _dropped, ...withoutMaxOutLen } = lmdeployModel;
      const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ ...withoutMaxOutLen, genConfig: { maxNewTokens: 2000 } }] }, env: noEnv });
      const [model] = resolved.models;
      expect(model?.maxOutLen).toBe(256);
      expect(settings(model!.warnings)).toEqual(['genConfig.maxNewTokens']);
      const warning = model!.warnings[0]!;
      expect(warning.type === 'unsupported-setting' ? warning.details : '').toMatch(/maxNewTokens=2000 is superseded by maxOutLen=256/);
    });

    it('chat prompt style sends API-style messages; a meta template applies to completion prompts', () => {
      const metaTemplate = { round: [{ role: 'HUMAN' as const, begin: '<|im_start|>user\n', end: '<|im_end|>\n' }] };
      const chat = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'lmdeploy', path: 'p', promptStyle: 'chat' }] }, env: noEnv });
      expect(chat.models[0]?.promptStyle).toEqual({ kind: 'messages', messageStyle: 'api' });
      const completion = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'lmdeploy', path: 'p', metaTemplate }] }, env: noEnv });
      expect(completion.models[0]?.promptStyle).toEqual({ kind: 'text', metaTemplate });
    });

    it('does not take OPENAI_API_KEY', () => {
      const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ type: 'lmdeploy', path: 'p' }] }, env: { OPENAI_API_KEY: 'sk-env' } });
      expect(resolved.models[0]?.config).not.toHaveProperty('apiKey');
    });
  });

  it('warns about batchSize (accepted, not used)', () => {
    const resolved = resolveConfig({ config: { datasets: ['ceval_gen'], models: [{ ...lmdeployModel, batchSize: 8 }] }, env: noEnv });
    const [model] = resolved.models;
    expect(settings(model!.warnings)).toEqual(['batchSize']);
    const warning = model!.warnings[0]!;
    expect(warning.type === 'unsupported-setting' ? warning.details : '').toMatch(/batchSize=8 .*concurrency=8/);
  });

  it('openai: temperature and topP become generation settings; completion mode uses text prompts', () => {
    const resolved = resolveConfig({
      config: {
        datasets: ['ceval_gen'],
        models: [{ type: 'openai', apiBase: 'http://h:1', mode: 'completion', temperature: 0.5, topP: 0.9, stopWords: ['</s>'] }],
      },
      env: noEnv,
    });
    const [model] = resolved.models;
    expect(model?.promptStyle).toEqual({ kind: 'text' });
    expect(model?.generation).toEqual({ temperature: 0.5, topP: 0.9, stopWords: ['</s>'] });
  });
});

describe('redactSecrets', () => {
  it('replaces every apiKey, at any depth, and leaves the rest alone', () => {
    const value = {
      apiKey: 'sk-top',
      models: [
        { type: 'openai', apiBase: 'http://h', apiKey: 'sk-secret' },
        { type: 'lmdeploy', path: 'p' },
      ],
      n: 1,
    };
    const redacted = redactSecrets(value);
    expect(redacted).toEqual({
      apiKey: '<redacted>',
      models: [
        { type: 'openai', apiBase: 'http://h', apiKey: '<redacted>' },
        { type: 'lmdeploy', path: 'p' },
      ],
      n: 1,
    });
    expect(JSON.stringify(redacted)).not.toContain('sk-');
    // The input is not modified.
    expect(value.models[0]?.apiKey).toBe('sk-secret');
  });

  it('redacts the key of a resolved config', () => {
    const resolved = resolveConfig({
      config: { datasets: ['ceval_gen'], models: [{ type: 'openai', apiBase: 'http://h:1' }] },
      env: { OPENAI_API_KEY: 'sk-env-secret' },
    });
    expect(JSON.stringify(redactSecrets(resolved))).not.toContain('sk-env-secret');
  });
});

describe('resolveConfig with warnings from the config file', () => {
  it('each joins its model; one without a model joins every model', () => {
    const models = [
      { type: 'openai', apiBase: 'http://h:1' },
      { type: 'openai', apiBase: 'http://h:2' },
    ] as const;
    const resolved = resolveConfig({
      config: { datasets: ['ceval_gen'], models },
      env: noEnv,
      configWarnings: [
        { model: 1, warning: { type: 'unsupported-setting', setting: 'query_per_second', details: 'not applied' } },
        { warning: { type: 'unsupported-setting', setting: 'infer', details: 'not used' } },
      ],
    });
    expect(resolved.models.map((model) => model.warnings.map((warning) => warning.type === 'unsupported-setting' && warning.setting))).toEqual([
      ['infer'],
      ['query_per_second', 'infer'],
    ]);
  });
});
