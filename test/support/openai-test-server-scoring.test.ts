// The toy language model and the scoring endpoints of openai-test-server.mjs, and the stand-in `vllm` executable.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TOY_BOS_ID,
  startOpenAITestServer,
  toyGreedyToken,
  toyLogprob,
  toyPairHash,
  toyTokenString,
  toyTokenize,
  type OpenAITestServer,
  type OpenAITestServerOptions,
} from './openai-test-server.mjs';

const VLLM_BIN = fileURLToPath(new URL('./bin/vllm', import.meta.url));

const servers: OpenAITestServer[] = [];
const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function start(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer(options);
  servers.push(server);
  return server;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('the toy model', () => {
  it('tokenizes to BOS then one id per code point', () => {
    expect(TOY_BOS_ID).toBe(1);
    expect(toyTokenize('a答😀')).toEqual([1, 97, 0x7b54, 0x1f600]);
    expect(toyTokenize('ab', { addBos: false })).toEqual([97, 98]);
    expect(toyTokenize('')).toEqual([1]);
    expect([1, 97, 0x1f600].map(toyTokenString)).toEqual(['<s>', 'a', '😀']);
  });

  it('defines logprobs from the last token: -0.25 for the greedy one, else -(1 + (FNV-1a % 50) / 10)', () => {
    // FNV-1a of the 8 bytes 01 00 00 00 61 00 00 00, computed by hand from the published constants.
    let h = 0x811c9dc5;
    for (const byte of [1, 0, 0, 0, 0x61, 0, 0, 0]) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    expect(toyPairHash(1, 0x61)).toBe(h);
    expect(toyGreedyToken([1])).toBe(98); // 'a' + 1 % 26
    expect(toyGreedyToken([5, 97])).toBe(97 + (97 % 26));
    expect(toyLogprob([1], 98)).toBe(-0.25);
    expect(toyLogprob([1], 97)).toBe(-(1 + (h % 50) / 10));
    expect(toyLogprob([42, 1], 97)).toBe(toyLogprob([1], 97)); // only the last token matters
    for (let token = 32; token < 400; token += 1) {
      const value = toyLogprob([1, 300], token);
      expect(value).toBeLessThanOrEqual(token === toyGreedyToken([300]) ? -0.25 : -1);
      expect(value).toBeGreaterThanOrEqual(-5.9);
    }
    expect(() => toyLogprob([], 97)).toThrow(TypeError);
  });
});

function meanNll(ids: number[], denominator: number): number {
  let nll = 0;
  for (let index = 1; index < ids.length; index += 1) nll -= toyLogprob(ids.slice(0, index), ids[index] as number);
  return nll / denominator;
}

describe('POST /get_ppl (LMDeploy)', () => {
  it("answers LMDeploy's mean cross-entropy over the L−1 predicted tokens, for text or token ids", async () => {
    const server = await start({ flavor: 'lmdeploy' });
    const text = '答案: \nC';
    const ids = toyTokenize(text);
    const fromText = await post(`${server.url}/get_ppl`, { input: text });
    expect(fromText.status).toBe(200);
    expect(fromText.body.ppl).toBeCloseTo(meanNll(ids, ids.length - 1), 12);
    const fromIds = await post(`${server.url}/get_ppl`, { input: ids });
    expect(fromIds.body).toEqual(fromText.body);
  });

  it('refuses empty, too-short and ill-typed inputs with 400 in the flavor’s error shape', async () => {
    const server = await start({ flavor: 'lmdeploy' });
    const empty = await post(`${server.url}/get_ppl`, { input: [] });
    expect(empty).toEqual({ status: 400, body: expect.objectContaining({ object: 'error', message: 'Input must not be empty.', code: 400 }) });
    expect((await post(`${server.url}/get_ppl`, { input: '' })).status).toBe(400);
    expect((await post(`${server.url}/get_ppl`, { input: 3 })).status).toBe(400);
    expect((await post(`${server.url}/get_ppl`, { input: [1, 'a'] })).status).toBe(400);
    expect((await fetch(`${server.url}/get_ppl`)).status).toBe(405);
  });

  it('needs the API key and takes faults like the other endpoints', async () => {
    const server = await start({
      apiKey: 'k',
      fault: ({ endpoint, endpointRequestIndex }) => (endpoint === 'get_ppl' && endpointRequestIndex === 0 ? { kind: 'status', status: 503 } : undefined),
    });
    expect((await post(`${server.url}/get_ppl`, { input: 'ab' })).status).toBe(401);
    expect((await post(`${server.url}/get_ppl`, { input: 'ab' }, { authorization: 'Bearer k' })).status).toBe(503);
    expect((await post(`${server.url}/get_ppl`, { input: 'ab' }, { authorization: 'Bearer k' })).status).toBe(200);
  });
});

describe('POST /v1/encode (LMDeploy) and POST /tokenize (vLLM)', () => {
  it('encodes one text or a list, with BOS unless add_bos is false', async () => {
    const server = await start({ flavor: 'lmdeploy' });
    expect((await post(`${server.url}/v1/encode`, { input: 'ab' })).body).toEqual({ input_ids: [1, 97, 98], length: 3 });
    expect((await post(`${server.url}/v1/encode`, { input: 'ab', add_bos: false, do_preprocess: false })).body).toEqual({ input_ids: [97, 98], length: 2 });
    expect((await post(`${server.url}/v1/encode`, { input: ['a', ''] })).body).toEqual({ input_ids: [[1, 97], [1]], length: [2, 1] });
    expect((await post(`${server.url}/v1/encode`, { input: 'a', add_bos: 'yes' })).status).toBe(400);
  });

  it('tokenizes like vLLM, checking the model when given', async () => {
    const server = await start({ maxModelLen: 2048 });
    expect((await post(`${server.url}/tokenize`, { model: 'test-model', prompt: 'hi' })).body).toEqual({
      count: 3,
      max_model_len: 2048,
      tokens: [1, 104, 105],
      token_strs: null,
    });
    expect((await post(`${server.url}/tokenize`, { prompt: 'hi', add_special_tokens: false, return_token_strs: true })).body).toMatchObject({
      count: 2,
      token_strs: ['h', 'i'],
    });
    expect((await post(`${server.url}/tokenize`, { model: 'other', prompt: 'hi' })).status).toBe(404);
    expect((await post(`${server.url}/tokenize`, { model: 'test-model' })).status).toBe(400);
  });
});

describe('echo + logprobs on /v1/completions', () => {
  it('returns the prompt tokens (BOS first, null) then the generated ones, with top_logprobs', async () => {
    const server = await start({ answer: () => 'Zed' });
    const { status, body } = await post(`${server.url}/v1/completions`, {
      model: 'test-model',
      prompt: 'ab',
      max_tokens: 1,
      echo: true,
      logprobs: 1,
      temperature: 0,
    });
    expect(status).toBe(200);
    const choice = body.choices[0];
    expect(choice.text).toBe('abZ');
    expect(choice.finish_reason).toBe('length');
    expect(body.usage).toEqual({ prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 });
    const ids = [1, 97, 98, 90];
    const logprobs = ids.slice(1).map((id, index) => toyLogprob(ids.slice(0, index + 1), id));
    expect(choice.logprobs).toEqual({
      tokens: ['<s>', 'a', 'b', 'Z'],
      token_logprobs: [null, ...logprobs],
      top_logprobs: [
        null,
        ...ids.slice(1).map((id, index) => {
          const greedy = toyGreedyToken(ids.slice(0, index + 1));
          return { [String.fromCodePoint(greedy)]: -0.25, [String.fromCodePoint(id)]: logprobs[index] };
        }),
      ],
      text_offset: [0, 0, 1, 2],
    });
  });

  it('without echo covers the generated tokens only; logprobs 0 lists just the actual token', async () => {
    const server = await start({ answer: () => 'xy' });
    const { body } = await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'a', logprobs: 0 });
    const ids = [1, 97, 120, 121];
    expect(body.choices[0].logprobs).toEqual({
      tokens: ['x', 'y'],
      token_logprobs: [toyLogprob(ids.slice(0, 2), 120), toyLogprob(ids.slice(0, 3), 121)],
      top_logprobs: [{ x: toyLogprob(ids.slice(0, 2), 120) }, { y: toyLogprob(ids.slice(0, 3), 121) }],
      text_offset: [0, 1],
    });
  });

  it('keeps logprobs null when not asked, and refuses logprobs > 1 and logprobs with stream', async () => {
    const server = await start();
    expect((await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'a', echo: true })).body.choices[0].logprobs).toBeNull();
    expect((await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'a', logprobs: 5 })).status).toBe(400);
    expect((await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'a', logprobs: 1, stream: true })).status).toBe(400);
  });
});

// ---------------------------------------------------------------------------
// The stand-in `vllm` executable (its launch through VllmBackend is in test/e2e/vllm-launch.test.ts).

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function spawnVllm(args: string[], env: Record<string, string> = {}) {
  const child = spawn(VLLM_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (data: string) => (out += data));
  child.stderr?.setEncoding('utf8').on('data', (data: string) => (err += data));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('stand-in vllm executable', () => {
  it('is executable', async () => {
    expect((await stat(VLLM_BIN)).mode & 0o111).not.toBe(0);
  });

  it('serves with --api-key, redacts the key in its log, and stops on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-fake-vllm-'));
    tempDirs.push(dir);
    const log = join(dir, 'events.jsonl');
    const port = await freePort();
    const args = ['serve', '/m', '--host', '127.0.0.1', '--port', String(port), '--served-model-name', 'a', 'b', '--api-key', 'sk-x', '-tp', '4'];
    const s = spawnVllm(args, { SEXTANT_FAKE_VLLM_LOG: log });
    await waitFor(() => s.stdout().includes('Uvicorn running on'));
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    const models = (await (await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer sk-x' } })).json()) as any;
    expect(models.data[0]).toMatchObject({ id: 'a', owned_by: 'vllm' });
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const text = await readFile(log, 'utf8');
    expect(text).not.toContain('sk-x');
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({
      event: 'start',
      argv: [...args.slice(0, 10), '<redacted>', '-tp', '4'],
      args: { served_model_name: ['a', 'b'], api_key: '<redacted>', tensor_parallel_size: 4, port },
      apiKeyFrom: 'argv',
    });
    expect(events[1]).toEqual({ event: 'stop', pid: s.child.pid, signal: 'SIGINT' });
  });

  it('fails like argparse on unknown flags and bad values', async () => {
    const unknown = spawnVllm(['serve', '/m', '--no-such-flag']);
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.stderr()).toContain('vllm serve: error: unrecognized arguments: --no-such-flag');
    const badFloat = spawnVllm(['serve', '/m', '--gpu-memory-utilization', 'most']);
    expect((await badFloat.exited).code).toBe(2);
    expect(badFloat.stderr()).toContain("argument --gpu-memory-utilization: invalid float value: 'most'");
    const noModel = spawnVllm(['serve']);
    expect((await noModel.exited).code).toBe(2);
    expect(noModel.stderr()).toContain('required: model_tag');
    const noServe = spawnVllm(['bench']);
    expect((await noServe.exited).code).toBe(2);
  });

  it('exits 1 with the error on stderr when SEXTANT_FAKE_VLLM_FAIL=1', async () => {
    const s = spawnVllm(['serve', '/m', '--max-model-len', '65536'], { SEXTANT_FAKE_VLLM_FAIL: '1' });
    expect(await s.exited).toEqual({ code: 1, signal: null });
    expect(s.stderr()).toContain("ValueError: The model's max seq len (65536)");
  });
});
