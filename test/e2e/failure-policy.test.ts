// The failure policy of whole runs of the real CLI (dist/cli/main.js, built beforehand with `npm run build`) on all
// of C-Eval val (ceval_gen, 1,346 samples): a server that fails particular prompts is not a sick server.
//   - HTTP 500 for every prompt containing one word (~1% of prompts): the run completes, exactly those samples fail;
//   - "prompt too long" for prompts over N characters, as vLLM (HTTP 400) and LMDeploy (HTTP 200 with
//     finish_reason "error" and ResponseType.INPUT_LENGTH_ERROR) answer it: exactly those samples fail, at once;
//   - a server that answers 500 to everything, and a dead port, still stop the run with a message.
// The test computes the expected failed samples itself from the data (./ceval-reference.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAITestServer, type Fault, type OpenAITestServer, type OpenAITestServerOptions } from '../support/openai-test-server.mjs';
import { SUBJECTS, humanPrompt, loadSubjects } from './ceval-reference.js';
import { CLI, DATA_DIR, closedPort, onlyRunDir, runCli, type CliResult } from './cli-harness.js';

const MODEL = 'sextant-policy';
const WORD = '电子';
/** Prompts (the scored question's user message) longer than this many characters are "too long". */
const MAX_PROMPT_CHARS = 360;

const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];
/** Last user message of each scored val row → "subject#index". */
const sampleByPrompt = new Map<string, string>();
let total = 0;

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-policy-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function startServer(options: OpenAITestServerOptions): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: MODEL, ...options });
  servers.push(server);
  return server;
}

function lastUserMessage(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((message) => message?.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

function describeRun(result: CliResult): string {
  return `exit ${result.code} signal ${result.signal} after ${Math.round(result.wallMs)} ms\nstdout:\n${result.stdout.slice(-2000)}\nstderr:\n${result.stderr.slice(-3000)}`;
}

/** The failed samples recorded in the predictions files ("subject#index" → error), and the results' failed counts. */
async function failedSamples(runDir: string): Promise<{ errors: Map<string, string>; failedCount: number; answered: number }> {
  const errors = new Map<string, string>();
  let failedCount = 0;
  let answered = 0;
  for (const subject of SUBJECTS) {
    const predictions = JSON.parse(await readFile(join(runDir, 'predictions', MODEL, `ceval-${subject.key}.json`), 'utf8')) as Record<
      string,
      { prediction: string; error?: string }
    >;
    for (const [index, entry] of Object.entries(predictions)) {
      if (entry.error !== undefined) errors.set(`${subject.key}#${index}`, entry.error);
      else answered += 1;
    }
    const results = JSON.parse(await readFile(join(runDir, 'results', MODEL, `ceval-${subject.key}.json`), 'utf8')) as { failed: number };
    failedCount += results.failed;
  }
  return { errors, failedCount, answered };
}

const sorted = (values: Iterable<string>) => [...values].sort();

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  for (const { subject, val } of await loadSubjects(DATA_DIR)) {
    for (const [index, row] of val.entries()) sampleByPrompt.set(humanPrompt(subject, row, true), `${subject.key}#${index}`);
    total += val.length;
  }
  expect(total).toBe(1346);
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const runArgs = (workDir: string, server: OpenAITestServer, extra: readonly string[] = []) => [
  'run',
  '--datasets',
  'ceval_gen',
  '-w',
  workDir,
  '--api-base',
  `${server.url}/v1`,
  ...extra,
];

describe('prompt-specific failures do not stop the run', () => {
  it('HTTP 500 on every prompt containing one word (~1%): the run completes, exactly those samples failed', async () => {
    const expected = sorted([...sampleByPrompt].filter(([prompt]) => prompt.includes(WORD)).map(([, sample]) => sample));
    // About 1% of the prompts, so most of the run is served around them.
    expect(expected.length).toBeGreaterThanOrEqual(8);
    expect(expected.length).toBeLessThanOrEqual(27);
    const server = await startServer({
      fault: ({ endpoint, body }) =>
        endpoint === 'chat' && lastUserMessage(body).includes(WORD)
          ? { kind: 'status', status: 500, message: 'Internal Server Error: CUDA error in a kernel' }
          : undefined,
    });
    const workDir = await tempDir('word');
    const result = await runCli(runArgs(workDir, server), { timeoutMs: 110_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const { errors, failedCount, answered } = await failedSamples(await onlyRunDir(workDir));
    expect(sorted(errors.keys())).toEqual(expected);
    expect(failedCount).toBe(expected.length);
    expect(answered).toBe(total - expected.length);
    for (const error of errors.values()) expect(error).toContain('HTTP 500: Internal Server Error: CUDA error in a kernel');
    // Retryable: each failing prompt was tried 1 + retry (3) times, every other prompt once.
    const chat = server.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(chat.length).toBe(total + 3 * expected.length);
    expect(result.stdout).toMatch(new RegExp(`${MODEL}: ${expected.length} sample\\(s\\) failed after retries .*rerun with -r`));
    expect(result.stderr).not.toMatch(/no endpoint answered|taken out of rotation/);
  }, 120_000);

  const tooLongFaults: ReadonlyArray<{ name: string; fault: (prompt: string) => Fault }> = [
    {
      name: "vLLM's HTTP 400",
      fault: (prompt) => ({
        kind: 'status',
        status: 400,
        message: `This model's maximum context length is ${MAX_PROMPT_CHARS} tokens. However, you requested ${[...prompt].length + 256} tokens (${[...prompt].length} in the messages, 256 in the completion). Please reduce the length of the messages or completion.`,
      }),
    },
    {
      name: "LMDeploy's HTTP 200 with finish_reason error (session_len)",
      fault: () => ({
        kind: 'raw',
        status: 200,
        body: {
          id: '1',
          object: 'chat.completion',
          created: 0,
          model: MODEL,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'internal error happened, status code ResponseType.INPUT_LENGTH_ERROR' },
              finish_reason: 'error',
            },
          ],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        },
      }),
    },
  ];

  for (const { name, fault } of tooLongFaults) {
    it(`"prompt too long" (${name}) for prompts over ${MAX_PROMPT_CHARS} characters: exactly those samples fail, each after one request`, async () => {
      const expected = sorted([...sampleByPrompt].filter(([prompt]) => [...prompt].length > MAX_PROMPT_CHARS).map(([, sample]) => sample));
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(expected.length).toBeLessThanOrEqual(40);
      const server = await startServer({
        fault: ({ endpoint, body }) => {
          const prompt = lastUserMessage(body);
          return endpoint === 'chat' && [...prompt].length > MAX_PROMPT_CHARS ? fault(prompt) : undefined;
        },
      });
      const workDir = await tempDir('long');
      const result = await runCli(runArgs(workDir, server), { timeoutMs: 110_000 });
      expect(result.code, describeRun(result)).toBe(0);
      const { errors, failedCount, answered } = await failedSamples(await onlyRunDir(workDir));
      expect(sorted(errors.keys())).toEqual(expected);
      expect(failedCount).toBe(expected.length);
      expect(answered).toBe(total - expected.length);
      for (const error of errors.values()) expect(error).toMatch(/prompt is too long for the model/);
      // Not retryable: one request per sample, no more.
      const chat = server.requests.filter((request) => request.path === '/v1/chat/completions');
      expect(chat.length).toBe(total);
      expect(result.stdout).toMatch(new RegExp(`${MODEL}: ${expected.length} sample\\(s\\) were refused by the server`));
      expect(result.stdout).not.toMatch(/failed after retries/);
    }, 120_000);
  }
});

describe('a sick or dead server still stops the run', () => {
  it('HTTP 500 on every prompt: the endpoint is taken out and the run stops with a resumable message', async () => {
    const server = await startServer({
      fault: ({ endpoint }) => (endpoint === 'chat' ? { kind: 'status', status: 500, message: 'engine crashed' } : undefined),
    });
    const workDir = await tempDir('sick');
    const result = await runCli([...runArgs(workDir, server), '--limit', '3'], { timeoutMs: 60_000 });
    expect(result.signal, describeRun(result)).toBeNull();
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/no endpoint answered for \d+ s .*HTTP 500: engine crashed.*--reuse/s);
    expect(result.stdout).not.toMatch(/^summary: /m);
  }, 70_000);

  it('a dead port: exits non-zero saying the server cannot be reached', async () => {
    const port = await closedPort();
    const workDir = await tempDir('dead');
    const result = await runCli(['run', '--datasets', 'ceval_gen', '-w', workDir, '--api-base', `http://127.0.0.1:${port}/v1`], { timeoutMs: 60_000 });
    expect(result.signal, describeRun(result)).toBeNull();
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toMatch(/connection refused.*Is the server running/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 70_000);
});
