import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendCallError, UnsupportedRequestError, type PerplexityRequest } from '../../spec/index.js';
import {
  startOpenAITestServer,
  toyGreedyToken,
  toyLogprob,
  toyTokenize,
  type OpenAITestServer,
  type OpenAITestServerOptions,
} from '../../../test/support/openai-test-server.mjs';
import { OpenAICompatibleBackend, serverRootUrl, type OpenAICompatibleSettings } from './openai-compatible-backend.js';

const servers: OpenAITestServer[] = [];
const backends: OpenAICompatibleBackend[] = [];

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.doClose()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setUp(
  settings: Partial<OpenAICompatibleSettings> = {},
  serverOptions: OpenAITestServerOptions = {},
): Promise<{ server: OpenAITestServer; backend: OpenAICompatibleBackend }> {
  const server = await startOpenAITestServer(serverOptions);
  servers.push(server);
  const backend = new OpenAICompatibleBackend({ provider: 'vllm', apiBase: server.url, promptKind: 'text', promptLogprobs: true, ...settings });
  backends.push(backend);
  await backend.doStart({});
  return { server, backend };
}

/** Log-probabilities of tokens 2..N of `text` under the toy model (BOS first), computed here from the model. */
function toyTokenLogprobs(text: string): number[] {
  const ids = toyTokenize(text);
  return ids.slice(1).map((id, index) => toyLogprob(ids.slice(0, index + 1), id));
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('OpenAICompatibleBackend capabilities', () => {
  it('declares generate only without promptLogprobs, and refuses scoring with UnsupportedRequestError', async () => {
    const backend = new OpenAICompatibleBackend({ apiBase: 'http://127.0.0.1:9', promptKind: 'text' });
    backends.push(backend);
    expect(backend.capabilities).toEqual({ requestKinds: ['generate'], promptKind: 'text' });
    const request: PerplexityRequest = { kind: 'perplexity', candidates: [{ text: 'ab', suffix: 'b' }] };
    const refused = await backend.doPerplexity(request, {}).catch((error: unknown) => error);
    expect(UnsupportedRequestError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toContain('promptLogprobs');
    const refusedLl = await backend.doLoglikelihood({ kind: 'loglikelihood', context: 'a', continuation: 'b' }, {}).catch((error: unknown) => error);
    expect((refusedLl as Error).name).toBe('EVAL_UnsupportedRequestError');
  });

  it('declares loglikelihood and perplexity with promptLogprobs for text prompts only', () => {
    const text = new OpenAICompatibleBackend({ apiBase: 'http://127.0.0.1:9', promptKind: 'text', promptLogprobs: true });
    const chat = new OpenAICompatibleBackend({ apiBase: 'http://127.0.0.1:9', promptKind: 'messages', promptLogprobs: true });
    backends.push(text, chat);
    expect(text.capabilities.requestKinds).toEqual(['generate', 'loglikelihood', 'perplexity']);
    expect(chat.capabilities.requestKinds).toEqual(['generate']);
  });

  it('refuses scoring on a chat setup even with promptLogprobs', async () => {
    const chat = new OpenAICompatibleBackend({ apiBase: 'http://127.0.0.1:9', promptKind: 'messages', promptLogprobs: true });
    backends.push(chat);
    const refused = await chat.doPerplexity({ kind: 'perplexity', candidates: [] }, {}).catch((error: unknown) => error);
    expect(UnsupportedRequestError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toContain("promptKind 'text'");
  });

  it('finds the server root for /tokenize and /get_ppl', () => {
    expect(serverRootUrl('http://h:1')).toBe('http://h:1');
    expect(serverRootUrl('http://h:1/v1/')).toBe('http://h:1');
    expect(serverRootUrl('https://h/api/v1')).toBe('https://h/api');
  });
});

describe('OpenAICompatibleBackend perplexity from echoed prompt logprobs', () => {
  it('scores each candidate as VLLM.get_ppl: summed NLL of tokens 2..N over N (BOS counted)', async () => {
    const { server, backend } = await setUp();
    const candidates = [
      { text: '以下是中国关于考试的单项选择题。\n答案: A', suffix: '答案: A' },
      { text: '以下是中国关于考试的单项选择题。\n答案: B', suffix: '答案: B' },
      { text: 'x', suffix: 'x' },
    ];
    const result = await backend.doPerplexity({ kind: 'perplexity', candidates }, {});
    expect(result.kind).toBe('perplexity');
    expect(result.scores).toHaveLength(3);
    candidates.forEach((candidate, index) => {
      const logprobs = toyTokenLogprobs(candidate.text);
      const n = logprobs.length + 1; // BOS included
      const score = result.scores[index];
      expect(score?.ppl).toBeCloseTo(-sum(logprobs) / n, 12);
      expect(score?.tokenCount).toBe(n);
      expect(score?.suffixTokenCount).toBe(Array.from(candidate.suffix).length); // no BOS
    });
    expect(result.evaluatedTokens).toBe(sum(result.scores.map((score) => score.tokenCount)));
    // The scores differ between labels, and the generated token never leaks into them.
    expect(result.scores[0]?.ppl).not.toBe(result.scores[1]?.ppl);

    const echo = server.requests.find((request) => request.path === '/v1/completions');
    expect(echo?.body).toEqual({ model: 'test-model', prompt: candidates[0]?.text, max_tokens: 1, echo: true, logprobs: 1, temperature: 0, stream: false });
    const tokenize = server.requests.find((request) => request.path === '/tokenize');
    expect(tokenize?.body).toEqual({ model: 'test-model', prompt: candidates[0]?.suffix, add_special_tokens: false });
  });

  it('excludes the generated token whatever the answer is (none, or one)', async () => {
    for (const answer of ['', 'Zebra']) {
      const { backend } = await setUp({}, { answer: () => answer });
      const result = await backend.doPerplexity({ kind: 'perplexity', candidates: [{ text: 'hello', suffix: 'lo' }] }, {});
      const logprobs = toyTokenLogprobs('hello');
      expect(result.scores[0]?.ppl).toBeCloseTo(-sum(logprobs) / 6, 12);
      expect(result.scores[0]?.tokenCount).toBe(6);
    }
  });
});

describe('OpenAICompatibleBackend loglikelihood from echoed prompt logprobs', () => {
  it('sums the continuation tokens after the context split and reports greediness', async () => {
    const { backend } = await setUp();
    const context = 'Question: 1+1=? Answer:';
    const continuation = ' 2';
    const result = await backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation }, {});
    const all = toyTokenLogprobs(context + continuation);
    const contextTokens = toyTokenize(context).length;
    expect(result.kind).toBe('loglikelihood');
    expect(result.tokenCount).toBe(2);
    expect(result.logprob).toBeCloseTo(sum(all.slice(contextTokens - 1)), 12);
    expect(result.isGreedy).toBe(false);
  });

  it('is greedy when every continuation token is the toy model’s top token', async () => {
    const { backend } = await setUp();
    const context = 'x';
    const ids = toyTokenize(context);
    let continuation = '';
    for (let step = 0; step < 4; step += 1) {
      const next = toyGreedyToken(ids);
      ids.push(next);
      continuation += String.fromCodePoint(next);
    }
    const result = await backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation }, {});
    expect(result).toEqual({ kind: 'loglikelihood', logprob: -1, isGreedy: true, tokenCount: 4 });
    // One non-greedy token at the end breaks it.
    const last = 'A'; // the toy model's greedy tokens are lowercase letters
    const broken = await backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation: continuation + last }, {});
    expect(broken.isGreedy).toBe(false);
    expect(broken.tokenCount).toBe(5);
    expect(broken.logprob).toBeCloseTo(-1 + toyLogprob(ids, last.codePointAt(0) as number), 12);
  });

  it('scores an empty continuation as zero tokens', async () => {
    const { backend } = await setUp();
    expect(await backend.doLoglikelihood({ kind: 'loglikelihood', context: 'abc', continuation: '' }, {})).toEqual({
      kind: 'loglikelihood',
      logprob: 0,
      isGreedy: true,
      tokenCount: 0,
    });
  });
});

describe('OpenAICompatibleBackend scoring errors', () => {
  it('types HTTP failures: a 503 on the echo is a retryable BackendCallError', async () => {
    const { backend } = await setUp(
      {},
      {
        fault: ({ endpoint }) => (endpoint === 'completions' ? { kind: 'status', status: 503, retryAfterSeconds: 2 } : undefined),
      },
    );
    const error = (await backend
      .doPerplexity({ kind: 'perplexity', candidates: [{ text: 'ab', suffix: 'b' }] }, {})
      .catch((caught: unknown) => caught)) as BackendCallError;
    expect(BackendCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503, isRetryable: true, retryAfterSeconds: 2 });
    expect(error.message).toContain('/v1/completions');
  });

  it('a missing /tokenize is a non-retryable 404; a broken body is retryable', async () => {
    // /tokenize missing (a server other than vLLM):
    const { backend } = await setUp({}, { fault: ({ endpoint }) => (endpoint === 'tokenize' ? { kind: 'status', status: 404 } : undefined) });
    const notFound = (await backend
      .doPerplexity({ kind: 'perplexity', candidates: [{ text: 'ab', suffix: 'b' }] }, {})
      .catch((caught: unknown) => caught)) as BackendCallError;
    expect(notFound.statusCode).toBe(404);
    expect(notFound.isRetryable).toBe(false);
    expect(notFound.message).toContain('/tokenize');

    const { backend: broken } = await setUp({}, { fault: ({ endpoint }) => (endpoint === 'completions' ? { kind: 'malformed-json' } : undefined) });
    const malformed = (await broken
      .doLoglikelihood({ kind: 'loglikelihood', context: 'a', continuation: 'b' }, {})
      .catch((caught: unknown) => caught)) as BackendCallError;
    expect(BackendCallError.isInstance(malformed)).toBe(true);
    expect(malformed.isRetryable).toBe(true);
  });

  it('names the missing field when a server echoes without logprobs', async () => {
    // A server that ignores `logprobs` (as OpenAI-style servers without prompt logprobs do).
    const plain = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const body =
          request.url === '/v1/models'
            ? { data: [{ id: 'm' }] }
            : { choices: [{ index: 0, text: 'abX', logprobs: null, finish_reason: 'length' }], usage: { prompt_tokens: 2, completion_tokens: 1 } };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const port = (plain.address() as AddressInfo).port;
      const backend = new OpenAICompatibleBackend({ apiBase: `http://127.0.0.1:${port}`, promptKind: 'text', promptLogprobs: true });
      backends.push(backend);
      await backend.doStart({});
      const error = (await backend
        .doLoglikelihood({ kind: 'loglikelihood', context: 'a', continuation: 'b' }, {})
        .catch((caught: unknown) => caught)) as BackendCallError;
      expect(BackendCallError.isInstance(error)).toBe(true);
      expect(error.message).toContain('choices.0.logprobs');
      expect(error.isRetryable).toBe(true);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});

describe('token counts (maxSeqLen truncation)', () => {
  it('tokenizeRoute: POST /tokenize with special tokens, one count per text', async () => {
    const { server, backend } = await setUp({ tokenizeRoute: true });
    expect(backend.capabilities.tokenCount).toBe(true);
    expect(await backend.doCountTokens({ texts: ['abc', '答案: A'] }, {})).toEqual([toyTokenize('abc').length, toyTokenize('答案: A').length]);
    expect(server.requests.filter((request) => request.path === '/tokenize').map((request) => request.body.add_special_tokens)).toEqual([true, true]);
  });

  it('no route and no tokenizerPath: no tokenCount capability, and a call is refused', async () => {
    const { backend } = await setUp({ promptLogprobs: false });
    expect(backend.capabilities.tokenCount).toBeUndefined();
    await expect(backend.doCountTokens({ texts: ['x'] }, {})).rejects.toBeInstanceOf(UnsupportedRequestError);
  });

  it('tokenizerPath: counts with the tokenizer.json (BOS included), never asking the server', async () => {
    const path = new URL('../../../../shared/models/stories260K-onnx/tokenizer.json', import.meta.url).pathname;
    const { server, backend } = await setUp({ promptLogprobs: false, tokenizerPath: path });
    const [empty, short, longer] = await backend.doCountTokens({ texts: ['', 'Once upon a time', 'Once upon a time there was a cat.'] }, {});
    expect(empty).toBe(1);
    expect(short).toBeGreaterThan(1);
    expect(longer).toBeGreaterThan(short as number);
    expect(server.requests.some((request) => request.path === '/tokenize')).toBe(false);
  });

  it('tokenizerPath that does not exist: a clear start error naming the path', async () => {
    const server = await startOpenAITestServer({});
    servers.push(server);
    const backend = new OpenAICompatibleBackend({ apiBase: server.url, promptKind: 'text', tokenizerPath: '/nonexistent/tokenizer.json' });
    backends.push(backend);
    await expect(backend.doStart({})).rejects.toThrow(/tokenizerPath \/nonexistent\/tokenizer\.json does not exist/);
  });
});
