import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendCallError, BackendUnavailableError, UnsupportedRequestError } from '../../spec/index.js';
import {
  startOpenAITestServer,
  toyLogprob,
  toyTokenize,
  type OpenAITestServer,
  type OpenAITestServerOptions,
} from '../../../test/support/openai-test-server.mjs';
import { LmdeployBackend, type LmdeploySettings } from './lmdeploy-backend.js';

const STAND_IN = fileURLToPath(new URL('../../../test/support/bin/lmdeploy', import.meta.url));

const servers: OpenAITestServer[] = [];
const backends: LmdeployBackend[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.doClose()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function setUp(
  settings: Partial<LmdeploySettings> = {},
  serverOptions: OpenAITestServerOptions = {},
): Promise<{ server: OpenAITestServer; backend: LmdeployBackend }> {
  const server = await startOpenAITestServer({ flavor: 'lmdeploy', modelName: 'internlm2', ...serverOptions });
  servers.push(server);
  const backend = new LmdeployBackend({ apiBase: `${server.url}/v1`, promptStyle: 'completion', engineConfig: {}, ...settings });
  backends.push(backend);
  await backend.doStart({});
  return { server, backend };
}

/** LMDeploy's /get_ppl, recomputed from the toy model: mean NLL over the L−1 predicted tokens. */
function lmdeployMeanCrossEntropy(text: string): number {
  const ids = toyTokenize(text);
  let nll = 0;
  for (let index = 1; index < ids.length; index += 1) nll -= toyLogprob(ids.slice(0, index), ids[index] as number);
  return nll / (ids.length - 1);
}

describe('LmdeployBackend capabilities', () => {
  it('declares generate and perplexity for both prompt styles, and refuses loglikelihood', async () => {
    for (const promptStyle of ['completion', 'chat'] as const) {
      const backend = new LmdeployBackend({ apiBase: 'http://127.0.0.1:9', promptStyle, engineConfig: {} });
      expect(backend.capabilities.requestKinds).toEqual(['generate', 'perplexity']);
    }
    const { backend } = await setUp();
    const refused = await backend.doLoglikelihood({ kind: 'loglikelihood', context: 'a', continuation: 'b' }, {}).catch((error: unknown) => error);
    expect(UnsupportedRequestError.isInstance(refused)).toBe(true);
  });

  it('refuses perplexity before doStart', async () => {
    const backend = new LmdeployBackend({ apiBase: 'http://127.0.0.1:9', promptStyle: 'completion', engineConfig: {} });
    const error = await backend.doPerplexity({ kind: 'perplexity', candidates: [] }, {}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
  });
});

describe('LmdeployBackend perplexity via /get_ppl and /v1/encode', () => {
  it('returns the server’s mean cross-entropy and the token counts (BOS for the text, none for the suffix)', async () => {
    const { server, backend } = await setUp({ apiKey: 'sk-lm' }, { apiKey: 'sk-lm' });
    const candidates = ['A', 'B', 'C', 'D'].map((label) => ({
      text: `以下是关于高等数学的单项选择题。\n1+1=?\nA. 1\nB. 2\n答案: \n${label}`,
      suffix: `1+1=?\nA. 1\nB. 2\n答案: \n${label}`,
    }));
    const result = await backend.doPerplexity({ kind: 'perplexity', candidates }, {});
    expect(result.scores).toHaveLength(4);
    candidates.forEach((candidate, index) => {
      expect(result.scores[index]?.ppl).toBeCloseTo(lmdeployMeanCrossEntropy(candidate.text), 12);
      expect(result.scores[index]?.tokenCount).toBe(toyTokenize(candidate.text).length);
      expect(result.scores[index]?.suffixTokenCount).toBe(toyTokenize(candidate.suffix, { addBos: false }).length);
    });
    expect(result.evaluatedTokens).toBe(result.scores.reduce((sum, score) => sum + score.tokenCount, 0));

    const pplRequests = server.requests.filter((request) => request.path === '/get_ppl');
    expect(pplRequests).toHaveLength(4);
    expect(pplRequests[0]?.body).toEqual({ input: candidates[0]?.text });
    expect(pplRequests[0]?.headers.authorization).toBe('Bearer sk-lm');
    const encodes = server.requests.filter((request) => request.path === '/v1/encode').map((request) => request.body);
    expect(encodes).toContainEqual({ input: candidates[0]?.text, do_preprocess: false, add_bos: true });
    expect(encodes).toContainEqual({ input: candidates[0]?.suffix, do_preprocess: false, add_bos: false });
  });

  it('explains a 404 on /get_ppl (an LMDeploy without it) and does not retry it', async () => {
    const { backend } = await setUp({}, { fault: ({ endpoint }) => (endpoint === 'get_ppl' ? { kind: 'status', status: 404 } : undefined) });
    const error = (await backend
      .doPerplexity({ kind: 'perplexity', candidates: [{ text: 'ab', suffix: 'b' }] }, {})
      .catch((caught: unknown) => caught)) as BackendCallError;
    expect(BackendCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
    expect(error.message).toMatch(/\/get_ppl.*newer LMDeploy/);
  });

  it('types 5xx and malformed answers as retryable', async () => {
    const { backend } = await setUp(
      {},
      {
        fault: ({ endpoint, endpointRequestIndex }) =>
          endpoint === 'get_ppl' ? (endpointRequestIndex === 0 ? { kind: 'status', status: 500 } : { kind: 'malformed-json' }) : undefined,
      },
    );
    const request = { kind: 'perplexity' as const, candidates: [{ text: 'ab', suffix: 'b' }] };
    const first = (await backend.doPerplexity(request, {}).catch((caught: unknown) => caught)) as BackendCallError;
    expect(first).toMatchObject({ statusCode: 500, isRetryable: true });
    const second = (await backend.doPerplexity(request, {}).catch((caught: unknown) => caught)) as BackendCallError;
    expect(BackendCallError.isInstance(second)).toBe(true);
    expect(second.isRetryable).toBe(true);
  });

  it("passes on the server's 400 for a text too short to score, as not retryable", async () => {
    const { backend } = await setUp();
    const error = (await backend
      .doPerplexity({ kind: 'perplexity', candidates: [{ text: '', suffix: '' }] }, {})
      .catch((caught: unknown) => caught)) as BackendCallError;
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
  });

  it('validates the /get_ppl and /v1/encode answers with a schema', async () => {
    const odd = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const bodies: Record<string, unknown> = {
          '/v1/models': { data: [{ id: 'm' }] },
          '/get_ppl': { perplexity: 1.5 },
          '/v1/encode': { input_ids: [1, 2], length: 2 },
        };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(bodies[request.url ?? ''] ?? {}));
      });
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    try {
      const backend = new LmdeployBackend({ apiBase: `http://127.0.0.1:${(odd.address() as AddressInfo).port}`, promptStyle: 'completion', engineConfig: {} });
      backends.push(backend);
      await backend.doStart({});
      const error = (await backend
        .doPerplexity({ kind: 'perplexity', candidates: [{ text: 'ab', suffix: 'b' }] }, {})
        .catch((caught: unknown) => caught)) as BackendCallError;
      expect(BackendCallError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/\/get_ppl returned an unexpected response: ppl:/);
      expect(error.isRetryable).toBe(true);
    } finally {
      odd.closeAllConnections();
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});

describe('LmdeployBackend launch (shared launcher)', () => {
  it('launches the stand-in, scores PPL, and stops it on doClose', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-lmdeploy-backend-'));
    tempDirs.push(dir);
    const log = join(dir, 'events.jsonl');
    process.env.SEXTANT_FAKE_LMDEPLOY_LOG = log;
    try {
      const backend = new LmdeployBackend({
        path: '/models/internlm2-7b',
        promptStyle: 'completion',
        engineConfig: { tp: 1 },
        command: STAND_IN,
        startupTimeoutMs: 20_000,
      });
      backends.push(backend);
      const info = await backend.doStart({});
      expect(info.modelName).toBe('/models/internlm2-7b');
      const result = await backend.doPerplexity({ kind: 'perplexity', candidates: [{ text: 'hello', suffix: 'lo' }] }, {});
      expect(result.scores[0]?.ppl).toBeCloseTo(lmdeployMeanCrossEntropy('hello'), 12);
      await backend.doClose();
      const events = (await readFile(log, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string });
      expect(events.map((event) => event.event)).toEqual(['start', 'stop']);
    } finally {
      delete process.env.SEXTANT_FAKE_LMDEPLOY_LOG;
    }
  });

  it('says "not found on PATH" for a missing executable', async () => {
    const backend = new LmdeployBackend({ path: '/m', promptStyle: 'completion', engineConfig: {}, command: 'sextant-no-such-lmdeploy' });
    const error = await backend.doStart({}).catch((caught: unknown) => caught);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'cannot launch `sextant-no-such-lmdeploy`: not found on PATH (install LMDeploy, or give apiBase for a running server)',
    );
  });
});
