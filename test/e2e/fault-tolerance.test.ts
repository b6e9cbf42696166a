// Fault tolerance of whole runs of the real `sextant` CLI (dist/cli/main.js, built beforehand with `npm run build`)
// against the in-process OpenAI-compatible test server, on C-Eval (`ceval_gen`, all 52 subjects, --limit 6):
//   (a) SIGKILL at seeded random moments, resumed with -r each time; a torn last line in a sample log;
//   (b) 10% injected faults (429 with Retry-After, 500, 503, malformed JSON, dropped connections, timeouts);
//   (c) an endpoint that goes away mid-run: alone (the run stops, then -r finishes) or in a pool of two.
// Every outcome is compared with an uninterrupted, fault-free run in a separate work dir. Requests are mapped back
// to (subject, index) through the prompt, rendered independently by ./ceval-reference.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultAnswer,
  startOpenAITestServer,
  type Fault,
  type OpenAITestServer,
  type OpenAITestServerOptions,
  type RecordedRequest,
} from '../support/openai-test-server.mjs';
import { SUBJECTS, humanPrompt, loadSubjects } from './ceval-reference.js';
import { CLI, DATA_DIR, REPO_ROOT, onlyRunDir, runCli, summaryPathFromStdout, type CliResult } from './cli-harness.js';

const MODEL = 'sextant-ft';
const LIMIT = 6;
const TOTAL = SUBJECTS.length * LIMIT;
const CHAT_PATH = '/v1/chat/completions';

// ---------------------------------------------------------------------------------------------------------------
// Shared state and small helpers.

const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];
const children = new Set<ChildProcess>();
/** Prompt of a scored val row (last user message) → "subject#index". */
const sampleByPrompt = new Map<string, string>();
const ALL_SAMPLES: string[] = [];

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-ft-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function startServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: MODEL, ...options });
  servers.push(server);
  return server;
}

async function writeConfig(dir: string, model: Record<string, unknown>): Promise<string> {
  const path = join(dir, 'fault-tolerance.config.json');
  await writeFile(path, JSON.stringify({ models: [{ type: 'openai', ...model }] }, null, 2));
  return path;
}

const runArgs = (workDir: string, extra: readonly string[] = []) => ['run', '--datasets', 'ceval_gen', '-w', workDir, '--limit', String(LIMIT), ...extra];

/** Seeded PRNG (mulberry32): the same kill moments on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit integer hash (murmur3's finaliser): deterministic fault choice per request index. */
function hash32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function lastUserMessage(body: any): string | undefined {
  const messages: unknown = body?.messages;
  if (!Array.isArray(messages)) return undefined;
  const last = [...messages].reverse().find((message: any) => message?.role === 'user') as { content?: unknown } | undefined;
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return last.content.map((part: any) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return undefined;
}

/** The "subject#index" a prompt asks about (throws on an unknown prompt: nothing else should be sent). */
function sampleOfPrompt(prompt: string): string {
  const sample = sampleByPrompt.get(prompt);
  if (sample === undefined) throw new Error(`request for an unknown prompt: ${JSON.stringify(prompt.slice(0, 120))}`);
  return sample;
}

/** The samples asked for by chat requests in `requests` (one entry per request, repeats kept). */
function requestedSamples(requests: readonly RecordedRequest[]): string[] {
  return requests.filter((request) => request.path === CHAT_PATH).map((request) => sampleOfPrompt(lastUserMessage(request.body) ?? ''));
}

/** For each sample, its last chat request; those that `faulted` says were given a fault, as "sample (request #i)". */
function acceptedFaultedRequests(requests: readonly RecordedRequest[], faulted: (requestIndex: number) => boolean): string[] {
  const last = new Map<string, number>();
  requests.forEach((request, index) => {
    if (request.path === CHAT_PATH) last.set(sampleOfPrompt(lastUserMessage(request.body) ?? ''), index);
  });
  return [...last].filter(([, index]) => faulted(index)).map(([sample, index]) => `${sample} (request #${index})`);
}

const sorted = (values: Iterable<string>) => [...values].sort();
const difference = (left: Iterable<string>, right: ReadonlySet<string>) => sorted([...left].filter((value) => !right.has(value)));

interface LogLine {
  readonly index: number;
  readonly key: string;
  readonly error?: string;
  readonly attempts?: number;
}

/** The complete, parseable lines of one sample log (as a reader after a crash sees them). */
async function readLogLines(path: string): Promise<LogLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as LogLine;
      if (typeof record.index === 'number' && typeof record.key === 'string') lines.push(record);
    } catch {
      // a torn line
    }
  }
  return lines;
}

const sampleLogPath = (runDir: string, subject: string) => join(runDir, 'samples', MODEL, `ceval-${subject}.jsonl`);

/** Samples with a successful line in the run's sample logs right now. */
async function loggedSamples(runDir: string): Promise<Set<string>> {
  const logged = new Set<string>();
  for (const subject of SUBJECTS) {
    for (const line of await readLogLines(sampleLogPath(runDir, subject.key))) {
      if (line.error === undefined) logged.add(`${subject.key}#${line.index}`);
    }
  }
  return logged;
}

interface Artifacts {
  readonly summaryCsv: string;
  /** "predictions/<subject>" and "results/<subject>" → file text. */
  readonly files: ReadonlyMap<string, string>;
}

async function collectArtifacts(runDir: string, stdout: string): Promise<Artifacts> {
  const files = new Map<string, string>();
  for (const subject of SUBJECTS) {
    for (const kind of ['predictions', 'results'] as const) {
      files.set(`${kind}/${subject.key}`, await readFile(join(runDir, kind, MODEL, `ceval-${subject.key}.json`), 'utf8').catch(() => '<missing>'));
    }
  }
  return { summaryCsv: await readFile(summaryPathFromStdout(stdout), 'utf8'), files };
}

/** File names whose content differs from the baseline (empty when identical). */
function differingFiles(actual: Artifacts, expected: Artifacts): string[] {
  const names = [...expected.files.keys()].filter((name) => actual.files.get(name) !== expected.files.get(name));
  if (actual.summaryCsv !== expected.summaryCsv) names.unshift('summary.csv');
  return names;
}

/** Every predictions file holds all LIMIT samples, none failed; every results file has failed = 0. */
function assertComplete(artifacts: Artifacts): void {
  const problems: string[] = [];
  for (const subject of SUBJECTS) {
    const predictions = JSON.parse(artifacts.files.get(`predictions/${subject.key}`) ?? '{}') as Record<string, { prediction?: unknown; error?: unknown }>;
    const keys = Object.keys(predictions).sort((left, right) => Number(left) - Number(right));
    if (keys.join(',') !== Array.from({ length: LIMIT }, (_, index) => String(index)).join(',')) problems.push(`${subject.key}: predictions ${keys.join(',')}`);
    for (const [key, entry] of Object.entries(predictions)) {
      if (entry.error !== undefined || typeof entry.prediction !== 'string' || entry.prediction === '')
        problems.push(`${subject.key}#${key}: ${JSON.stringify(entry.error ?? entry.prediction)}`);
    }
    const results = JSON.parse(artifacts.files.get(`results/${subject.key}`) ?? '{}') as { failed?: unknown };
    if (results.failed !== 0) problems.push(`${subject.key}: results failed = ${String(results.failed)}`);
  }
  expect(problems).toEqual([]);
}

function describeRun(result: CliResult): string {
  return `exit ${result.code} signal ${result.signal} after ${Math.round(result.wallMs)} ms\nstdout:\n${result.stdout.slice(-1500)}\nstderr:\n${result.stderr.slice(-3000)}`;
}

/** `node dist/cli/main.js ...args` with the child exposed (so the test can SIGKILL it); killed after timeoutMs. */
function spawnCli(args: readonly string[], timeoutMs = 30_000): { child: ChildProcess; done: Promise<CliResult> } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'OPENAI_API_KEY' && key !== 'SEXTANT_DATA_DIR') env[key] = value;
  }
  Object.assign(env, { SEXTANT_DATA_DIR: DATA_DIR, NO_COLOR: '1' });
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolveDone({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
  return { child, done };
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

// ---------------------------------------------------------------------------------------------------------------
// The baseline: one uninterrupted, fault-free run.

let baselineWorkDir = '';
let baseline: Artifacts;

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  for (const { subject, val } of await loadSubjects(DATA_DIR)) {
    for (const [index, row] of val.slice(0, LIMIT).entries()) {
      const prompt = humanPrompt(subject, row, true);
      if (sampleByPrompt.has(prompt)) throw new Error(`two scored samples share a prompt: ${sampleByPrompt.get(prompt)} and ${subject.key}#${index}`);
      sampleByPrompt.set(prompt, `${subject.key}#${index}`);
      ALL_SAMPLES.push(`${subject.key}#${index}`);
    }
  }
  expect(ALL_SAMPLES).toHaveLength(TOTAL);

  const server = await startServer();
  baselineWorkDir = await tempDir('baseline');
  const result = await runCli([...runArgs(baselineWorkDir), '--api-base', `${server.url}/v1`], { timeoutMs: 30_000 });
  expect(result.code, describeRun(result)).toBe(0);
  baseline = await collectArtifacts(await onlyRunDir(baselineWorkDir), result.stdout);
  assertComplete(baseline);
  expect(sorted(requestedSamples(server.requests))).toEqual(sorted(ALL_SAMPLES));
  await server.close();
}, 40_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// ---------------------------------------------------------------------------------------------------------------

describe('(a) SIGKILL at random moments, resumed with -r', () => {
  it('three kills then a final -r: identical results, no finished sample requested again, none missing', async () => {
    const SEED = 0x5e7a47;
    const random = mulberry32(SEED);
    const LATENCY_MS = 15;
    const CONCURRENCY = 8;
    /** Fires once, when the server is about to answer the Nth chat request of the current run. */
    let killPlan: { remaining: number; fire: () => void } | undefined;
    const server = await startServer({
      latencyMs: LATENCY_MS,
      answer: (info) => {
        if (killPlan && --killPlan.remaining === 0) {
          const plan = killPlan;
          killPlan = undefined;
          plan.fire();
        }
        return defaultAnswer(info.prompt);
      },
    });
    const workDir = await tempDir('sigkill');
    const args = (reuse: boolean) => [...runArgs(workDir, ['--concurrency', String(CONCURRENCY)]), '--api-base', `${server.url}/v1`, ...(reuse ? ['-r'] : [])];

    const trace: string[] = [];
    let logged = new Set<string>();
    let runDir = '';
    for (let kill = 0; kill < 3; kill += 1) {
      const remaining = TOTAL - logged.size;
      // Kill when the Nth answer of this run is due (N between 20% and 60% of what is left, and far enough from the
      // end that the run cannot finish first), then after 0-12 ms more: mid-request, mid-flush, mid-write.
      const answersBeforeKill = Math.max(1, Math.min(remaining - 4 * CONCURRENCY, Math.floor(remaining * (0.2 + 0.4 * random()))));
      const extraDelayMs = Math.floor(random() * 13);
      const firstRequest = server.requests.length;
      const { child, done } = spawnCli(args(kill > 0));
      killPlan = {
        remaining: answersBeforeKill,
        fire: () => {
          if (extraDelayMs === 0) child.kill('SIGKILL');
          else setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
        },
      };
      const result = await done;
      killPlan = undefined;
      expect(result.signal, `kill ${kill + 1} (after ${answersBeforeKill} answers + ${extraDelayMs} ms) did not land: ${describeRun(result)}`).toBe('SIGKILL');
      // Let requests the dead process had already sent drain into the request log.
      await sleep(4 * LATENCY_MS + 50);
      runDir = await onlyRunDir(workDir);
      const requested = requestedSamples(server.requests.slice(firstRequest));
      const loggedAtKill = await loggedSamples(runDir);
      trace.push(
        `run ${kill + 1}: ${requested.length} requests, killed after ${answersBeforeKill} answers + ${extraDelayMs} ms; ${loggedAtKill.size}/${TOTAL} logged`,
      );
      // No request for a sample whose line was already in the log when this run started…
      expect(
        requested.filter((sample) => logged.has(sample)),
        trace.join('\n'),
      ).toEqual([]);
      // …nothing logged before disappears, and no sample was requested twice within the run.
      expect(difference(logged, loggedAtKill), trace.join('\n')).toEqual([]);
      expect(requested.length - new Set(requested).size, trace.join('\n')).toBe(0);
      logged = loggedAtKill;
    }
    // The kills left real partial progress behind.
    expect(logged.size, trace.join('\n')).toBeGreaterThan(0);
    expect(logged.size, trace.join('\n')).toBeLessThan(TOTAL);

    const firstRequest = server.requests.length;
    const { done } = spawnCli(args(true));
    const final = await done;
    expect(final.code, describeRun(final)).toBe(0);
    const requested = requestedSamples(server.requests.slice(firstRequest));
    trace.push(`final run: ${requested.length} requests`);
    // Exactly the samples not yet logged were requested, each once.
    expect(sorted(requested), trace.join('\n')).toEqual(difference(ALL_SAMPLES, logged));
    expect(await onlyRunDir(workDir)).toBe(runDir);
    const artifacts = await collectArtifacts(runDir, final.stdout);
    assertComplete(artifacts);
    expect(differingFiles(artifacts, baseline), trace.join('\n')).toEqual([]);
    // Every sample has exactly one successful line in the final logs (nothing was answered twice).
    const counts = new Map<string, number>();
    for (const subject of SUBJECTS) {
      for (const line of await readLogLines(sampleLogPath(runDir, subject.key))) {
        if (line.error === undefined) counts.set(`${subject.key}#${line.index}`, (counts.get(`${subject.key}#${line.index}`) ?? 0) + 1);
      }
    }
    expect(sorted(counts.keys())).toEqual(sorted(ALL_SAMPLES));
    expect([...counts].filter(([, count]) => count !== 1)).toEqual([]);
  }, 45_000);

  it('a torn last line (crash mid-write) costs only that sample: one request on -r, none on the next -r', async () => {
    const workDir = await tempDir('torn');
    await cp(baselineWorkDir, workDir, { recursive: true });
    const runDir = await onlyRunDir(workDir);
    const subject = 'logic';
    const path = sampleLogPath(runDir, subject);
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(LIMIT);
    const last = lines.at(-1) as string;
    const tornIndex = (JSON.parse(last) as LogLine).index;
    // The crash cut the last write in the middle of its line: no closing brace, no newline.
    await writeFile(path, `${lines.slice(0, -1).join('\n')}\n${last.slice(0, Math.floor(last.length / 2))}`);

    const server = await startServer();
    const args = [...runArgs(workDir), '--api-base', `${server.url}/v1`, '-r'];
    const first = await runCli(args, { timeoutMs: 30_000 });
    expect(first.code, describeRun(first)).toBe(0);
    expect(requestedSamples(server.requests)).toEqual([`${subject}#${tornIndex}`]);
    expect(differingFiles(await collectArtifacts(runDir, first.stdout), baseline)).toEqual([]);

    const before = server.requests.length;
    const second = await runCli(args, { timeoutMs: 30_000 });
    expect(second.code, describeRun(second)).toBe(0);
    // The record written on the first -r must be readable: nothing is requested again.
    expect(requestedSamples(server.requests.slice(before))).toEqual([]);
    expect(differingFiles(await collectArtifacts(runDir, second.stdout), baseline)).toEqual([]);
    expect((await readLogLines(path)).filter((line) => line.index === tornIndex && line.error === undefined)).toHaveLength(1);
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('(b) 10% injected faults', () => {
  const FAULTS: readonly Fault[] = [
    { kind: 'status', status: 429, retryAfterSeconds: 0 },
    { kind: 'status', status: 429, retryAfterSeconds: 1 },
    { kind: 'status', status: 500 },
    { kind: 'status', status: 503 },
    { kind: 'malformed-json' },
    { kind: 'drop-connection' },
    // Longer than the per-request timeout of 1 s.
    { kind: 'delay', ms: 1500 },
  ];
  const SEED = 0x10f417;
  /**
   * A deterministic 10% of request indexes get a fault: one index in each block of ten, at a position (1-8) and of a
   * kind drawn from the block number. Two faulted indexes are never adjacent, so a sample retried alone at the end of
   * the run is not hit again and again by a run of faulted indexes.
   */
  const faultIndexFor = (requestIndex: number): number | undefined => {
    const block = Math.floor(requestIndex / 10);
    const hash = hash32(block ^ SEED);
    return requestIndex % 10 === 1 + (hash % 8) ? Math.floor(hash / 8) % FAULTS.length : undefined;
  };

  it('the fault plan itself: about 10% of requests, every kind present', () => {
    const planned = Array.from({ length: TOTAL }, (_, index) => faultIndexFor(index + 1)).filter((entry) => entry !== undefined);
    expect(planned.length).toBeGreaterThanOrEqual(Math.floor(TOTAL / 10) - 1);
    expect(planned.length).toBeLessThanOrEqual(Math.ceil(TOTAL / 10) + 1);
    expect(new Set(planned).size).toBe(FAULTS.length);
  });

  it('with retry 4 and a 1 s timeout, results are identical to a fault-free run and nothing fails', async () => {
    const injected = new Map<string, number>();
    let injectedTotal = 0;
    const server = await startServer({
      latencyMs: 5,
      fault: ({ endpoint, requestIndex }) => {
        if (endpoint !== 'chat') return undefined;
        const which = faultIndexFor(requestIndex);
        if (which === undefined) return undefined;
        const fault = FAULTS[which] as Fault;
        const name =
          fault.kind === 'status' ? `${fault.status}${fault.retryAfterSeconds !== undefined ? `+retry-after ${fault.retryAfterSeconds}` : ''}` : fault.kind;
        injected.set(name, (injected.get(name) ?? 0) + 1);
        injectedTotal += 1;
        return fault;
      },
    });
    const workDir = await tempDir('faults');
    const config = await writeConfig(workDir, { apiBase: `${server.url}/v1`, retry: 4, timeout: 1 });
    const result = await runCli([...runArgs(workDir).slice(0, 1), config, ...runArgs(workDir).slice(1)], { timeoutMs: 40_000 });
    const faults = JSON.stringify(Object.fromEntries(injected));
    expect(result.code, `${faults}\n${describeRun(result)}`).toBe(0);
    expect(result.stdout, describeRun(result)).not.toMatch(/failed after retries/);
    // Every kind of fault was really exercised.
    expect(sorted(injected.keys()), faults).toEqual(
      sorted(['429+retry-after 0', '429+retry-after 1', '500', '503', 'malformed-json', 'drop-connection', 'delay']),
    );

    const runDir = await onlyRunDir(workDir);
    const artifacts = await collectArtifacts(runDir, result.stdout);
    assertComplete(artifacts);
    expect(differingFiles(artifacts, baseline), faults).toEqual([]);

    // Each fault cost exactly one extra attempt of its sample, and nothing else was sent twice.
    const chatRequests = requestedSamples(server.requests);
    // A sample is answered by a request without a fault: a faulted request is never accepted (e.g. a delay past the
    // timeout must be abandoned, not waited out).
    expect(
      acceptedFaultedRequests(server.requests, (index) => faultIndexFor(index) !== undefined),
      faults,
    ).toEqual([]);
    expect(chatRequests.length, faults).toBe(TOTAL + injectedTotal);
    expect(sorted(new Set(chatRequests))).toEqual(sorted(ALL_SAMPLES));
    let attempts = 0;
    let lines = 0;
    for (const subject of SUBJECTS) {
      for (const line of await readLogLines(sampleLogPath(runDir, subject.key))) {
        expect(line.error, `${subject.key}#${line.index}`).toBeUndefined();
        attempts += line.attempts ?? 0;
        lines += 1;
      }
    }
    expect(lines).toBe(TOTAL);
    expect(attempts, faults).toBe(chatRequests.length);
  }, 45_000);

  it('a request hanging past the 1 s timeout is abandoned and retried, also when the garbage collector runs meanwhile', async () => {
    // A young generation of 1 MB makes V8 collect often, as a busy long run would: a timeout that is only weakly
    // referenced (AbortSignal.any over AbortSignal.timeout, on Node 20) is then lost and the request waited out.
    const HANGING = 8;
    const hanging = new Set<number>();
    const server = await startServer({
      fault: ({ endpoint, endpointRequestIndex, requestIndex }) => {
        if (endpoint !== 'chat' || endpointRequestIndex >= HANGING) return undefined;
        hanging.add(requestIndex);
        return { kind: 'delay', ms: 2500 };
      },
    });
    const workDir = await tempDir('timeout');
    const config = await writeConfig(workDir, { apiBase: `${server.url}/v1`, retry: 2, timeout: 1 });
    const result = await runCli([...runArgs(workDir).slice(0, 1), config, ...runArgs(workDir).slice(1)], {
      timeoutMs: 30_000,
      env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=1`.trim() },
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(hanging.size).toBe(HANGING);
    expect(acceptedFaultedRequests(server.requests, (index) => hanging.has(index))).toEqual([]);
    expect(requestedSamples(server.requests)).toHaveLength(TOTAL + HANGING);
    const artifacts = await collectArtifacts(await onlyRunDir(workDir), result.stdout);
    assertComplete(artifacts);
    expect(differingFiles(artifacts, baseline)).toEqual([]);
  }, 40_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('(c) an endpoint that dies mid-run', () => {
  it('(c1) the only endpoint: the run stops non-zero with a clear message, then -r on a restarted server completes', async () => {
    const CLOSE_AFTER = 100;
    const STOP_WITHIN_MS = 15_000;
    let answers = 0;
    let closedAt = 0;
    const server: OpenAITestServer = await startServer({
      latencyMs: 5,
      answer: (info) => {
        answers += 1;
        if (answers === CLOSE_AFTER) {
          closedAt = Date.now();
          void server.close();
        }
        return defaultAnswer(info.prompt);
      },
    });
    const port = server.port;
    const workDir = await tempDir('dies');
    const config = await writeConfig(workDir, { apiBase: `${server.url}/v1`, retry: 2 });
    const args = [...runArgs(workDir).slice(0, 1), config, ...runArgs(workDir).slice(1)];

    const stopped = await runCli(args, { timeoutMs: STOP_WITHIN_MS + 10_000 });
    const exitedAt = Date.now();
    expect(closedAt, 'the server was never closed: the run ended too early').toBeGreaterThan(0);
    expect(stopped.signal, `not stopped within ${STOP_WITHIN_MS + 10_000} ms of starting: ${describeRun(stopped)}`).toBeNull();
    expect(stopped.code, describeRun(stopped)).not.toBe(0);
    expect(stopped.code, describeRun(stopped)).not.toBeNull();
    expect(stopped.stdout, describeRun(stopped)).not.toMatch(/^summary: /m);
    // The message names the server, says it cannot be reached, and how to continue.
    expect(stopped.stderr).toContain(`127.0.0.1:${port}`);
    expect(stopped.stderr).toMatch(/reach/i);
    expect(stopped.stderr).toContain('--reuse');
    expect(exitedAt - closedAt, describeRun(stopped)).toBeLessThan(STOP_WITHIN_MS);

    const runDir = await onlyRunDir(workDir);
    const loggedAtStop = await loggedSamples(runDir);
    expect(loggedAtStop.size).toBeGreaterThan(0);
    expect(loggedAtStop.size).toBeLessThan(TOTAL);

    // The server comes back on the same port; -r finishes the run.
    const restarted = await startServer({ port, latencyMs: 5 });
    const resumed = await runCli([...args, '-r'], { timeoutMs: 30_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stdout).not.toMatch(/failed after retries/);
    expect(await onlyRunDir(workDir)).toBe(runDir);
    expect(sorted(requestedSamples(restarted.requests))).toEqual(difference(ALL_SAMPLES, loggedAtStop));
    const artifacts = await collectArtifacts(runDir, resumed.stdout);
    assertComplete(artifacts);
    expect(differingFiles(artifacts, baseline)).toEqual([]);
  }, 50_000);

  it('(c2) one of two endpoints: the run completes on the other, identical to a clean run', async () => {
    const CLOSE_AFTER = 40;
    const answeredByA = new Set<string>();
    const answeredByB = new Set<string>();
    let closedA = false;
    const a: OpenAITestServer = await startServer({
      latencyMs: 5,
      answer: (info) => {
        answeredByA.add(sampleOfPrompt(info.prompt));
        if (answeredByA.size === CLOSE_AFTER) {
          closedA = true;
          void a.close();
        }
        return defaultAnswer(info.prompt);
      },
    });
    const b = await startServer({
      latencyMs: 5,
      answer: (info) => {
        answeredByB.add(sampleOfPrompt(info.prompt));
        return defaultAnswer(info.prompt);
      },
    });
    const workDir = await tempDir('pool');
    const config = await writeConfig(workDir, { apiBase: [`${a.url}/v1`, `${b.url}/v1`] });
    const result = await runCli([...runArgs(workDir).slice(0, 1), config, ...runArgs(workDir).slice(1)], { timeoutMs: 30_000 });
    expect(closedA, 'endpoint a was never closed').toBe(true);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout, describeRun(result)).not.toMatch(/failed after retries/);
    expect(result.wallMs).toBeLessThan(20_000);

    const artifacts = await collectArtifacts(await onlyRunDir(workDir), result.stdout);
    assertComplete(artifacts);
    expect(differingFiles(artifacts, baseline)).toEqual([]);
    // a served the start of the run; b served everything a never answered.
    expect(answeredByA.size).toBeGreaterThanOrEqual(CLOSE_AFTER);
    expect(difference(ALL_SAMPLES, new Set([...answeredByA, ...answeredByB]))).toEqual([]);
    expect(difference(difference(ALL_SAMPLES, answeredByA), answeredByB)).toEqual([]);
    expect(answeredByB.size).toBeGreaterThanOrEqual(TOTAL - CLOSE_AFTER);
  }, 40_000);
});
