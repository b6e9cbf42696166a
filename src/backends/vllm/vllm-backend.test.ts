import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, UnsupportedRequestError } from '../../spec/index.js';
import { startOpenAITestServer, toyLogprob, toyTokenize, type OpenAITestServer } from '../../../test/support/openai-test-server.mjs';
import { VllmBackend } from './vllm-backend.js';

const servers: OpenAITestServer[] = [];
const backends: VllmBackend[] = [];

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.doClose()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('VllmBackend', () => {
  it('builds `vllm serve` arguments from its settings', () => {
    const backend = new VllmBackend({
      path: '/models/Qwen2.5-7B',
      tensorParallelSize: 2,
      maxModelLen: 8192,
      modelName: 'qwen',
      gpuMemoryUtilization: 0.85,
      extraArgs: ['--dtype', 'bfloat16'],
      apiKey: 'sk-never-in-argv',
    });
    expect(backend.launchArguments(4321)).toEqual([
      'serve',
      '/models/Qwen2.5-7B',
      '--host',
      '127.0.0.1',
      '--port',
      '4321',
      '--tensor-parallel-size',
      '2',
      '--max-model-len',
      '8192',
      '--served-model-name',
      'qwen',
      '--gpu-memory-utilization',
      '0.85',
      '--dtype',
      'bfloat16',
    ]);
    expect(new VllmBackend({ path: '/m' }).launchArguments(1)).toEqual(['serve', '/m', '--host', '127.0.0.1', '--port', '1']);
  });

  it('declares scoring kinds for text prompts only; token counts (/tokenize) for both', async () => {
    expect(new VllmBackend({ path: '/m' }).capabilities).toEqual({
      requestKinds: ['generate', 'loglikelihood', 'perplexity'],
      promptKind: 'text',
      tokenCount: true,
    });
    const chat = new VllmBackend({ path: '/m', promptKind: 'messages' });
    expect(chat.capabilities).toEqual({ requestKinds: ['generate'], promptKind: 'messages', tokenCount: true });
    expect(chat.modelId).toBe('vllm:/m');
    expect(chat.connectionKey).toBe('vllm-launch:/m');
    const error = await chat.doPerplexity({ kind: 'perplexity', candidates: [] }, {}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true); // not started
  });

  it('needs path or apiBase', async () => {
    const error = await new VllmBackend({}).doStart({}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('needs path');
  });

  it('uses a running server with apiBase, warns about launch-only settings, and scores PPL', async () => {
    const server = await startOpenAITestServer({ modelName: 'qwen', ownedBy: 'vllm' });
    servers.push(server);
    const backend = new VllmBackend({ apiBase: server.url, maxModelLen: 4096, extraArgs: ['--enforce-eager'] });
    backends.push(backend);
    const info = await backend.doStart({});
    expect(info.modelName).toBe('qwen');
    expect(info.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'maxModelLen' }),
      expect.objectContaining({ type: 'unsupported-setting', setting: 'extraArgs' }),
    ]);
    expect(backend.connectionKey).toBe(`${server.url}/v1`);
    expect(backend.modelId).toBe(`vllm:qwen@${server.url}/v1`);
    const ids = toyTokenize('abc');
    const expected = -(toyLogprob(ids.slice(0, 1), 97) + toyLogprob(ids.slice(0, 2), 98) + toyLogprob(ids.slice(0, 3), 99)) / 4;
    const result = await backend.doPerplexity({ kind: 'perplexity', candidates: [{ text: 'abc', suffix: 'c' }] }, {});
    expect(result.scores).toEqual([{ ppl: expect.closeTo(expected, 12), tokenCount: 4, suffixTokenCount: 1 }]);
  });

  it('a chat setup refuses scoring after start', async () => {
    const server = await startOpenAITestServer();
    servers.push(server);
    const backend = new VllmBackend({ apiBase: server.url, promptKind: 'messages' });
    backends.push(backend);
    await backend.doStart({});
    const error = await backend.doLoglikelihood({ kind: 'loglikelihood', context: 'a', continuation: 'b' }, {}).catch((caught: unknown) => caught);
    expect(UnsupportedRequestError.isInstance(error)).toBe(true);
  });
});
