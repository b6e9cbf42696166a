// VllmBackend launching the stand-in `vllm` (test/support/bin/vllm) found on PATH, as it would find the real one.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VllmBackend } from '../../src/backends/vllm/index.js';
import { BackendUnavailableError } from '../../src/spec/index.js';
import { defaultAnswer, toyLogprob, toyTokenize } from '../support/openai-test-server.mjs';

const BIN = fileURLToPath(new URL('../support/bin', import.meta.url));
const savedEnv = { ...process.env };
let dir: string;
let log: string;
const backends: VllmBackend[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sextant-vllm-launch-'));
  log = join(dir, 'events.jsonl');
  process.env.PATH = `${BIN}${delimiter}${process.env.PATH ?? ''}`;
  process.env.SEXTANT_FAKE_VLLM_LOG = log;
  delete process.env.SEXTANT_FAKE_VLLM_FAIL;
  delete process.env.VLLM_API_KEY;
});

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.doClose()));
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await rm(dir, { recursive: true, force: true });
});

interface LoggedEvent {
  event: 'start' | 'stop' | 'fail';
  pid: number;
  argv?: string[];
  args?: Record<string, unknown>;
  apiKeyFrom?: string | null;
  signal?: string;
}

async function events(): Promise<LoggedEvent[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedEvent);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('vllm launch', () => {
  it('launches `vllm serve` with the settings as flags, scores and generates, and stops the child on doClose', async () => {
    const lines: string[] = [];
    const backend = new VllmBackend({
      path: '/models/Qwen2.5-7B',
      modelName: 'qwen2.5-7b',
      tensorParallelSize: 2,
      maxModelLen: 4096,
      gpuMemoryUtilization: 0.8,
      extraArgs: ['--dtype', 'bfloat16', '--trust-remote-code'],
      apiKey: 'sk-vllm-secret',
      startupTimeoutMs: 20_000,
      onServerOutput: (line) => lines.push(line),
    });
    backends.push(backend);
    const info = await backend.doStart({});
    expect(info.modelName).toBe('qwen2.5-7b');
    expect(info.warnings).toEqual([]);
    const port = Number(new URL(info.apiBase ?? '').port);

    const [start] = await events();
    expect(start?.event).toBe('start');
    expect(start?.argv).toEqual([
      'serve',
      '/models/Qwen2.5-7B',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--tensor-parallel-size',
      '2',
      '--max-model-len',
      '4096',
      '--served-model-name',
      'qwen2.5-7b',
      '--gpu-memory-utilization',
      '0.8',
      '--dtype',
      'bfloat16',
      '--trust-remote-code',
    ]);
    expect(start?.args).toMatchObject({
      model_tag: '/models/Qwen2.5-7B',
      host: '127.0.0.1',
      port,
      tensor_parallel_size: 2,
      max_model_len: 4096,
      served_model_name: ['qwen2.5-7b'],
      gpu_memory_utilization: 0.8,
      dtype: 'bfloat16',
      trust_remote_code: true,
    });
    // The key reaches the server through VLLM_API_KEY, never through argv.
    expect(start?.apiKeyFrom).toBe('env');
    expect(JSON.stringify(start)).not.toContain('sk-vllm-secret');
    expect(backend.serverPid).toBe(start?.pid);

    const text = '以下是中国关于计算机网络考试的单项选择题。\n答案: \nB';
    const perplexity = await backend.doPerplexity({ kind: 'perplexity', candidates: [{ text, suffix: '答案: \nB' }] }, {});
    const ids = toyTokenize(text);
    let nll = 0;
    for (let index = 1; index < ids.length; index += 1) nll -= toyLogprob(ids.slice(0, index), ids[index] as number);
    expect(perplexity.scores).toEqual([{ ppl: expect.closeTo(nll / ids.length, 12), tokenCount: ids.length, suffixTokenCount: 6 }]);

    const generated = await backend.doGenerate(
      { kind: 'generate', prompt: { kind: 'text', text: 'question 2' }, settings: { maxOutLen: 50, stopWords: [] } },
      {},
    );
    expect(generated.text).toBe(defaultAnswer('question 2'));
    expect(lines.some((line) => line.includes('"POST /v1/completions HTTP/1.1" 200'))).toBe(true);

    const pid = start?.pid as number;
    expect(isAlive(pid)).toBe(true);
    await backend.doClose();
    await backend.doClose(); // idempotent
    expect((await events()).at(-1)).toEqual({ event: 'stop', pid, signal: 'SIGTERM' });
    expect(isAlive(pid)).toBe(false);
  });

  it('turns a server that dies while loading into BackendUnavailableError with its stderr', async () => {
    process.env.SEXTANT_FAKE_VLLM_FAIL = '1';
    const backend = new VllmBackend({ path: '/models/huge', maxModelLen: 131072, startupTimeoutMs: 20_000 });
    backends.push(backend);
    const error = await backend.doStart({}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('could not start vLLM');
    expect(message).toContain('exited with code 1 before it was ready');
    expect(message).toContain("ValueError: The model's max seq len (131072) is larger than the maximum number of tokens");
    expect((await events()).map((event) => event.event)).toEqual(['start', 'fail']);
  });

  it('says "not found on PATH" when the executable is missing', async () => {
    const backend = new VllmBackend({ path: '/m', command: 'sextant-no-such-vllm' });
    backends.push(backend);
    const error = await backend.doStart({}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('cannot launch `sextant-no-such-vllm`: not found on PATH (install vLLM, or give apiBase for a running server)');
  });

  it('does not launch at all with an already-aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const backend = new VllmBackend({ path: '/m', startupTimeoutMs: 20_000 });
    backends.push(backend);
    const error = await backend.doStart({ signal: controller.signal }).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('cancelled');
    expect(await events()).toEqual([]);
  });

  it('stops the child when the caller aborts once the server is up (start fails after the launch)', async () => {
    const controller = new AbortController();
    const backend = new VllmBackend({
      path: '/m',
      startupTimeoutMs: 20_000,
      onServerOutput: (line) => {
        if (line.includes('Application startup complete')) controller.abort();
      },
    });
    backends.push(backend);
    const error = await backend.doStart({ signal: controller.signal }).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    const logged = await events();
    expect(logged.map((event) => event.event)).toEqual(['start', 'stop']);
    expect(isAlive(logged[0]?.pid as number)).toBe(false);
    expect(backend.serverPid).toBeUndefined();
  });

  it('doClose during a slow start stops the loading child and fails the start', async () => {
    process.env.SEXTANT_FAKE_VLLM_STARTUP_MS = '10000';
    const backend = new VllmBackend({ path: '/m', startupTimeoutMs: 20_000 });
    backends.push(backend);
    const starting = backend.doStart({}).catch((caught: unknown) => caught);
    for (let waited = 0; (await events()).length === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const [start] = await events();
    expect(isAlive(start?.pid as number)).toBe(true);
    const closedAt = Date.now();
    await backend.doClose();
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(isAlive(start?.pid as number)).toBe(false);
    expect((await events()).at(-1)).toEqual({ event: 'stop', pid: start?.pid, signal: 'SIGTERM' });
    const error = await starting;
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('cancelled');
  });

  it('stops a child that never gets ready (the probe cannot authenticate) after the startup timeout', async () => {
    process.env.VLLM_API_KEY = 'sk-only-the-server-knows'; // the backend has no apiKey, so every probe gets 401
    const backend = new VllmBackend({ path: '/m', startupTimeoutMs: 2_000 });
    backends.push(backend);
    const error = await backend.doStart({}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('was not ready after 2 s; stopped it');
    const logged = await events();
    expect(logged.map((event) => event.event)).toEqual(['start', 'stop']);
    expect(isAlive(logged[0]?.pid as number)).toBe(false);
  });
});
