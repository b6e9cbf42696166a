// A small, deterministic HTTP server that speaks the OpenAI wire protocol
// (GET /v1/models, POST /v1/chat/completions, POST /v1/completions, with and
// without SSE streaming), plus the scoring endpoints of LMDeploy (POST /get_ppl,
// POST /v1/encode) and vLLM (POST /tokenize, echo + logprobs on /v1/completions),
// all answered by one toy language model defined below. Used by the test suite
// and by the stand-in `lmdeploy` and `vllm` executables in ./bin. Plain JavaScript ESM on purpose: Node 20
// cannot run TypeScript, and the stand-in executable runs under plain `node`.
// Types live in ./openai-test-server.d.mts.
//
// Conventions (see the .d.mts for the full contract):
// - one "token" is one Unicode code point, both for max_tokens and for usage;
// - the answer is decided up front (answer policy), then `stop` and
//   `max_tokens` cut it the way a real server's generation would end.

import { createServer } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';

const LETTERS = 'ABCD';

/**
 * The default answer policy: a deterministic multiple-choice style answer.
 * @param {string} prompt
 * @returns {string}
 */
export function defaultAnswer(prompt) {
  const h = createHash('sha256').update(String(prompt), 'utf8').digest();
  const letter = LETTERS[/** @type {number} */ (h[0]) % 4];
  switch (/** @type {number} */ (h[1]) % 4) {
    case 0:
      return `${letter}`;
    case 1:
      return `答案是${letter}。`;
    case 2:
      return `${letter}. 因为……`;
    default:
      return `The answer is ${letter}.`;
  }
}

/** Number of "tokens" in a text: one per Unicode code point. */
export function countTokens(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Ends a generated text the way a server would: at the earliest stop string
 * (finish_reason 'stop', stop string not included), or after maxTokens code
 * points (finish_reason 'length'), whichever comes first.
 * @param {string} text
 * @param {{ stop?: string | string[] | null, maxTokens?: number | null }} [limits]
 * @returns {{ text: string, finishReason: 'stop' | 'length' }}
 */
export function applyStopAndMaxTokens(text, limits = {}) {
  const stops = limits.stop == null ? [] : (Array.isArray(limits.stop) ? limits.stop : [limits.stop]).filter((s) => s !== '');
  let out = text;
  for (const s of stops) {
    const at = out.indexOf(s);
    if (at !== -1) out = out.slice(0, at);
  }
  const maxTokens = limits.maxTokens;
  if (maxTokens != null) {
    const points = Array.from(out);
    if (points.length > maxTokens) {
      return { text: points.slice(0, maxTokens).join(''), finishReason: 'length' };
    }
  }
  return { text: out, finishReason: 'stop' };
}

// ---------------------------------------------------------------------------
// The toy language model behind the scoring endpoints (POST /get_ppl, POST /v1/encode, POST /tokenize and
// echo + logprobs on /v1/completions). Deterministic and tiny, so tests can recompute every number:
//
// - tokenizer: BOS (id 1, string '<s>') then one token per Unicode code point, id = the code point;
// - greedy next token after token `last`: 'a' + (last % 26), i.e. code point 97 + (last % 26);
// - log-probability of `token` after `previousTokens` (only the last one matters, a bigram model):
//     -0.25                                   when token is the greedy token,
//     -(1 + (toyPairHash(last, token) % 50) / 10)   otherwise (so in [-5.9, -1]);
//   toyPairHash = 32-bit FNV-1a over the 8 bytes of last then token, each as a little-endian uint32.
// The numbers are not a normalised distribution (a toy), but the greedy token is always the single best one.

/** The toy tokenizer's BOS token id. */
export const TOY_BOS_ID = 1;
const TOY_BOS_STRING = '<s>';
const TOY_GREEDY_LOGPROB = -0.25;

/**
 * @param {string} text
 * @param {{ addBos?: boolean }} [options]
 * @returns {number[]}
 */
export function toyTokenize(text, options = {}) {
  const ids = options.addBos === false ? [] : [TOY_BOS_ID];
  for (const ch of String(text)) ids.push(/** @type {number} */ (ch.codePointAt(0)));
  return ids;
}

/** The text of one toy token: '<s>' for BOS, else the code point's character. */
export function toyTokenString(id) {
  return id === TOY_BOS_ID ? TOY_BOS_STRING : String.fromCodePoint(id);
}

/** 32-bit FNV-1a over two ids (little-endian uint32 each). */
export function toyPairHash(a, b) {
  let h = 0x811c9dc5;
  for (const v of [a, b]) {
    for (let k = 0; k < 4; k++) {
      h ^= (v >>> (8 * k)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

function greedyAfter(last) {
  return 97 + (last % 26);
}

function logprobAfter(last, token) {
  return token === greedyAfter(last) ? TOY_GREEDY_LOGPROB : -(1 + (toyPairHash(last, token) % 50) / 10);
}

function lastOf(previousTokens) {
  if (!Array.isArray(previousTokens) || previousTokens.length === 0) {
    throw new TypeError('the toy model scores a token only after at least one earlier token (BOS)');
  }
  return /** @type {number} */ (previousTokens[previousTokens.length - 1]);
}

/** The toy model's most likely token after `previousTokens` (non-empty). */
export function toyGreedyToken(previousTokens) {
  return greedyAfter(lastOf(previousTokens));
}

/** The toy model's natural-log probability of `token` after `previousTokens` (non-empty). */
export function toyLogprob(previousTokens, token) {
  return logprobAfter(lastOf(previousTokens), token);
}

/** Per-token log-probabilities of a token sequence: null for the first token, as servers report it. */
function sequenceLogprobs(ids) {
  return ids.map((id, i) => (i === 0 ? null : logprobAfter(/** @type {number} */ (ids[i - 1]), id)));
}

class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {{ type?: string, code?: string | number | null, param?: string | null }} [extra]
   */
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.type = extra.type ?? 'invalid_request_error';
    this.code = extra.code ?? null;
    this.param = extra.param ?? null;
  }
}

const ROUTES = {
  '/v1/models': { method: 'GET', endpoint: 'models' },
  '/v1/chat/completions': { method: 'POST', endpoint: 'chat' },
  '/v1/completions': { method: 'POST', endpoint: 'completions' },
  '/health': { method: 'GET', endpoint: 'health' },
  // Scoring endpoints, all answered by the toy model above:
  '/get_ppl': { method: 'POST', endpoint: 'get_ppl' }, // LMDeploy (at the server root, not under /v1)
  '/v1/encode': { method: 'POST', endpoint: 'encode' }, // LMDeploy
  '/tokenize': { method: 'POST', endpoint: 'tokenize' }, // vLLM (at the server root)
};

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a chat message content: a string, or an array of content parts. */
function contentText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isPlainObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * @param {import('./openai-test-server.d.mts').OpenAITestServerOptions} [options]
 * @returns {Promise<import('./openai-test-server.d.mts').OpenAITestServer>}
 */
export async function startOpenAITestServer(options = {}) {
  const modelName = options.modelName ?? 'test-model';
  const host = options.host ?? '127.0.0.1';
  const flavor = options.flavor ?? 'openai';
  const apiKeys = options.apiKey == null ? [] : Array.isArray(options.apiKey) ? options.apiKey : [options.apiKey];
  const answer = options.answer ?? ((info) => defaultAnswer(info.prompt));
  const fault = options.fault;
  const latencyMs = options.latencyMs ?? 0;
  const chunkChars = Math.max(1, options.streamChunkChars ?? 3);
  const chunkDelayMs = options.streamChunkDelayMs ?? 0;
  const ownedBy = options.ownedBy ?? (flavor === 'lmdeploy' ? 'lmdeploy' : 'sextant-test');
  const maxModelLen = options.maxModelLen ?? 32768;
  const createdAt = Math.floor(Date.now() / 1000);

  /** @type {import('./openai-test-server.d.mts').RecordedRequest[]} */
  const requests = [];
  /** @type {Record<string, number>} */
  const perEndpointCount = {};
  let inFlight = 0;
  let maxInFlight = 0;
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();

  /** A sleep that close() cancels (the waiting handler is then abandoned). */
  function sleep(ms) {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve(undefined);
      }, ms);
      timers.add(t);
    });
  }

  function errorBody(status, message, type, code, param) {
    if (flavor === 'lmdeploy') {
      // LMDeploy's api_server (FastAPI): auth errors are wrapped in "detail",
      // other errors are a flat ErrorResponse with a numeric code.
      if (status === 401) return { detail: { error: { message, type, param, code } } };
      if (status === 404 && code === 'route_not_found') return { detail: 'Not Found' };
      return { object: 'error', message, type, param, code: status };
    }
    return { error: { message, type, param, code } };
  }

  function writable(res) {
    return !res.destroyed && !res.writableEnded;
  }

  function sendJson(res, status, body, headers = {}) {
    if (!writable(res)) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendError(res, err, headers = {}) {
    sendJson(res, err.status, errorBody(err.status, err.message, err.type, err.code, err.param), headers);
  }

  function checkAuth(req) {
    if (apiKeys.length === 0) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !apiKeys.includes(/** @type {string} */ (m[1]).trim())) {
      throw new HttpError(
        401,
        flavor === 'lmdeploy'
          ? 'Please request with valid api key!'
          : m
            ? 'Incorrect API key provided.'
            : "You didn't provide an API key. Provide it in the Authorization header as 'Bearer <key>'.",
        { code: 'invalid_api_key' },
      );
    }
  }

  function optionalNumber(body, name, check, what) {
    const v = body[name];
    if (v == null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
      throw new HttpError(400, `Invalid value for '${name}': ${JSON.stringify(v)}; expected ${what}.`, {
        param: name,
      });
    }
    return v;
  }

  /** Validates the fields shared by both generation endpoints. */
  function validateCommon(body) {
    if (typeof body.model !== 'string' || body.model === '') {
      throw new HttpError(400, "You must provide a model parameter ('model' must be a non-empty string).", {
        param: 'model',
      });
    }
    if (body.model !== modelName) {
      throw new HttpError(404, `The model \`${body.model}\` does not exist.`, {
        code: 'model_not_found',
        param: 'model',
      });
    }
    if (body.stream != null && typeof body.stream !== 'boolean') {
      throw new HttpError(400, "Invalid value for 'stream': expected a boolean.", { param: 'stream' });
    }
    const stop = body.stop;
    if (stop != null && typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((s) => typeof s === 'string'))) {
      throw new HttpError(400, "Invalid value for 'stop': expected a string or an array of strings.", {
        param: 'stop',
      });
    }
    const isInt = (v) => Number.isInteger(v);
    const maxTokens = optionalNumber(body, 'max_tokens', (v) => isInt(v) && v >= 1, 'an integer >= 1');
    const maxCompletionTokens = optionalNumber(body, 'max_completion_tokens', (v) => isInt(v) && v >= 1, 'an integer >= 1');
    optionalNumber(body, 'temperature', (v) => v >= 0 && v <= 2, 'a number in [0, 2]');
    optionalNumber(
      body,
      'top_p',
      (v) => (flavor === 'lmdeploy' ? v > 0 : v >= 0) && v <= 1,
      flavor === 'lmdeploy' ? 'a number in (0, 1]' : 'a number in [0, 1]',
    );
    optionalNumber(body, 'top_k', (v) => isInt(v) && v >= (flavor === 'lmdeploy' ? 0 : -1), flavor === 'lmdeploy' ? 'an integer >= 0' : 'an integer >= -1');
    optionalNumber(body, 'n', (v) => v === 1, '1 (this test server makes one choice only)');
    return {
      stream: body.stream === true,
      stop: stop ?? undefined,
      maxTokens: maxCompletionTokens ?? maxTokens,
      includeUsage: body.stream === true && isPlainObject(body.stream_options) && body.stream_options.include_usage === true,
    };
  }

  async function runAnswer(info) {
    let text;
    try {
      text = await answer(info);
    } catch (e) {
      throw new HttpError(500, `answer policy failed: ${e instanceof Error ? e.message : String(e)}`, {
        type: 'server_error',
      });
    }
    if (typeof text !== 'string') {
      throw new HttpError(500, `answer policy returned ${typeof text}, not a string`, { type: 'server_error' });
    }
    return text;
  }

  function splitForStream(text) {
    const points = Array.from(text);
    const pieces = [];
    for (let i = 0; i < points.length; i += chunkChars) pieces.push(points.slice(i, i + chunkChars).join(''));
    return pieces;
  }

  async function sendStream(res, events) {
    if (!writable(res)) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    for (let i = 0; i < events.length; i++) {
      if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
      if (!writable(res)) return;
      const e = events[i];
      res.write(`data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
    }
    if (writable(res)) res.end();
  }

  async function handleChat(res, body, requestIndex) {
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new HttpError(400, "'messages' must be a non-empty array.", { param: 'messages' });
    }
    for (const m of body.messages) {
      if (!isPlainObject(m) || typeof m.role !== 'string') {
        throw new HttpError(400, "Each message must be an object with a string 'role'.", { param: 'messages' });
      }
    }
    const p = validateCommon(body);
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const prompt = lastUser ? contentText(lastUser.content) : '';
    const promptTokens = body.messages.reduce((n, m) => n + countTokens(contentText(m.content)), 0);
    await sleep(latencyMs);
    const raw = await runAnswer({ endpoint: 'chat', prompt, body, requestIndex });
    const { text, finishReason } = applyStopAndMaxTokens(raw, { stop: p.stop, maxTokens: p.maxTokens });
    const completionTokens = countTokens(text);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    if (!p.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: modelName,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: finishReason }],
        usage,
      });
      return;
    }
    const chunk = (delta, finish) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: modelName,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const events = [chunk({ role: 'assistant', content: '' }, null)];
    for (const piece of splitForStream(text)) events.push(chunk({ content: piece }, null));
    events.push(chunk({}, finishReason));
    if (p.includeUsage) {
      events.push({ id, object: 'chat.completion.chunk', created, model: modelName, choices: [], usage });
    }
    events.push('[DONE]');
    await sendStream(res, events);
  }

  async function handleCompletions(res, body, requestIndex) {
    if (typeof body.prompt !== 'string') {
      throw new HttpError(400, "'prompt' must be a string (this test server does not batch prompts).", {
        param: 'prompt',
      });
    }
    if (body.echo != null && typeof body.echo !== 'boolean') {
      throw new HttpError(400, "Invalid value for 'echo': expected a boolean.", { param: 'echo' });
    }
    const p = validateCommon(body);
    const logprobs = optionalNumber(
      body,
      'logprobs',
      (v) => Number.isInteger(v) && v >= 0 && v <= 1,
      'an integer 0 or 1 (the toy model ranks only its top token)',
    );
    if (logprobs !== undefined && p.stream) {
      throw new HttpError(400, 'This test server returns logprobs only without streaming.', { param: 'logprobs' });
    }
    const prompt = body.prompt;
    const echo = body.echo === true;
    const promptTokens = countTokens(prompt);
    await sleep(latencyMs);
    const raw = await runAnswer({ endpoint: 'completions', prompt, body, requestIndex });
    const { text, finishReason } = applyStopAndMaxTokens(raw, { stop: p.stop, maxTokens: p.maxTokens });
    const completionTokens = countTokens(text);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const id = `cmpl-${randomUUID().replaceAll('-', '')}`;
    const created = Math.floor(Date.now() / 1000);
    if (!p.stream) {
      sendJson(res, 200, {
        id,
        object: 'text_completion',
        created,
        model: modelName,
        choices: [
          {
            index: 0,
            text: echo ? prompt + text : text,
            logprobs: logprobs === undefined ? null : completionLogprobs(prompt, text, echo, logprobs),
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }
    const chunk = (piece, finish) => ({
      id,
      object: 'text_completion',
      created,
      model: modelName,
      choices: [{ index: 0, text: piece, logprobs: null, finish_reason: finish }],
    });
    const events = [];
    if (echo && prompt !== '') events.push(chunk(prompt, null));
    for (const piece of splitForStream(text)) events.push(chunk(piece, null));
    events.push(chunk('', finishReason));
    if (p.includeUsage) events.push({ id, object: 'text_completion', created, model: modelName, choices: [], usage });
    events.push('[DONE]');
    await sendStream(res, events);
  }

  /**
   * OpenAI `logprobs` of a text completion from the toy model, as vLLM fills it: with echo, the prompt's tokens
   * (BOS first, its logprob and top_logprobs null) then the generated ones; without, the generated ones only.
   * `top_logprobs` holds the greedy token when `k` is 1, plus the actual token (vLLM adds it too).
   * `text_offset` counts code points into the returned text (BOS has no text).
   */
  function completionLogprobs(prompt, generated, echo, k) {
    const promptIds = toyTokenize(prompt);
    const ids = [...promptIds, ...toyTokenize(generated, { addBos: false })];
    const all = sequenceLogprobs(ids);
    const tokens = [];
    const tokenLogprobs = [];
    const topLogprobs = [];
    const textOffset = [];
    let offset = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = /** @type {number} */ (ids[i]);
      const shown = echo || i >= promptIds.length;
      if (shown) {
        const text = toyTokenString(id);
        const lp = all[i] ?? null;
        tokens.push(text);
        tokenLogprobs.push(lp);
        textOffset.push(offset);
        if (lp === null) {
          topLogprobs.push(null);
        } else {
          /** @type {Record<string, number>} */
          const top = {};
          if (k >= 1) {
            const greedy = greedyAfter(/** @type {number} */ (ids[i - 1]));
            top[toyTokenString(greedy)] = logprobAfter(/** @type {number} */ (ids[i - 1]), greedy);
          }
          top[text] = lp;
          topLogprobs.push(top);
        }
      }
      if (shown && i > 0) offset += 1; // every token but the leading BOS is one code point of text
    }
    return { tokens, token_logprobs: tokenLogprobs, top_logprobs: topLogprobs, text_offset: textOffset };
  }

  function requireBoolean(body, name, fallback) {
    const v = body[name];
    if (v == null) return fallback;
    if (typeof v !== 'boolean') throw new HttpError(400, `Invalid value for '${name}': expected a boolean.`, { param: name });
    return v;
  }

  function checkOptionalModel(body) {
    if (body.model == null) return;
    if (typeof body.model !== 'string' || body.model !== modelName) {
      throw new HttpError(404, `The model \`${String(body.model)}\` does not exist.`, { code: 'model_not_found', param: 'model' });
    }
  }

  /**
   * LMDeploy's POST /get_ppl: `input` is a text (toy-tokenized with BOS) or token ids; answers `{ ppl }`, the mean
   * cross-entropy. Denominator: LMDeploy's mean over the L−1 predicted tokens (tokens 2..L; BOS is not predicted),
   * not OpenCompass-HF's division by L.
   */
  function handleGetPpl(res, body) {
    const input = body.input;
    let ids;
    if (typeof input === 'string') ids = toyTokenize(input);
    else if (Array.isArray(input) && input.every((v) => Number.isInteger(v) && v >= 0)) ids = input;
    else throw new HttpError(400, "'input' must be a string or a list of token ids.", { param: 'input' });
    if (ids.length === 0) throw new HttpError(400, 'Input must not be empty.', { param: 'input' });
    if (ids.length < 2) throw new HttpError(400, 'Input must have at least 2 tokens to score.', { param: 'input' });
    const lps = sequenceLogprobs(ids);
    let sum = 0;
    for (let i = 1; i < lps.length; i++) sum -= /** @type {number} */ (lps[i]);
    sendJson(res, 200, { ppl: sum / (ids.length - 1) });
  }

  /** LMDeploy's POST /v1/encode: `input` text or texts; `add_bos` (default true); `do_preprocess` is accepted and ignored (no chat template in the toy). */
  function handleEncode(res, body) {
    const addBos = requireBoolean(body, 'add_bos', true);
    requireBoolean(body, 'do_preprocess', false);
    const input = body.input;
    if (typeof input === 'string') {
      const ids = toyTokenize(input, { addBos });
      sendJson(res, 200, { input_ids: ids, length: ids.length });
    } else if (Array.isArray(input) && input.every((v) => typeof v === 'string')) {
      const ids = input.map((text) => toyTokenize(text, { addBos }));
      sendJson(res, 200, { input_ids: ids, length: ids.map((x) => x.length) });
    } else {
      throw new HttpError(400, "'input' must be a string or a list of strings.", { param: 'input' });
    }
  }

  /** vLLM's POST /tokenize: `{ model?, prompt, add_special_tokens = true }` → `{ count, max_model_len, tokens, token_strs }`. */
  function handleTokenize(res, body) {
    checkOptionalModel(body);
    if (typeof body.prompt !== 'string') throw new HttpError(400, "'prompt' must be a string.", { param: 'prompt' });
    const addSpecial = requireBoolean(body, 'add_special_tokens', true);
    const returnStrs = requireBoolean(body, 'return_token_strs', false);
    const ids = toyTokenize(body.prompt, { addBos: addSpecial });
    sendJson(res, 200, {
      count: ids.length,
      max_model_len: maxModelLen,
      tokens: ids,
      token_strs: returnStrs ? ids.map(toyTokenString) : null,
    });
  }

  async function applyFault(res, f, endpoint, stream) {
    if (f == null) return false;
    switch (f.kind) {
      case 'status': {
        const status = f.status;
        const headers = {};
        if (f.retryAfterSeconds != null) headers['retry-after'] = String(f.retryAfterSeconds);
        const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
        const code = status === 429 ? 'rate_limit_exceeded' : null;
        sendError(res, new HttpError(status, f.message ?? `Injected fault: HTTP ${status}`, { type, code }), headers);
        return true;
      }
      case 'malformed-json': {
        if (!writable(res)) return true;
        if (stream && endpoint !== 'models') {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
          res.end('data: {"id":"broken","object":"chat.completion.chunk","choices":[{"delta":\n\ndata: [DONE]\n\n');
        } else {
          const text = '{"id":"broken","object":"chat.completion","choices":[{"index":0,"message":{"content":"A';
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        }
        return true;
      }
      case 'drop-connection':
        res.socket?.destroy();
        res.destroy();
        return true;
      case 'delay':
        await sleep(f.ms);
        return false;
      case 'raw': {
        // Any answer at all: a status, headers and a body (a string as is, anything else as JSON).
        if (!writable(res)) return true;
        const text = typeof f.body === 'string' ? f.body : JSON.stringify(f.body ?? null);
        res.writeHead(f.status ?? 200, {
          'content-type': typeof f.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
          'content-length': Buffer.byteLength(text),
          ...(f.headers ?? {}),
        });
        res.end(text);
        return true;
      }
      default:
        throw new HttpError(500, `unknown fault kind: ${JSON.stringify(f)}`, { type: 'server_error' });
    }
  }

  async function handle(req, res) {
    const requestIndex = requests.length;
    const url = new URL(req.url ?? '/', 'http://localhost');
    /** @type {import('./openai-test-server.d.mts').RecordedRequest} */
    const record = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url: req.url ?? '/',
      headers: req.headers,
      body: undefined,
      rawBody: '',
      receivedAt: Date.now(),
    };
    requests.push(record);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
      options.onResponse?.({
        method: record.method,
        path: record.path,
        status: res.statusCode,
        remoteAddress: req.socket.remoteAddress ?? '',
        remotePort: req.socket.remotePort ?? 0,
        completed: res.writableFinished,
      });
    });
    res.on('error', () => {});

    const raw = await readBody(req);
    record.rawBody = raw;

    const route = ROUTES[/** @type {keyof typeof ROUTES} */ (url.pathname)];
    if (!route) {
      throw new HttpError(404, `Unknown path: ${req.method} ${url.pathname}`, { code: 'route_not_found' });
    }
    if (req.method !== route.method) {
      throw new HttpError(405, `Method ${req.method} not allowed on ${url.pathname}; use ${route.method}.`);
    }

    let body;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (e) {
        throw new HttpError(400, `Request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      record.body = body;
    }

    if (route.endpoint === 'health') {
      if (writable(res)) {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      }
      return;
    }

    checkAuth(req);

    if (route.endpoint !== 'models' && !isPlainObject(body)) {
      throw new HttpError(400, 'Request body must be a JSON object.');
    }

    const endpoint = /** @type {import('./openai-test-server.d.mts').FaultEndpoint} */ (route.endpoint);
    const endpointRequestIndex = perEndpointCount[endpoint] ?? 0;
    perEndpointCount[endpoint] = endpointRequestIndex + 1;
    if (fault) {
      let f;
      try {
        f = await fault({ endpoint, requestIndex, endpointRequestIndex, body, headers: req.headers });
      } catch (e) {
        throw new HttpError(500, `fault policy failed: ${e instanceof Error ? e.message : String(e)}`, {
          type: 'server_error',
        });
      }
      const stream = isPlainObject(body) && body.stream === true;
      if (await applyFault(res, f, endpoint, stream)) return;
    }

    if (endpoint === 'models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: modelName, object: 'model', created: createdAt, owned_by: ownedBy }],
      });
    } else if (endpoint === 'chat') {
      await handleChat(res, body, requestIndex);
    } else if (endpoint === 'get_ppl') {
      await sleep(latencyMs);
      handleGetPpl(res, body);
    } else if (endpoint === 'encode') {
      handleEncode(res, body);
    } else if (endpoint === 'tokenize') {
      handleTokenize(res, body);
    } else {
      await handleCompletions(res, body, requestIndex);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      const err =
        e instanceof HttpError
          ? e
          : new HttpError(500, `test server error: ${e instanceof Error ? e.message : String(e)}`, {
              type: 'server_error',
            });
      if (writable(res) && !res.headersSent) sendError(res, err);
      else if (!res.destroyed) res.destroy();
    });
  });

  await new Promise((resolve, reject) => {
    const onError = (e) => reject(e);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve(undefined);
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected server address');
  const port = address.port;
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;

  /** @type {Promise<void> | undefined} */
  let closed;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    close() {
      if (closed) return closed;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      closed = new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
