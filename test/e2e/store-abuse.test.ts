// The store and the outputs under abuse: whole runs of the real CLI (dist/cli/main.js, built beforehand with
// `npm run build`) against servers and inputs that misbehave. Each case was seen on an earlier main; each test
// reproduces it and checks the fixed behaviour: secrets never written, names never leaving the work dir, answers
// without content failing, bad data refused before any request, errors that say what they mean, Retry-After bounded
// and interruptible, unique and locked run folders, a full disk, unusable work dirs, empty numeric flags, and
// `summary/` holding exactly OpenCompass's files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAITestServer, type FaultPolicy, type OpenAITestServer, type OpenAITestServerOptions } from '../support/openai-test-server.mjs';
import { CLI, DATA_DIR, REPO_ROOT, listFiles, onlyRunDir, runCli, type CliResult } from './cli-harness.js';

const MODEL = 'sextant-abuse';
const KEY = 'sk-abuse-7f3c9a1e5d2b4c6a8e0f';
const CHAT = '/v1/chat/completions';

const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];
const mounts: string[] = [];

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-abuse-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function startServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: MODEL, ...options });
  servers.push(server);
  return server;
}

function describeRun(result: CliResult): string {
  return `exit ${result.code} signal ${result.signal} after ${Math.round(result.wallMs)} ms\nstdout:\n${result.stdout.slice(-2000)}\nstderr:\n${result.stderr.slice(-3000)}`;
}

const args = (workDir: string, apiBase: string, extra: readonly string[] = []) => [
  'run',
  '--datasets',
  'ceval_gen',
  '-w',
  workDir,
  '--api-base',
  apiBase,
  '--limit',
  '1',
  ...extra,
];

const chatRequests = (server: OpenAITestServer) => server.requests.filter((request) => request.path === CHAT).length;

/** Every file under `root` whose content contains `needle`. */
async function filesContaining(root: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await listFiles(root).catch(() => [] as string[])) {
    if ((await readFile(file, 'utf8')).includes(needle)) found.push(file);
  }
  return found;
}

/** Mount a tmpfs (we run as root in the test machine); `undefined` when mounting is not permitted here. */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const dir of mounts.splice(0).reverse()) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// ---------------------------------------------------------------------------------------------------------------

describe('secrets', () => {
  /** Runs with the key and checks that no output file, no log and no process output holds it. */
  async function runAndCheckNoKey(options: { fault: FaultPolicy; apiBase?: (server: OpenAITestServer) => string; viewer?: boolean }) {
    const server = await startServer({ fault: options.fault });
    const workDir = await tempDir('secret');
    const apiBase = options.apiBase ? options.apiBase(server) : `${server.url}/v1`;
    const result = await runCli([...args(workDir, apiBase), ...(options.apiBase ? [] : ['--api-key', KEY])], { timeoutMs: 60_000 });
    expect(`${result.stdout}\n${result.stderr}`, describeRun(result)).not.toContain(KEY);
    expect(await filesContaining(workDir, KEY)).toEqual([]);
    if (options.viewer) {
      const { startViewer } = (await import(join(REPO_ROOT, 'dist', 'api', 'index.js'))) as typeof import('../../src/api/index.js');
      const viewer = await startViewer({ workDir });
      try {
        const run = (await readdir(workDir)).find((entry) => /^\d{8}_\d{6}/.test(entry)) as string;
        const pages = [`runs/${run}`, `runs/${run}/samples/${MODEL}/ceval-computer_network`, `runs/${run}/samples/${MODEL}/ceval-computer_network/0`, ''];
        for (const page of pages) {
          const response = await fetch(`${viewer.url}${page}`);
          const text = await response.text();
          expect(text.length).toBeGreaterThan(0);
          expect(text, page).not.toContain(KEY);
        }
      } finally {
        await viewer.close();
      }
    }
    return { result, server, workDir };
  }

  const echo = (headers: Record<string, unknown>) => `invalid token: ${String(headers.authorization)}`;

  it('a 401 on /v1/models echoing the Authorization header: the run stops, the key appears nowhere', async () => {
    const { result } = await runAndCheckNoKey({
      fault: ({ endpoint, headers }) => (endpoint === 'models' ? { kind: 'status', status: 401, message: echo(headers) } : undefined),
    });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toContain('invalid token: Bearer <redacted>');
    expect(result.stderr).toMatch(/check --api-key or OPENAI_API_KEY/);
  }, 70_000);

  it('a 401 on generation echoing the header: samples fail, the message says the key; not in samples, predictions, results, logs, report, viewer', async () => {
    const { result, workDir } = await runAndCheckNoKey({
      fault: ({ endpoint, headers }) => (endpoint === 'chat' ? { kind: 'status', status: 401, message: echo(headers) } : undefined),
      viewer: true,
    });
    expect(result.code, describeRun(result)).toBe(0);
    // The 4xx message: refused, the API key, not "rerun with -r".
    expect(result.stdout).toMatch(/52 sample\(s\) were refused by the server .*52 × HTTP 401: the API key \(--api-key or OPENAI_API_KEY\) was refused/);
    expect(result.stdout).not.toMatch(/failed after retries/);
    const runDir = await onlyRunDir(workDir);
    const log = await readFile(join(runDir, 'samples', MODEL, 'ceval-computer_network.jsonl'), 'utf8');
    expect(log).toContain('invalid token: Bearer <redacted>');
    expect(await stat(join(runDir, 'report.html')).then(() => true)).toBe(true);
  }, 70_000);

  it('a 500 whose message holds the header: retried, failed; the key appears nowhere', async () => {
    const { result } = await runAndCheckNoKey({
      fault: ({ endpoint, headers }) =>
        endpoint === 'chat' ? { kind: 'status', status: 500, message: `upstream said no to ${String(headers.authorization)}` } : undefined,
    });
    // Every prompt fails: a sick server, the run stops; the message is redacted.
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toContain('upstream said no to Bearer <redacted>');
  }, 70_000);

  it('a key in the URL userinfo (http://user:KEY@host/v1): not in the log, the dumped config or the process output', async () => {
    const { result, workDir } = await runAndCheckNoKey({ fault: () => undefined, apiBase: (server) => `http://evaluser:${KEY}@127.0.0.1:${server.port}/v1` });
    expect(result.code, describeRun(result)).toBe(0);
    const runDir = await onlyRunDir(workDir);
    const log = await readFile(join(runDir, 'logs', 'infer', `${MODEL}.log`), 'utf8');
    expect(log).toContain('<redacted>@127.0.0.1');
    const configs = await readdir(join(runDir, 'configs'));
    expect(await readFile(join(runDir, 'configs', configs[0] as string), 'utf8')).not.toContain('evaluser');
  }, 70_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('paths from names', () => {
  it('a server listing the model id ../../../x writes nothing outside the work dir', async () => {
    const name = '../../../x';
    const server = await startServer({
      modelName: name,
      fault: ({ endpoint }) => (endpoint === 'models' ? { kind: 'raw', body: { object: 'list', data: [{ id: name, object: 'model' }] } } : undefined),
    });
    const root = await tempDir('names');
    const workDir = join(root, 'a', 'b', 'work');
    const result = await runCli(args(workDir, `${server.url}/v1`), { timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    // Everything the run wrote is below the work dir, under an encoded model folder.
    const outside = (await listFiles(root)).filter((file) => !file.startsWith(`${workDir}/`));
    expect(outside).toEqual([]);
    const runDir = await onlyRunDir(workDir);
    expect(await readdir(join(runDir, 'predictions'))).toEqual(['..%2F..%2F..%2Fx']);
  }, 70_000);

  it('an abbr of .. and --reuse=../outside are refused before anything is written', async () => {
    const server = await startServer();
    const root = await tempDir('abbr');
    const workDir = join(root, 'work');
    const abbr = await runCli([...args(workDir, `${server.url}/v1`), '--abbr', '..'], { timeoutMs: 30_000 });
    expect(abbr.code, describeRun(abbr)).toBe(2);
    expect(abbr.stderr).toMatch(/abbr: must not be \. or \.\./);
    await mkdir(join(root, 'outside'), { recursive: true });
    const reuse = await runCli([...args(workDir, `${server.url}/v1`), '--reuse=../outside'], { timeoutMs: 30_000 });
    expect(reuse.code, describeRun(reuse)).toBe(2);
    expect(reuse.stderr).toMatch(/--reuse: expected a run folder name such as 20240101_120000.*got "\.\.\/outside"/);
    expect(await listFiles(root)).toEqual([]);
    expect(chatRequests(server)).toBe(0);
  }, 40_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('answers that are not answers', () => {
  it('content: null and an SSE stream of only [DONE] are failed samples with their reason, not empty predictions', async () => {
    for (const variant of ['null', 'done-only'] as const) {
      const server = await startServer({
        fault: ({ endpoint }) => {
          if (endpoint !== 'chat') return undefined;
          if (variant === 'null') {
            return {
              kind: 'raw',
              body: { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'stop' }] },
            };
          }
          return { kind: 'raw', headers: { 'content-type': 'text/event-stream' }, body: 'data: [DONE]\n\n' };
        },
      });
      const workDir = await tempDir(`content-${variant}`);
      const config = join(workDir, 'config.json');
      await writeFile(config, JSON.stringify({ models: [{ type: 'openai', apiBase: `${server.url}/v1`, stream: variant === 'done-only', retry: 1 }] }));
      const result = await runCli(['run', config, '--datasets', 'ceval_gen', '-w', workDir, '--limit', '1'], { timeoutMs: 60_000 });
      const runDir = await onlyRunDir(workDir);
      if (variant === 'null') {
        const predictions = JSON.parse(await readFile(join(runDir, 'predictions', MODEL, 'ceval-computer_network.json'), 'utf8')) as Record<
          string,
          { prediction: string; error?: string }
        >;
        expect(Object.values(predictions).every((entry) => entry.error !== undefined)).toBe(true);
        // Not retryable (the same prompt gets the same answer): each sample fails after one request; the run completes.
        expect(result.code, describeRun(result)).toBe(0);
        expect(predictions['0']?.error).toMatch(/answered without content \(message\.content is null or missing, finish_reason "stop"\)/);
        expect(chatRequests(server)).toBe(52);
        expect(JSON.parse(await readFile(join(runDir, 'results', MODEL, 'ceval-computer_network.json'), 'utf8')).failed).toBe(1);
      } else {
        // A stream that carried no answer is a broken transport: retried, and a server that never answers stops the run.
        expect(result.code, describeRun(result)).toBe(1);
        expect(result.stderr).toMatch(/ended without any answer chunk \(only \[DONE\]\)/);
        // Nothing was stored as an answer.
        const logs = (await listFiles(runDir)).filter((file) => file.endsWith('.jsonl'));
        for (const log of logs) for (const line of (await readFile(log, 'utf8')).split('\n').filter(Boolean)) expect(JSON.parse(line).error).toBeDefined();
      }
    }
  }, 90_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('data that is silently wrong', () => {
  const cases: ReadonlyArray<{ name: string; content: Buffer; message: RegExp }> = [
    { name: 'empty', content: Buffer.from(''), message: /computer_network_val\.csv is empty/ },
    { name: 'header only', content: Buffer.from('id,question,A,B,C,D,answer\r\n'), message: /computer_network_val\.csv has a header but no rows/ },
    {
      name: 'duplicated header',
      content: Buffer.from('id,question,A,B,B,D,answer\r\n0,q,a,b,c,d,A\r\n'),
      message: /computer_network_val\.csv line 1: column "B" appears twice/,
    },
    {
      name: 'cut after the last comma',
      content: Buffer.from('id,question,A,B,C,D,answer\r\n0,q,a,b,c,d,A\r\n1,q,a,b,c,d,'),
      message: /computer_network_val\.csv line 3 ends with a comma and no newline/,
    },
    {
      name: 'Latin-1 bytes',
      content: Buffer.concat([Buffer.from('id,question,A,B,C,D,answer\r\n0,caf'), Buffer.from([0xe9]), Buffer.from(',a,b,c,d,A\r\n')]),
      message: /computer_network_val\.csv line 2 \(byte 33\) is not UTF-8/,
    },
  ];
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await tempDir('data');
    await cp(join(DATA_DIR, 'ceval'), join(dataDir, 'ceval'), { recursive: true });
  });

  for (const { name, content, message } of cases) {
    it(`${name}: the run fails before any request, naming the file and line`, async () => {
      const path = join(dataDir, 'ceval', 'val', 'computer_network_val.csv');
      const original = await readFile(join(DATA_DIR, 'ceval', 'val', 'computer_network_val.csv'));
      await writeFile(path, content);
      try {
        const server = await startServer();
        const workDir = await tempDir('bad-data');
        const result = await runCli([...args(workDir, `${server.url}/v1`), '--data-dir', dataDir], { timeoutMs: 30_000 });
        expect(result.code, describeRun(result)).toBe(1);
        expect(result.stderr).toMatch(message);
        expect(server.requests).toHaveLength(0);
      } finally {
        await writeFile(path, original);
      }
    }, 40_000);
  }
});

// ---------------------------------------------------------------------------------------------------------------

describe('a bad row in a later dataset (checked in the background while the first dataset is sent)', () => {
  // Two subjects after the first (ceval-computer_network) end with a comma and no newline; C-Eval's prompt names the
  // subject, so every request of the first dataset says 计算机网络 (computer network).
  const broken = ['accountant', 'teacher_qualification'];
  const content = Buffer.from('id,question,A,B,C,D,answer\r\n0,q,a,b,c,d,A\r\n1,q,a,b,c,d,');
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await tempDir('later-data');
    await cp(join(DATA_DIR, 'ceval'), join(dataDir, 'ceval'), { recursive: true });
    for (const subject of broken) await writeFile(join(dataDir, 'ceval', 'val', `${subject}_val.csv`), content);
  });

  it('stops the run: at most the first dataset is requested, every bad dataset is listed, nothing half-written', async () => {
    const server = await startServer();
    const workDir = await tempDir('later-bad');
    const limit = 5;
    const withLimit = args(workDir, `${server.url}/v1`).map((arg, index, all) => (all[index - 1] === '--limit' ? String(limit) : arg));
    const result = await runCli([...withLimit, '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toContain('2 datasets have rows that cannot be used; nothing was requested beyond ceval-computer_network, the first dataset:');
    for (const subject of broken) expect(result.stderr).toMatch(new RegExp(`${subject}_val\\.csv line 3 ends with a comma and no newline`));
    expect(result.stderr).not.toMatch(/unexpected error|interrupted|\n\s+at /);
    const requests = server.requests.filter((request) => request.path === CHAT);
    expect(requests.length).toBeLessThanOrEqual(limit);
    for (const request of requests) expect(JSON.stringify(request.body)).toContain('计算机网络');
    // No summary, no report, no temp file; nothing of any dataset but the first.
    const files = await listFiles(workDir);
    expect(files.filter((file) => file.endsWith('.tmp') || file.includes('/summary/') || file.endsWith('report.html'))).toEqual([]);
    expect(files.filter((file) => /ceval-(?!computer_network)/.test(file))).toEqual([]);
  }, 70_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('request errors say what they mean', () => {
  it('a 307 names its Location and says to fix --api-base; 404 names the route and the model', async () => {
    const server = await startServer({
      fault: ({ endpoint, requestIndex }) =>
        endpoint === 'chat'
          ? requestIndex % 2 === 0
            ? { kind: 'raw', status: 307, headers: { location: 'https://llm.example.org/v1/chat/completions' }, body: '' }
            : { kind: 'status', status: 404, message: 'Not Found' }
          : undefined,
    });
    const workDir = await tempDir('redirect');
    const result = await runCli(args(workDir, `${server.url}/v1`), { timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/HTTP 307: the server redirects \(fix --api-base to the URL it names\)/);
    expect(result.stdout).toMatch(/HTTP 404: the route or the model name was not found/);
    const log = await readFile(join(await onlyRunDir(workDir), 'logs', 'infer', `${MODEL}.log`), 'utf8');
    expect(log).toContain('a redirect to https://llm.example.org/v1/chat/completions: sextant does not follow redirects; fix --api-base');
    expect(chatRequests(server)).toBe(52);
  }, 70_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('Retry-After', () => {
  const always429 =
    (seconds: number): FaultPolicy =>
    ({ endpoint }) =>
      endpoint === 'chat' ? { kind: 'status', status: 429, retryAfterSeconds: seconds } : undefined;

  it('Retry-After: 3600 beyond the bound stops the run at once with a resumable message saying how long', async () => {
    const server = await startServer({ fault: always429(3600) });
    const workDir = await tempDir('retry-after');
    const result = await runCli(args(workDir, `${server.url}/v1`), { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(
      /asks to wait 1h00m before the next request \(HTTP 429 with Retry-After\), longer than the 5m00s sextant waits \(maxRetryWait, --max-retry-wait\)\. Finished samples are saved; continue with -r/,
    );
  }, 40_000);

  it('within the bound, the wait is announced; the first Ctrl-C cuts it short', async () => {
    const server = await startServer({ fault: always429(3600) });
    const workDir = await tempDir('sigint');
    const child = spawn(process.execPath, [CLI, ...args(workDir, `${server.url}/v1`, ['--max-retry-wait', '7200'])], {
      cwd: REPO_ROOT,
      env: { ...process.env, SEXTANT_DATA_DIR: DATA_DIR, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
    for (let waited = 0; !/asks to wait 1h00m before retrying/.test(stderr) && waited < 20_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
    expect(stderr).toMatch(/asks to wait 1h00m before retrying \(HTTP 429 with Retry-After\); waiting/);
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/interrupted/);
  }, 40_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('run folders', () => {
  it('a second process on the same run folder refuses with the holder; a stale lock (dead pid) is taken over', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolveGate) => (release = resolveGate));
    const server = await startServer({ answer: async () => (await gate, 'A') });
    const workDir = await tempDir('lock');
    const first = runCli(args(workDir, `${server.url}/v1`), { timeoutMs: 60_000 });
    for (let waited = 0; chatRequests(server) === 0 && waited < 20_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
    const runDir = await onlyRunDir(workDir);
    const holder = JSON.parse(await readFile(join(runDir, '.sextant.lock'), 'utf8')) as { pid: number; host: string };
    expect(holder.host).toBe(hostname());
    const second = await runCli([...args(workDir, `${server.url}/v1`), '-r'], { timeoutMs: 30_000 });
    expect(second.code, describeRun(second)).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${holder.pid} on ${hostname()}`);
    release?.();
    const firstResult = await first;
    expect(firstResult.code, describeRun(firstResult)).toBe(0);
    await expect(stat(join(runDir, '.sextant.lock'))).rejects.toThrow();

    // A lock left by a process that is gone (SIGKILL): reported and taken over.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => dead.on('close', done));
    await writeFile(join(runDir, '.sextant.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const resumed = await runCli([...args(workDir, `${server.url}/v1`), '-r'], { timeoutMs: 30_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stderr).toContain(`took over the stale lock of run ${runDir.split('/').at(-1)}: process ${dead.pid} on ${hostname()}`);
  }, 90_000);

  it('summary/ holds exactly OpenCompass files; the intervals file lies in sextant/', async () => {
    const server = await startServer();
    const workDir = await tempDir('summary');
    const result = await runCli(args(workDir, `${server.url}/v1`), { timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const runDir = await onlyRunDir(workDir);
    const summary = (await readdir(join(runDir, 'summary'))).sort();
    expect(summary).toHaveLength(3);
    expect(summary.map((file) => file.replace(/^summary_\d{8}_\d{6}/, 'summary_TS'))).toEqual(['summary_TS.csv', 'summary_TS.md', 'summary_TS.txt']);
    const extras = await readdir(join(runDir, 'sextant'));
    expect(extras).toEqual([summary[0]?.replace(/\.csv$/, '.intervals.csv')]);
  }, 70_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('the work dir', () => {
  it('a file, a folder under a file, or a read-only folder: says what is wrong with the path, before any request', async () => {
    const server = await startServer();
    const root = await tempDir('workdir');
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const asFile = await runCli(args(file, `${server.url}/v1`), { timeoutMs: 30_000 });
    expect(asFile.code, describeRun(asFile)).toBe(1);
    expect(asFile.stderr).toContain(`work dir ${file} is a file, not a folder`);
    const under = await runCli(args(join(file, 'sub'), `${server.url}/v1`), { timeoutMs: 30_000 });
    expect(under.code, describeRun(under)).toBe(1);
    expect(under.stderr).toContain(`work dir ${join(file, 'sub')} cannot be created: ${file} is a file, not a folder`);
    for (const result of [asFile, under]) expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    // Read-only for root too: a read-only mount (permission bits do not stop root).
    const readOnly = join(root, 'ro');
    await mkdir(readOnly);
    if (mountTmpfs(readOnly, 'ro,size=64k')) {
      const result = await runCli(args(readOnly, `${server.url}/v1`), { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(1);
      expect(result.stderr).toContain(`work dir ${readOnly} is not writable: it is on a read-only file system`);
    }
    expect(server.requests).toHaveLength(0);
  }, 60_000);

  it('a full disk: one clear message (file, space), no temp files, and the run resumes with -r', async (context) => {
    const root = await tempDir('full');
    const mountPoint = join(root, 'disk');
    await mkdir(mountPoint);
    // Room for the run folder and some sample logs, not for the whole run.
    if (!mountTmpfs(mountPoint, 'size=96k')) {
      context.skip();
      return;
    }
    const server = await startServer();
    const workDir = join(mountPoint, 'work');
    const full = await runCli(args(workDir, `${server.url}/v1`, ['--limit', '3']), { timeoutMs: 60_000 });
    expect(full.code, describeRun(full)).toBe(1);
    expect(full.stderr).toMatch(
      /no space left on the device writing \/.+ \(\d+(\.\d)? (B|KiB) free there, \d+(\.\d)? (B|KiB) to write\)\. Finished samples are saved: free some space, then continue with -r\./,
    );
    expect(full.stderr).not.toMatch(/unexpected error|\n\s+at /);
    const runDir = await onlyRunDir(workDir);
    const files = await listFiles(runDir);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    // No empty sample log is left behind.
    for (const file of files.filter((entry) => entry.endsWith('.jsonl'))) expect((await stat(file)).size).toBeGreaterThan(0);
    execFileSync('mount', ['-o', 'remount,size=8m', mountPoint]);
    const resumed = await runCli([...args(workDir, `${server.url}/v1`, ['--limit', '3']), '-r'], { timeoutMs: 60_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(await onlyRunDir(workDir)).toBe(runDir);
    expect(resumed.stdout).not.toMatch(/failed/);
  }, 130_000);
});

// ---------------------------------------------------------------------------------------------------------------

describe('numeric flags', () => {
  it('--limit "" is an error, not "no limit"', async () => {
    const server = await startServer();
    const workDir = await tempDir('limit');
    for (const flag of [['--limit', ''], ['--limit='], ['--concurrency', ''], ['--max-retry-wait', '']]) {
      const result = await runCli(['run', '--datasets', 'ceval_gen', '-w', workDir, '--api-base', `${server.url}/v1`, ...flag], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toMatch(/--(limit|concurrency|max-retry-wait): expected .*got an empty value/);
    }
    expect(server.requests).toHaveLength(0);
  }, 60_000);
});
