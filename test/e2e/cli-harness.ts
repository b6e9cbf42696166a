// Running the built sextant CLI as a child process (asynchronously, so the in-process test server keeps
// answering), plus small file-system helpers for inspecting run folders.
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(E2E_DIR, '..', '..');
/** `../shared/data` relative to /work/main. */
export const DATA_DIR = resolve(REPO_ROOT, '..', 'shared', 'data');
export const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Run `node dist/cli/main.js ...args` (in `cwd`, default the repository); resolves when the process exits (killed after timeoutMs). */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'OPENAI_API_KEY' && key !== 'SEXTANT_DATA_DIR') env[key] = value;
  }
  Object.assign(env, { SEXTANT_DATA_DIR: DATA_DIR, NO_COLOR: '1' }, options.env ?? {});
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP listener that answers nothing: it counts connection attempts and drops them (a "stopped" model server). */
export async function startConnectionCounter(): Promise<{ port: number; readonly connections: number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

const runFolder = /^\d{8}_\d{6}(?:_\d+)?$/;

/** The only run folder (`<YYYYmmdd_HHMMSS>`) under a work dir. */
export async function onlyRunDir(workDir: string): Promise<string> {
  const runs = (await readdir(workDir)).filter((entry) => runFolder.test(entry));
  if (runs.length !== 1) throw new Error(`expected one run folder in ${workDir}, found ${JSON.stringify(runs)}`);
  return join(workDir, runs[0] as string);
}

/** Every file below a folder (recursive), as absolute paths. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function readJson<T = any>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The summary CSV path printed on stdout (`summary: <path>`). */
export function summaryPathFromStdout(stdout: string): string {
  const match = /^summary: (.+\.csv)$/m.exec(stdout);
  if (!match) throw new Error(`no "summary: <path>" line in stdout:\n${stdout}`);
  return match[1] as string;
}
