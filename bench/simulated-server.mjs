#!/usr/bin/env node
// A simulated OpenAI-compatible continuous-batching inference server, for sextant's benchmarks.
//
// - Real HTTP on 127.0.0.1: GET /v1/models, POST /v1/chat/completions, POST /v1/completions (JSON, or SSE when
//   `stream: true`: the whole answer in one chunk after the service time).
// - N independent slots and a FIFO queue beyond N. A request holds one slot for its service time
//       service = prefillMsPerKChar × promptChars / 1000 + outputTokens × stepMs
//   and slots do not slow each other down (what continuous batching approximates up to its batch size), so the
//   best possible makespan for the requests served is exactly Σ service / N ("ideal makespan").
// - outputTokens is drawn per request from a seeded PRNG whose seed is a hash of (workload seed, prompt), so the same
//   request always costs the same, whatever order or concurrency it arrives in. It is capped at the request's
//   max_tokens, as a real server would (finish_reason 'length').
// - The answer is a letter A-D (from the same hash) followed by filler, one character per "token", so sextant's
//   answer extraction works and the response size grows with the output length.
// - Everything served is recorded (arrival, start, end, nominal service, prompt size, tokens; optionally the raw
//   body), readable at GET /_bench/stats and GET /_bench/requests, cleared with POST /_bench/reset.
//
// Use as a module (`startSimulatedServer(options)`) or as a program:
//   node bench/simulated-server.mjs --slots 32 --workload ceval-short [--port 0] [--step-ms 30] [--prefill-ms-per-kchar 40]
// It prints one JSON line {"url": ...} on stdout when listening and runs until SIGTERM/SIGINT.

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * Output-length distributions, in tokens. Each takes a uniform PRNG and returns an integer.
 * - `short`: C-Eval 5-shot answers. 80 % are 1-8 tokens (skewed to 1-3), 20 % a Pareto tail (α = 1.1) from 9 up to 64.
 * - `long`: chain-of-thought answers. Log-normal, median 120 tokens, σ = 0.7, clipped to [50, 800]
 *   (then capped at max_tokens by the server, like any server).
 * - `zero`: 1 token (the zero-latency ceiling).
 */
export const outputLengthModels = {
  short: (random) => {
    if (random() < 0.8) return 1 + Math.floor(8 * random() ** 2);
    return Math.min(64, Math.floor(9 * (1 - random()) ** (-1 / 1.1)));
  },
  long: (random) => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(50, Math.min(800, Math.round(120 * Math.exp(0.7 * normal))));
  },
  zero: () => 1,
};

/** Named workloads: scales chosen so a C-Eval val run (1,346 requests) takes ~10-20 s at 32 slots. */
export const workloads = {
  /** C-Eval 5-shot (`ceval_gen`): ~2 kchar prompts, short answers; 30 ms per decode step (a 7B model at batch 32). */
  'ceval-short': { prefillMsPerKChar: 40, stepMs: 30, lengths: 'short' },
  /**
   * Long generation (`ceval_zero_shot_gen_bd40ef`, max_out_len 256): 50-800-token draws, 3 ms per step (a small
   * fast model, or equivalently a 30 ms/step model with the clock sped up 10×: every ratio is unchanged).
   */
  'long-gen': { prefillMsPerKChar: 4, stepMs: 3, lengths: 'long' },
  /** Answers at once: the harness ceiling. */
  zero: { prefillMsPerKChar: 0, stepMs: 0, lengths: 'zero' },
};

/** mulberry32: a small seeded PRNG with uniform output in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILLER = '因为根据题意分析各选项可知该选项符合条件所以';

function contentText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

/**
 * @param {{
 *   slots?: number, port?: number, host?: string, modelName?: string, seed?: number,
 *   workload?: keyof typeof workloads, prefillMsPerKChar?: number, stepMs?: number, lengths?: keyof typeof outputLengthModels,
 *   logBodies?: boolean, faultRate?: number, maxFaultsPerRequest?: number,
 * }} [options]
 */
export async function startSimulatedServer(options = {}) {
  const base = workloads[options.workload ?? 'ceval-short'];
  if (!base) throw new Error(`unknown workload ${options.workload}; one of ${Object.keys(workloads).join(', ')}`);
  const slots = options.slots ?? 32;
  const prefillMsPerKChar = options.prefillMsPerKChar ?? base.prefillMsPerKChar;
  const stepMs = options.stepMs ?? base.stepMs;
  const lengthModel = outputLengthModels[options.lengths ?? base.lengths];
  const seed = options.seed ?? 20240601;
  const modelName = options.modelName ?? 'simulated-model';
  const logBodies = options.logBodies ?? true;
  const faultRate = options.faultRate ?? 0;
  const maxFaultsPerRequest = options.maxFaultsPerRequest ?? 3;
  const refusals = new Map();
  let arrivals = 0;
  let faults = 0;
  const createdAt = Math.floor(Date.now() / 1000);

  /** Per generation request, in arrival order. Times in ms from `origin`. */
  let records = [];
  let origin = performance.now();
  let busy = 0;
  let maxBusy = 0;
  let maxQueued = 0;
  let connections = 0;
  let cpuAtReset = process.cpuUsage();
  /** FIFO of requests waiting for a slot. */
  const queue = [];
  const timers = new Set();

  const now = () => performance.now() - origin;

  /** Cost of one request: deterministic in (seed, prompt, max_tokens). */
  function plan(promptKey, promptChars, maxTokens) {
    const digest = createHash('sha256').update(`${seed}\u0000${promptKey}`, 'utf8').digest();
    const random = mulberry32(digest.readUInt32LE(0));
    const drawn = lengthModel(random);
    const outputTokens = maxTokens != null && maxTokens >= 1 ? Math.min(drawn, maxTokens) : drawn;
    const serviceMs = (prefillMsPerKChar * promptChars) / 1000 + outputTokens * stepMs;
    const letter = 'ABCD'[(digest[4] ?? 0) % 4];
    let text = letter;
    if (outputTokens > 1) {
      text += '. ';
      while (text.length < outputTokens) text += FILLER;
      text = text.slice(0, Math.max(1, outputTokens));
    }
    return { drawn, outputTokens, serviceMs, text, finishReason: drawn > outputTokens ? 'length' : 'stop' };
  }

  function acquire(record) {
    return new Promise((resolve) => {
      if (busy < slots) {
        busy += 1;
        maxBusy = Math.max(maxBusy, busy);
        resolve(undefined);
      } else {
        queue.push(resolve);
        maxQueued = Math.max(maxQueued, queue.length);
        record.queued = true;
      }
    });
  }

  function release() {
    const next = queue.shift();
    if (next)
      next(undefined); // the slot passes straight to the oldest waiting request
    else busy -= 1;
  }

  function sleep(ms) {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });
  }

  function sendJson(res, status, body) {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function generate(req, res, endpoint) {
    const arrivalMs = now();
    const raw = await readBody(req);
    // Transient overload faults (`faultRate`): a deterministic share of generation requests, by arrival number,
    // is refused at once with 429 (Retry-After: 0) or 503, alternately, before taking a slot; one request body at most
    // `maxFaultsPerRequest` times (default 3), so a figure measures throughput under faults, not the retry backoff
    // of the unluckiest sample.
    arrivals += 1;
    const refusedBefore = refusals.get(raw) ?? 0;
    if (faultRate > 0 && refusedBefore < maxFaultsPerRequest && mulberry32(seed ^ Math.imul(arrivals, 0x9e3779b1))() < faultRate) {
      refusals.set(raw, refusedBefore + 1);
      faults += 1;
      const status = faults % 2 === 0 ? 503 : 429;
      if (!res.destroyed && !res.writableEnded) {
        const text = JSON.stringify({ error: { message: `simulated overload (${status})`, type: status === 429 ? 'rate_limit_error' : 'server_error' } });
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...(status === 429 ? { 'retry-after': '0' } : {}),
        });
        res.end(text);
      }
      return;
    }
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    let promptKey;
    let promptChars;
    if (endpoint === 'chat') {
      if (!Array.isArray(body.messages)) {
        sendJson(res, 400, { error: { message: "'messages' must be an array", type: 'invalid_request_error' } });
        return;
      }
      const texts = body.messages.map((message) => contentText(message?.content));
      promptKey = JSON.stringify(body.messages.map((message, index) => [message?.role, texts[index]]));
      promptChars = texts.reduce((total, text) => total + text.length, 0);
    } else {
      if (typeof body.prompt !== 'string') {
        sendJson(res, 400, { error: { message: "'prompt' must be a string", type: 'invalid_request_error' } });
        return;
      }
      promptKey = body.prompt;
      promptChars = body.prompt.length;
    }
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const cost = plan(promptKey, promptChars, typeof maxTokens === 'number' ? maxTokens : undefined);
    const record = {
      seq: records.length,
      endpoint,
      arrivalMs,
      startMs: 0,
      endMs: 0,
      serviceMs: cost.serviceMs,
      promptChars,
      outputTokens: cost.outputTokens,
      queued: false,
      ...(logBodies ? { path: req.url, body: raw } : {}),
    };
    records.push(record);
    await acquire(record);
    record.startMs = now();
    try {
      await sleep(cost.serviceMs);
    } finally {
      release();
    }
    record.endMs = now();
    const usage = { prompt_tokens: promptChars, completion_tokens: cost.outputTokens, total_tokens: promptChars + cost.outputTokens };
    const id = `sim-${record.seq}`;
    const created = Math.floor(Date.now() / 1000);
    if (body.stream === true) {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      const chunk =
        endpoint === 'chat'
          ? {
              id,
              object: 'chat.completion.chunk',
              created,
              model: modelName,
              choices: [{ index: 0, delta: { role: 'assistant', content: cost.text }, finish_reason: cost.finishReason }],
            }
          : {
              id,
              object: 'text_completion',
              created,
              model: modelName,
              choices: [{ index: 0, text: cost.text, logprobs: null, finish_reason: cost.finishReason }],
            };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      if (body.stream_options?.include_usage === true)
        res.write(`data: ${JSON.stringify({ id, object: chunk.object, created, model: modelName, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(
      res,
      200,
      endpoint === 'chat'
        ? {
            id,
            object: 'chat.completion',
            created,
            model: modelName,
            choices: [{ index: 0, message: { role: 'assistant', content: cost.text }, finish_reason: cost.finishReason }],
            usage,
          }
        : {
            id,
            object: 'text_completion',
            created,
            model: modelName,
            choices: [{ index: 0, text: cost.text, logprobs: null, finish_reason: cost.finishReason }],
            usage,
          },
    );
  }

  /** Totals over the generation requests served since the last reset. */
  function stats() {
    const done = records.filter((record) => record.endMs > 0);
    const totalServiceMs = done.reduce((total, record) => total + record.serviceMs, 0);
    const first = done.length ? Math.min(...done.map((record) => record.arrivalMs)) : 0;
    const last = done.length ? Math.max(...done.map((record) => record.endMs)) : 0;
    const overshoot = done.map((record) => record.endMs - record.startMs - record.serviceMs);
    return {
      faults,
      slots,
      originEpochMs: performance.timeOrigin + origin,
      workload: { prefillMsPerKChar, stepMs, seed },
      requests: records.length,
      served: done.length,
      totalServiceMs,
      idealMakespanMs: totalServiceMs / slots,
      firstArrivalMs: first,
      lastEndMs: last,
      busySpanMs: last - first,
      connections,
      serverCpuMs: (() => {
        const used = process.cpuUsage(cpuAtReset);
        return (used.user + used.system) / 1000;
      })(),
      maxBusySlots: maxBusy,
      maxQueued,
      queuedRequests: records.filter((record) => record.queued).length,
      meanTimerOvershootMs: overshoot.length ? overshoot.reduce((a, b) => a + b, 0) / overshoot.length : 0,
      outputTokens: done.reduce((total, record) => total + record.outputTokens, 0),
      promptChars: done.reduce((total, record) => total + record.promptChars, 0),
    };
  }

  async function handle(req, res) {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      sendJson(res, 200, { object: 'list', data: [{ id: modelName, object: 'model', created: createdAt, owned_by: 'sextant-bench' }] });
    } else if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
      await generate(req, res, 'chat');
    } else if (req.method === 'POST' && (path === '/v1/completions' || path === '/completions')) {
      await generate(req, res, 'completions');
    } else if (req.method === 'GET' && path === '/_bench/stats') {
      sendJson(res, 200, stats());
    } else if (req.method === 'GET' && path === '/_bench/records') {
      sendJson(
        res,
        200,
        records.map(({ body: _body, ...rest }) => rest),
      );
    } else if (req.method === 'GET' && path === '/_bench/requests') {
      sendJson(
        res,
        200,
        records.map((record) => ({ path: record.path, body: record.body, serviceMs: record.serviceMs })),
      );
    } else if (req.method === 'POST' && path === '/_bench/reset') {
      await readBody(req);
      records = [];
      origin = performance.now();
      maxBusy = busy;
      connections = 0;
      cpuAtReset = process.cpuUsage();
      maxQueued = queue.length;
      arrivals = 0;
      faults = 0;
      refusals.clear();
      sendJson(res, 200, { ok: true });
    } else {
      await readBody(req).catch(() => '');
      sendJson(res, 404, { error: { message: `unknown route ${req.method} ${path}`, type: 'invalid_request_error' } });
    }
  }

  const server = createServer((req, res) => {
    res.on('error', () => {});
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error?.message ?? error), type: 'server_error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected server address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stats,
    get records() {
      return records;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      return new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
}

function parseFlags(argv) {
  const flags = {};
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index];
    if (!name?.startsWith('--')) throw new Error(`unexpected argument ${name}`);
    const key = name.slice(2).replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) flags[key] = true;
    else {
      flags[key] = value;
      index += 1;
    }
  }
  return flags;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) {
  const flags = parseFlags(process.argv.slice(2));
  const number = (value) => (value === undefined ? undefined : Number(value));
  const server = await startSimulatedServer({
    slots: number(flags.slots),
    port: number(flags.port),
    workload: flags.workload,
    prefillMsPerKChar: number(flags.prefillMsPerKchar),
    stepMs: number(flags.stepMs),
    seed: number(flags.seed),
    lengths: flags.lengths,
    modelName: flags.modelName,
    logBodies: flags.logBodies === undefined ? true : flags.logBodies !== 'false',
    faultRate: number(flags.faultRate),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
