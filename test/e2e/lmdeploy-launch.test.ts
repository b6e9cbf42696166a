// sextant launching LMDeploy's `api_server` itself (an lmdeploy model with `path` and no `apiBase`), end to end:
// the built CLI runs against the stand-in executable test/support/bin/lmdeploy (it serves the OpenAI protocol and
// logs its start/stop to $SEXTANT_FAKE_LMDEPLOY_LOG). Run `npm run build` first.
//
// The stand-in does not expose the requests it received, so the test loads a small recorder into every node
// process it spawns (NODE_OPTIONS=--import): it appends each HTTP request a node http.Server receives to
// $SEXTANT_TEST_REQUEST_LOG. Only the stand-in runs an http.Server, so the file holds exactly its requests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const STAND_IN_BIN = join(REPO_ROOT, 'test', 'support', 'bin');
const DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'data');
const MODEL_ABBR = 'internlm2-chat-7b-turbomind';
const MODEL_PATH = 'internlm/internlm2-chat-7b';

const lmdeployModel = {
  type: 'lmdeploy',
  abbr: MODEL_ABBR,
  path: MODEL_PATH,
  engineConfig: { sessionLen: 2048, maxBatchSize: 8, ropeScalingFactor: 1.0 },
  genConfig: { topK: 1, topP: 0.8, temperature: 1.0, maxNewTokens: 100 },
  maxOutLen: 100,
  maxSeqLen: 2048,
  batchSize: 8,
  concurrency: 8,
  endStr: '<eoa>',
  runCfg: { numGpus: 1 },
};

const recorderSource = `
import http from 'node:http';
import { appendFileSync } from 'node:fs';
const file = process.env.SEXTANT_TEST_REQUEST_LOG;
if (file) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === 'request') {
      const [req] = args;
      const chunks = [];
      // Attached before the server's own listeners, in the same tick: both see every chunk.
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        appendFileSync(file, JSON.stringify({ pid: process.pid, method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') }) + '\\n');
      });
    }
    return emit.call(this, event, ...args);
  };
}
`;

interface LogEvent {
  event: 'start' | 'stop' | 'fail';
  pid: number;
  argv?: string[];
  args?: Record<string, unknown>;
  signal?: string;
  code?: number;
}

interface RecordedRequest {
  pid: number;
  method: string;
  url: string;
  body: string;
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let root: string;
let recorderPath: string;
let caseCounter = 0;
/** For clean-up after a failed test: the CLI children and the stand-in logs (pids) of every case. */
const liveClis = new Set<ChildProcess>();
const serverLogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  root = await mkdtemp(join(tmpdir(), 'sextant-lmdeploy-launch-'));
  recorderPath = join(root, 'record-requests.mjs');
  await writeFile(recorderPath, recorderSource);
});

afterEach(async () => {
  for (const child of liveClis) child.kill('SIGKILL');
  liveClis.clear();
  for (const serverLog of serverLogs.splice(0)) await killLeftovers(serverLog);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A fresh folder with a config file, the stand-in's log path and the request log path. */
async function newCase(config: unknown) {
  caseCounter += 1;
  const dir = join(root, `case-${caseCounter}`);
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const serverLog = join(dir, 'lmdeploy-events.jsonl');
  serverLogs.push(serverLog);
  return { dir, configPath, workDir: join(dir, 'outputs'), serverLog, requestLog: join(dir, 'requests.jsonl') };
}

function cliEnv(paths: { serverLog: string; requestLog: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SEXTANT_') && key !== 'OPENAI_API_KEY' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return {
    ...env,
    PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
    SEXTANT_DATA_DIR: DATA_DIR,
    SEXTANT_FAKE_LMDEPLOY_LOG: paths.serverLog,
    SEXTANT_TEST_REQUEST_LOG: paths.requestLog,
    NODE_OPTIONS: `--import=${pathToFileURL(recorderPath).href}`,
    NO_COLOR: '1',
    ...extra,
  };
}

function runCli(args: string[], env: NodeJS.ProcessEnv, options: { timeoutMs?: number; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    liveClis.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 40_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      liveClis.delete(child);
      resolveRun({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
    return false;
  }
}

/** Every lmdeploy process that logged a start is gone, and (unless it failed at start) logged a stop. */
function expectAllStopped(events: LogEvent[], options: { requireStart?: boolean } = {}): void {
  const starts = events.filter((event) => event.event === 'start');
  if (options.requireStart !== false) expect(starts.length).toBeGreaterThan(0);
  for (const start of starts) {
    const ended = events.filter((event) => event.pid === start.pid && (event.event === 'stop' || event.event === 'fail'));
    expect(ended, `lmdeploy pid ${start.pid} logged no stop`).toHaveLength(1);
    expect(isAlive(start.pid), `lmdeploy pid ${start.pid} is still running`).toBe(false);
  }
}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index === -1 ? undefined : argv[index + 1];
}

/** SIGKILL any stand-in process (by the pid it logged) that is still running. */
async function killLeftovers(serverLog: string): Promise<void> {
  for (const event of await readJsonLines<LogEvent>(serverLog)) {
    if (event.event !== 'start') continue;
    try {
      process.kill(event.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

async function onlyRunDir(workDir: string): Promise<string> {
  const runs = (await readdir(workDir)).filter((entry) => /^\d{8}_\d{6}$/.test(entry));
  expect(runs).toHaveLength(1);
  return join(workDir, runs[0]!);
}

describe('lmdeploy backend launching `lmdeploy serve api_server`', () => {
  it('launches with the engine flags, evaluates 52 subjects through /v1/completions, then stops the server', async () => {
    const paths = await newCase({ datasets: ['ceval_gen'], models: [lmdeployModel] });
    const run = await runCli(['run', paths.configPath, '--limit', '1', '-w', paths.workDir], cliEnv(paths));
    expect(run.code, `stderr:\n${run.stderr}`).toBe(0);

    // Launch argv.
    const events = await readJsonLines<LogEvent>(paths.serverLog);
    const starts = events.filter((event) => event.event === 'start');
    expect(starts).toHaveLength(1);
    const start = starts[0]!;
    const argv = start.argv!;
    expect(argv.slice(0, 3)).toEqual(['serve', 'api_server', MODEL_PATH]);
    const port = flag(argv, '--server-port');
    expect(port).toMatch(/^\d+$/);
    expect(flag(argv, '--session-len')).toBe('2048');
    expect(flag(argv, '--max-batch-size')).toBe('8');
    expect(flag(argv, '--tp')).toBe('1');
    expect(flag(argv, '--rope-scaling-factor')).toBe('1');
    expect(flag(argv, '--backend')).toBe('turbomind');
    expect(argv).not.toContain('--model-name');
    // As the stand-in's argparse-style parser understood them.
    expect(start.args).toMatchObject({
      model_path: MODEL_PATH,
      server_port: Number(port),
      session_len: 2048,
      max_batch_size: 8,
      tp: 1,
      rope_scaling_factor: 1,
      backend: 'turbomind',
    });

    // Stopped at the end, and gone.
    expectAllStopped(events);
    expect(events.find((event) => event.event === 'stop')?.signal).toBe('SIGTERM');

    // Requests: one completion per subject, with the genConfig sampling settings and maxOutLen.
    const requests = await readJsonLines<RecordedRequest>(paths.requestLog);
    expect(requests.every((request) => request.pid === start.pid)).toBe(true);
    const completions = requests.filter((request) => request.method === 'POST' && request.url === '/v1/completions');
    expect(completions).toHaveLength(52);
    expect(requests.some((request) => request.url.startsWith('/v1/chat/completions'))).toBe(false);
    for (const request of completions) {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({ model: MODEL_PATH, top_k: 1, top_p: 0.8, temperature: 1, max_tokens: 100 });
      expect(typeof body.prompt).toBe('string');
      expect(body.prompt as string).toMatch(/^以下是中国关于.+考试的单项选择题，请选出其中的正确答案。\n/);
      expect((body.prompt as string).endsWith('\n答案: ')).toBe(true);
      expect(body).not.toHaveProperty('messages');
    }

    // Predictions for all 52 subjects, one sample each, origin_prompt a string (completion prompt style).
    const runDir = await onlyRunDir(paths.workDir);
    const predictionFiles = (await readdir(join(runDir, 'predictions', MODEL_ABBR))).filter((file) => file.endsWith('.json')).sort();
    expect(predictionFiles).toHaveLength(52);
    expect(predictionFiles.every((file) => file.startsWith('ceval-'))).toBe(true);
    const prompts = new Set(completions.map((request) => (JSON.parse(request.body) as { prompt: string }).prompt));
    for (const file of predictionFiles) {
      const predictions = JSON.parse(await readFile(join(runDir, 'predictions', MODEL_ABBR, file), 'utf8')) as Record<
        string,
        { origin_prompt: unknown; prediction: unknown }
      >;
      expect(Object.keys(predictions)).toEqual(['0']);
      const entry = predictions['0']!;
      expect(typeof entry.origin_prompt).toBe('string');
      expect(prompts.has(entry.origin_prompt as string)).toBe(true);
      expect(typeof entry.prediction).toBe('string');
    }
    expect(run.stdout).toMatch(/summary: .+\.csv/);
  });

  it('a server that fails at start: non-zero exit, its stderr (CUDA out of memory) reported, nothing left running', async () => {
    const paths = await newCase({ datasets: ['ceval_gen'], models: [lmdeployModel] });
    const run = await runCli(['run', paths.configPath, '--limit', '1', '-w', paths.workDir], cliEnv(paths, { SEXTANT_FAKE_LMDEPLOY_FAIL: '1' }));
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toContain('CUDA out of memory');
    expect(run.stderr).toMatch(/could not start LMDeploy's api_server/);
    const events = await readJsonLines<LogEvent>(paths.serverLog);
    expect(events.map((event) => event.event)).toEqual(['start', 'fail']);
    expectAllStopped(events);
    expect(await readJsonLines<RecordedRequest>(paths.requestLog)).toEqual([]);
  });

  it('a run interrupted after the launch (Ctrl-C while requests are in flight) still stops the server', async () => {
    const paths = await newCase({ datasets: ['ceval_gen'], models: [lmdeployModel] });
    let cli: ChildProcess | undefined;
    const running = runCli(['run', paths.configPath, '--limit', '1', '-w', paths.workDir], cliEnv(paths, { SEXTANT_FAKE_LMDEPLOY_LATENCY_MS: '20000' }), {
      onSpawn: (child) => (cli = child),
    });
    // Interrupt once the first completion request has reached the server (so the run is past the launch).
    await waitFor(async () => (await readJsonLines<RecordedRequest>(paths.requestLog)).some((request) => request.url === '/v1/completions'), 20_000);
    cli!.kill('SIGINT');
    const run = await running;
    expect(run.signal).toBeNull();
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/interrupted/);
    const events = await readJsonLines<LogEvent>(paths.serverLog);
    expect(events.filter((event) => event.event === 'start')).toHaveLength(1);
    expect(events.filter((event) => event.event === 'stop')).toHaveLength(1);
    expectAllStopped(events);
  });

  it('a failure after the launch (two models sharing an abbr) stops every launched server', async () => {
    const paths = await newCase({ datasets: ['ceval_gen'], models: [lmdeployModel, { ...lmdeployModel, path: 'internlm/internlm2-chat-1_8b' }] });
    const run = await runCli(['run', paths.configPath, '--limit', '1', '-w', paths.workDir], cliEnv(paths));
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toMatch(/share the abbr/);
    const events = await readJsonLines<LogEvent>(paths.serverLog);
    expectAllStopped(events);
    expect(await readJsonLines<RecordedRequest>(paths.requestLog).then((requests) => requests.filter((request) => request.url === '/v1/completions'))).toEqual(
      [],
    );
  });

  // Regression guard: runEvaluation closes every backend when one launch fails; a backend whose server is still
  // loading must cancel (or finish and then stop) that launch, or the server is orphaned and the CLI never exits.
  it('one of two launches failing stops the other server too, and the CLI exits', async () => {
    // The second model's command does not exist (fails at once); the first server is still loading (1.5 s) then.
    const paths = await newCase({
      datasets: ['ceval_gen'],
      models: [
        { ...lmdeployModel, abbr: 'slow-start' },
        { ...lmdeployModel, abbr: 'no-such-command', path: 'internlm/internlm2-chat-1_8b', command: join(STAND_IN_BIN, 'no-such-lmdeploy') },
      ],
    });
    const run = await runCli(['run', paths.configPath, '--limit', '1', '-w', paths.workDir], cliEnv(paths, { SEXTANT_FAKE_LMDEPLOY_STARTUP_MS: '1500' }), {
      timeoutMs: 5_000,
    });
    expect(run.stderr).toMatch(/not found on PATH/);
    expect(run.signal, 'the CLI did not exit by itself (killed after 5 s)').toBeNull();
    expect(run.code).not.toBe(0);
    // A launch cancelled very early may be stopped before the stand-in has logged its start; one that survived
    // would have logged it by now.
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const events = await readJsonLines<LogEvent>(paths.serverLog);
    expect(events.filter((event) => event.event === 'start').length).toBeLessThanOrEqual(1);
    expectAllStopped(events, { requireStart: false });
  }, 15_000);
});
