import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyStopAndMaxTokens,
  countTokens,
  defaultAnswer,
  startOpenAITestServer,
  type OpenAITestServer,
  type OpenAITestServerOptions,
} from './openai-test-server.mjs';

const LMDEPLOY_BIN = fileURLToPath(new URL('./bin/lmdeploy', import.meta.url));

const servers: OpenAITestServer[] = [];
async function start(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer(options);
  servers.push(server);
  return server;
}

const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function json(res: Response): Promise<any> {
  return res.json();
}

/** Reads an SSE stream incrementally; returns the data payload of each event, in order. */
async function readSSE(res: Response): Promise<string[]> {
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  const flush = (block: string): void => {
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push(data.join('\n'));
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let sep: RegExpExecArray | null;
    while ((sep = /\r?\n\r?\n/.exec(buffer)) !== null) {
      flush(buffer.slice(0, sep.index));
      buffer = buffer.slice(sep.index + sep[0].length);
    }
  }
  buffer += decoder.decode();
  if (buffer.trim() !== '') flush(buffer);
  return events;
}

function chat(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'test-model', messages: [{ role: 'user', content: prompt }], ...extra };
}

describe('defaultAnswer', () => {
  it('is the sha256-derived answer in its four forms', () => {
    // sha256('question 0') starts 61 83 → 'B', form 3, and so on (checked with sha256sum).
    expect(defaultAnswer('question 0')).toBe('The answer is B.');
    expect(defaultAnswer('question 2')).toBe('D. 因为……');
    expect(defaultAnswer('question 4')).toBe('答案是C。');
    expect(defaultAnswer('question 6')).toBe('C');
    expect(defaultAnswer('')).toBe('D');
    expect(defaultAnswer('question 0')).toBe(defaultAnswer('question 0'));
  });

  it('applyStopAndMaxTokens cuts at the earliest stop, then at max tokens (code points)', () => {
    expect(applyStopAndMaxTokens('Hello world. Bye', { stop: ['Bye', '.'] })).toEqual({
      text: 'Hello world',
      finishReason: 'stop',
    });
    expect(applyStopAndMaxTokens('答案是C。', { maxTokens: 3 })).toEqual({ text: '答案是', finishReason: 'length' });
    expect(applyStopAndMaxTokens('abc', { maxTokens: 3 })).toEqual({ text: 'abc', finishReason: 'stop' });
    expect(applyStopAndMaxTokens('abcdef', { stop: 'e', maxTokens: 2 })).toEqual({ text: 'ab', finishReason: 'length' });
    expect(countTokens('答案是C。')).toBe(5);
  });
});

describe('startOpenAITestServer', () => {
  it('listens on 127.0.0.1 and lists the model', async () => {
    const server = await start({ modelName: 'my-model' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/v1/models`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      object: 'list',
      data: [{ id: 'my-model', object: 'model', created: expect.any(Number), owned_by: 'sextant-test' }],
    });
    expect(Number.isInteger(body.data[0].created)).toBe(true);
  });

  it('answers chat completions with the default policy', async () => {
    const server = await start();
    const res = await post(`${server.url}/v1/chat/completions`, {
      model: 'test-model',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'question ' },
            { type: 'text', text: '0' },
          ],
        },
      ],
      temperature: 0,
      top_p: 1,
      top_k: 1,
      seed: 42,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await json(res);
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'test-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The answer is B.' },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 16 + 5 + 2 + 10, completion_tokens: 16, total_tokens: 33 + 16 },
    });
  });

  it('streams chat completions as SSE chunks ending with [DONE]', async () => {
    const server = await start({ answer: () => 'Hello, streaming world!' });
    const res = await post(`${server.url}/v1/chat/completions`, chat('hi', { stream: true }));
    expect(res.status).toBe(200);
    const events = await readSSE(res);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as any);
    for (const c of chunks) {
      expect(c.object).toBe('chat.completion.chunk');
      expect(c.model).toBe('test-model');
      expect(c.id).toBe(chunks[0].id);
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const contentChunks = chunks.slice(1, -1);
    expect(contentChunks.length).toBeGreaterThan(3);
    expect(contentChunks.map((c) => c.choices[0].delta.content).join('')).toBe('Hello, streaming world!');
    for (const c of contentChunks) expect(c.choices[0].finish_reason).toBeNull();
    expect(chunks.at(-1).choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
  });

  it('adds a usage chunk when stream_options.include_usage is set', async () => {
    const server = await start({ answer: () => 'abcdef' });
    const res = await post(`${server.url}/v1/chat/completions`, chat('xy', { stream: true, stream_options: { include_usage: true } }));
    const events = await readSSE(res);
    const usageChunk = JSON.parse(events.at(-2) ?? '');
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual({ prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 });
  });

  it('answers text completions, streaming or not, with echo', async () => {
    const server = await start();
    const prompt = 'question 2';
    const res = await post(`${server.url}/v1/completions`, { model: 'test-model', prompt, max_tokens: 100 });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^cmpl-/),
      object: 'text_completion',
      model: 'test-model',
      choices: [{ index: 0, text: 'D. 因为……', finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 },
    });

    const echoed = await json(await post(`${server.url}/v1/completions`, { model: 'test-model', prompt, echo: true }));
    expect(echoed.choices[0].text).toBe(`${prompt}D. 因为……`);

    const streamed = await post(`${server.url}/v1/completions`, { model: 'test-model', prompt, stream: true });
    const events = await readSSE(streamed);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as any);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.object).toBe('text_completion');
    expect(chunks.map((c) => c.choices[0].text).join('')).toBe('D. 因为……');
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('passes the prompt, endpoint and body to the answer policy (async allowed)', async () => {
    const seen: unknown[] = [];
    const server = await start({
      answer: async (info) => {
        seen.push({ endpoint: info.endpoint, prompt: info.prompt, extra: info.body.extra_field });
        await new Promise((r) => setTimeout(r, 5));
        return `echo:${info.prompt}`;
      },
    });
    const c = await json(await post(`${server.url}/v1/chat/completions`, chat('hello', { extra_field: 1 })));
    expect(c.choices[0].message.content).toBe('echo:hello');
    const t = await json(await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'p' }));
    expect(t.choices[0].text).toBe('echo:p');
    expect(seen).toEqual([
      { endpoint: 'chat', prompt: 'hello', extra: 1 },
      { endpoint: 'completions', prompt: 'p', extra: undefined },
    ]);
  });

  it('honours stop and max_tokens, also when streaming', async () => {
    const server = await start({ answer: () => 'The answer is C. Because reasons.' });
    const url = `${server.url}/v1/chat/completions`;

    const stopped = await json(await post(url, chat('q', { stop: ['.', 'answer'] })));
    expect(stopped.choices[0]).toMatchObject({ message: { content: 'The ' }, finish_reason: 'stop' });
    const stoppedString = await json(await post(url, chat('q', { stop: '. ' })));
    expect(stoppedString.choices[0].message.content).toBe('The answer is C');

    const limited = await json(await post(url, chat('q', { max_tokens: 5 })));
    expect(limited.choices[0]).toMatchObject({ message: { content: 'The a' }, finish_reason: 'length' });
    expect(limited.usage.completion_tokens).toBe(5);
    const limited2 = await json(await post(url, chat('q', { max_completion_tokens: 3 })));
    expect(limited2.choices[0]).toMatchObject({ message: { content: 'The' }, finish_reason: 'length' });

    const streamed = await readSSE(await post(url, chat('q', { stream: true, max_tokens: 7 })));
    const chunks = streamed.slice(0, -1).map((e) => JSON.parse(e) as any);
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('The ans');
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');

    const completion = await json(await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'x', stop: ['C'], max_tokens: 50 }));
    expect(completion.choices[0]).toMatchObject({ text: 'The answer is ', finish_reason: 'stop' });
  });

  it('requires the API key when one is set', async () => {
    const server = await start({ apiKey: 'sk-secret' });
    const none = await fetch(`${server.url}/v1/models`);
    expect(none.status).toBe(401);
    expect((await json(none)).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });

    const wrong = await post(`${server.url}/v1/chat/completions`, chat('q'), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(typeof (await json(wrong)).error.message).toBe('string');

    const ok = await post(`${server.url}/v1/chat/completions`, chat('q'), { authorization: 'Bearer sk-secret' });
    expect(ok.status).toBe(200);
    const models = await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer sk-secret' } });
    expect(models.status).toBe(200);
  });

  it('rejects an unknown model with an OpenAI-style 404', async () => {
    const server = await start();
    const res = await post(`${server.url}/v1/chat/completions`, { ...chat('q'), model: 'gpt-4' });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: {
        message: expect.stringContaining('gpt-4'),
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
    const completions = await post(`${server.url}/v1/completions`, { model: 'other', prompt: 'x' });
    expect(completions.status).toBe(404);
  });

  it('answers 404 for unknown paths, 405 for wrong methods, 400 for bad bodies', async () => {
    const server = await start();
    const unknown = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toContain('/v1/embeddings');
    expect((await fetch(`${server.url}/v1/chat/completions`)).status).toBe(405);

    const badJson = await post(`${server.url}/v1/chat/completions`, '{"model": "test-model", ');
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).error.type).toBe('invalid_request_error');

    const cases: Record<string, unknown>[] = [
      { messages: [{ role: 'user', content: 'q' }] },
      { model: 'test-model' },
      chat('q', { max_tokens: 0 }),
      chat('q', { max_tokens: 1.5 }),
      chat('q', { temperature: 3 }),
      chat('q', { stop: [1] }),
      chat('q', { stream: 'yes' }),
      chat('q', { n: 2 }),
    ];
    for (const body of cases) {
      const res = await post(`${server.url}/v1/chat/completions`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const arrayPrompt = await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: ['a', 'b'] });
    expect(arrayPrompt.status).toBe(400);
    // null means "not set", as in real servers.
    const nulls = await post(`${server.url}/v1/chat/completions`, chat('q', { stop: null, max_tokens: null }));
    expect(nulls.status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('injects status faults with Retry-After', async () => {
    const server = await start({
      fault: ({ endpoint, endpointRequestIndex }) =>
        endpoint === 'chat' && endpointRequestIndex < 2 ? { kind: 'status', status: endpointRequestIndex === 0 ? 429 : 503, retryAfterSeconds: 1 } : undefined,
    });
    const url = `${server.url}/v1/chat/completions`;
    const first = await post(url, chat('q'));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await json(first)).error).toMatchObject({ code: 'rate_limit_exceeded' });
    const second = await post(url, chat('q'));
    expect(second.status).toBe(503);
    expect((await json(second)).error.type).toBe('server_error');
    const third = await post(url, chat('q'));
    expect(third.status).toBe(200);
  });

  it('injects malformed JSON, streaming or not', async () => {
    const server = await start({ fault: () => ({ kind: 'malformed-json' }) });
    const res = await post(`${server.url}/v1/chat/completions`, chat('q'));
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    const streamed = await readSSE(await post(`${server.url}/v1/chat/completions`, chat('q', { stream: true })));
    expect(() => JSON.parse(streamed[0] ?? '')).toThrow(SyntaxError);
    expect(streamed.at(-1)).toBe('[DONE]');
  });

  it('injects dropped connections', async () => {
    const server = await start({
      fault: ({ requestIndex }) => (requestIndex === 0 ? { kind: 'drop-connection' } : undefined),
    });
    await expect(post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'x' })).rejects.toThrow();
    const again = await post(`${server.url}/v1/completions`, { model: 'test-model', prompt: 'x' });
    expect(again.status).toBe(200);
  });

  it('injects delays and applies latencyMs', async () => {
    const server = await start({ latencyMs: 30, fault: () => ({ kind: 'delay', ms: 120 }) });
    const t0 = Date.now();
    const res = await post(`${server.url}/v1/chat/completions`, chat('q'));
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await json(res)).choices[0].message.content).toBe(defaultAnswer('q'));
  });

  it('records requests in order and tracks the highest concurrency', async () => {
    const server = await start({ latencyMs: 100 });
    await Promise.all([0, 1, 2, 3].map((i) => post(`${server.url}/v1/chat/completions`, chat(`q${i}`, { max_tokens: 8 }), { 'x-test': String(i) })));
    expect(server.maxInFlight).toBe(4);
    expect(server.inFlight).toBe(0);
    await fetch(`${server.url}/v1/models?x=1`);
    expect(server.requests).toHaveLength(5);
    const first = server.requests[0];
    expect(first).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'test-model', max_tokens: 8 },
    });
    expect(first?.headers['content-type']).toBe('application/json');
    expect(typeof first?.receivedAt).toBe('number');
    expect(new Set(server.requests.slice(0, 4).map((r) => r.headers['x-test']))).toEqual(new Set(['0', '1', '2', '3']));
    expect(server.requests[4]).toMatchObject({ method: 'GET', path: '/v1/models', url: '/v1/models?x=1', body: undefined });
    for (let i = 1; i < server.requests.length; i++) {
      expect(server.requests[i]!.receivedAt).toBeGreaterThanOrEqual(server.requests[i - 1]!.receivedAt);
    }
  });

  it('closes promptly even with keep-alive connections and pending answers', async () => {
    const server = await start({ latencyMs: 10_000 });
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(200); // leaves a keep-alive socket
    const pending = post(`${server.url}/v1/chat/completions`, chat('q')).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await server.close();
    await server.close(); // idempotent
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('mimics LMDeploy error bodies with flavor "lmdeploy"', async () => {
    const server = await start({ flavor: 'lmdeploy', apiKey: ['k1', 'k2'], modelName: '/models/internlm' });
    const auth = { authorization: 'Bearer k2' };
    const unauthorized = await fetch(`${server.url}/v1/models`);
    expect(unauthorized.status).toBe(401);
    expect((await json(unauthorized)).detail.error.code).toBe('invalid_api_key');
    const models = await json(await fetch(`${server.url}/v1/models`, { headers: auth }));
    expect(models.data[0]).toMatchObject({ id: '/models/internlm', owned_by: 'lmdeploy' });
    const wrongModel = await post(`${server.url}/v1/chat/completions`, chat('q'), auth);
    expect(wrongModel.status).toBe(404);
    expect(await json(wrongModel)).toMatchObject({ object: 'error', code: 404, message: expect.stringContaining('test-model') });
    const badTopP = await post(`${server.url}/v1/chat/completions`, { ...chat('q', { top_p: 0 }), model: '/models/internlm' }, auth);
    expect(badTopP.status).toBe(400);
    expect(await json(await fetch(`${server.url}/nope`))).toEqual({ detail: 'Not Found' });
  });
});

// ---------------------------------------------------------------------------
// The stand-in `lmdeploy` executable.

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

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnLmdeploy(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(LMDEPLOY_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForOutput(s: Spawned, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(s.stdout());
    if (m) return m;
    if (s.child.exitCode !== null) throw new Error(`exited ${s.child.exitCode}: ${s.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stdout: ${s.stdout()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function tempLog(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sextant-fake-lmdeploy-'));
  tempDirs.push(dir);
  return join(dir, 'events.jsonl');
}

async function readEvents(file: string): Promise<any[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

describe('stand-in lmdeploy executable', () => {
  it('is executable', async () => {
    expect((await stat(LMDEPLOY_BIN)).mode & 0o111).not.toBe(0);
  });

  it('parses the flags, serves the model, logs start and stop on SIGTERM', async () => {
    const port = await freePort();
    const log = await tempLog();
    const args = [
      'serve',
      'api_server',
      '/models/internlm2-chat-7b',
      '--server-port',
      String(port),
      '--server-name',
      '127.0.0.1',
      '--tp',
      '2',
      '--session-len',
      '8192',
      '--max-batch-size',
      '64',
      '--rope-scaling-factor',
      '2.5',
      '--backend',
      'pytorch',
    ];
    const s = spawnLmdeploy(args, { SEXTANT_FAKE_LMDEPLOY_LOG: log });
    const m = await waitForOutput(s, /Uvicorn running on (http:\/\/\S+)/);
    expect(m[1]).toBe(`http://127.0.0.1:${port}`);

    const url = `http://127.0.0.1:${port}`;
    const models = await json(await fetch(`${url}/v1/models`));
    expect(models.data[0].id).toBe('/models/internlm2-chat-7b');
    const answer = await json(
      await post(`${url}/v1/chat/completions`, {
        model: '/models/internlm2-chat-7b',
        messages: [{ role: 'user', content: 'question 6' }],
      }),
    );
    expect(answer.choices[0].message.content).toBe('C');
    await waitForOutput(s, /"POST \/v1\/chat\/completions HTTP\/1\.1" 200/);

    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const events = await readEvents(log);
    expect(events).toEqual([
      {
        event: 'start',
        pid: s.child.pid,
        argv: args,
        args: expect.objectContaining({
          model_path: '/models/internlm2-chat-7b',
          server_port: port,
          server_name: '127.0.0.1',
          tp: 2,
          session_len: 8192,
          max_batch_size: 64,
          rope_scaling_factor: 2.5,
          backend: 'pytorch',
        }),
      },
      { event: 'stop', pid: s.child.pid, signal: 'SIGTERM' },
    ]);
  });

  it('uses --model-name and --api-keys, and waits SEXTANT_FAKE_LMDEPLOY_STARTUP_MS before listening', async () => {
    const port = await freePort();
    const log = await tempLog();
    const s = spawnLmdeploy(
      ['serve', 'api_server', './weights', '--model-name', 'internlm2', '--server-port', `${port}`, '--server-name', '127.0.0.1', '--api-keys', 'k1', 'k2'],
      { SEXTANT_FAKE_LMDEPLOY_STARTUP_MS: '600', SEXTANT_FAKE_LMDEPLOY_LOG: log },
    );
    await new Promise((r) => setTimeout(r, 250));
    await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
    await waitForOutput(s, /Uvicorn running on/);
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);
    const models = await json(await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: 'Bearer k2' } }));
    expect(models.data[0].id).toBe('internlm2');

    s.child.kill('SIGINT');
    expect((await s.exited).code).toBe(0);
    expect((await readEvents(log)).at(-1)).toEqual({ event: 'stop', pid: s.child.pid, signal: 'SIGINT' });
  });

  it('fails like argparse on unknown flags and bad values', async () => {
    const unknown = spawnLmdeploy(['serve', 'api_server', '/m', '--no-such-flag', '1']);
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.stderr()).toContain('error: unrecognized arguments: --no-such-flag 1');

    const badInt = spawnLmdeploy(['serve', 'api_server', '/m', '--server-port', 'abc']);
    expect((await badInt.exited).code).toBe(2);
    expect(badInt.stderr()).toContain("argument --server-port: invalid int value: 'abc'");

    const badChoice = spawnLmdeploy(['serve', 'api_server', '/m', '--backend', 'vllm']);
    expect((await badChoice.exited).code).toBe(2);
    expect(badChoice.stderr()).toContain("invalid choice: 'vllm'");

    const missing = spawnLmdeploy(['serve', 'api_server']);
    expect((await missing.exited).code).toBe(2);
    expect(missing.stderr()).toContain('required: model_path');
  });

  it('exits 1 with the error on stderr when SEXTANT_FAKE_LMDEPLOY_FAIL=1', async () => {
    const log = await tempLog();
    const s = spawnLmdeploy(['serve', 'api_server', '/m', '--server-port', String(await freePort())], {
      SEXTANT_FAKE_LMDEPLOY_FAIL: '1',
      SEXTANT_FAKE_LMDEPLOY_LOG: log,
    });
    expect(await s.exited).toEqual({ code: 1, signal: null });
    expect(s.stderr()).toContain('RuntimeError: CUDA out of memory');
    expect((await readEvents(log)).map((e) => e.event)).toEqual(['start', 'fail']);
  });

  it('exits 1 when the port is taken', async () => {
    const server = await start();
    const s = spawnLmdeploy(['serve', 'api_server', '/m', '--server-name', '127.0.0.1', '--server-port', String(server.port)]);
    expect((await s.exited).code).toBe(1);
    expect(s.stderr()).toContain('address already in use');
  });
});
