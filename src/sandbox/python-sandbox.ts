import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxBootstrap } from './sandbox-bootstrap.js';
import { namespaceFlags, type Isolation } from './detect-isolation.js';
import type { PythonInterpreter } from './resolve-python.js';

/** Limits of one program run. */
export interface ProgramLimits {
  /**
   * Time limit inside the process (a SIGALRM timer around `exec`, as human-eval's and OpenCompass's MBPP runner
   * arm): the program stops with status `timeout`.
   */
  readonly timeoutMs: number;
  /** Extra wall-clock time before the whole process group is killed (human-eval waits 1 s). @default 1000 */
  readonly graceMs?: number;
  /** CPU-time limit in seconds (RLIMIT_CPU), a backstop behind the alarm. @default ceil(timeoutMs / 1000) + 2 */
  readonly cpuSeconds?: number;
  /** Address-space limit in bytes (RLIMIT_AS). @default 2 GiB */
  readonly memoryBytes?: number;
  /** Largest file the program may write, and the work dir's size under bubblewrap. @default 16 MiB */
  readonly fileBytes?: number;
  /** Processes the program's uid may have (RLIMIT_NPROC; only where it runs as an unprivileged uid). @default 64 */
  readonly processes?: number;
  /** Bytes of stdout and of stderr kept. @default 16 KiB */
  readonly outputBytes?: number;
}

/** What happened to one program. */
export interface ProgramOutcome {
  /**
   * `passed`: ran to the end. `failed`: raised (`errorType`, `errorMessage` = Python's `str(error)`).
   * `timeout`: stopped by the time limit (or killed at the wall-clock limit). `no-report`: ended without reporting
   * (`os._exit`, a signal), which human-eval counts as timed out.
   */
  readonly status: 'passed' | 'failed' | 'timeout' | 'no-report';
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Output beyond `outputBytes` was dropped. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

const nobody = 65_534;

/** Runs untrusted Python programs, one fresh process each, with the isolation detected at start. */
export class PythonSandbox {
  readonly interpreter: PythonInterpreter;
  readonly isolation: Isolation;

  constructor(options: { interpreter: PythonInterpreter; isolation: Isolation }) {
    this.interpreter = options.interpreter;
    this.isolation = options.isolation;
  }

  /** Run `program` with `exec` in fresh globals; never throws for anything the program does. */
  async run(program: string, limits: ProgramLimits): Promise<ProgramOutcome> {
    const workDir = await mkdtemp(join(tmpdir(), 'sextant-sandbox-'));
    try {
      return await this.runIn(workDir, program, limits);
    } finally {
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async runIn(workDir: string, program: string, limits: ProgramLimits): Promise<ProgramOutcome> {
    const dropToNobody = process.getuid?.() === 0;
    const fileBytes = limits.fileBytes ?? 16 * 1024 * 1024;
    const rlimits: Record<string, number> = {
      RLIMIT_CPU: limits.cpuSeconds ?? Math.ceil(limits.timeoutMs / 1000) + 2,
      RLIMIT_AS: limits.memoryBytes ?? 2 * 1024 ** 3,
      RLIMIT_FSIZE: fileBytes,
      RLIMIT_CORE: 0,
    };
    const bubblewrap = this.isolation.level === 'bubblewrap';
    // RLIMIT_NPROC binds only a non-root uid: under bubblewrap as root the program runs as nobody.
    if (!dropToNobody || bubblewrap) rlimits.RLIMIT_NPROC = limits.processes ?? 64;
    const python = [this.interpreter.executable, '-I', '-c', sandboxBootstrap];
    const command = bubblewrap ? this.bubblewrapCommand({ python, fileBytes, dropToNobody }) : python;
    const token = randomBytes(16).toString('hex');
    const started = Date.now();
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: workDir,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: bubblewrap ? '/tmp' : workDir, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const outputBytes = limits.outputBytes ?? 16 * 1024;
    const stdout = collect(child.stdout, outputBytes);
    const stderr = collect(child.stderr, outputBytes);
    const report = collect(child.stdio[3] as NodeJS.ReadableStream, 64 * 1024);
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify({ token, alarm: limits.timeoutMs / 1000, limits: rlimits })}\n${program}`);
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        killGroup(child.pid);
      },
      limits.timeoutMs + (limits.graceMs ?? 1000),
    );
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.on('error', () => resolve({ code: null, signal: null }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timer);
    killGroup(child.pid);
    const outcome = parseReport(report.text(), token);
    return {
      status: outcome ? outcome.status : timedOut ? 'timeout' : 'no-report',
      ...(outcome?.errorType !== undefined ? { errorType: outcome.errorType } : {}),
      ...(outcome?.errorMessage !== undefined ? { errorMessage: outcome.errorMessage } : {}),
      exitCode: exit.code,
      signal: exit.signal,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated() || stderr.truncated(),
      durationMs: Date.now() - started,
    };
  }

  private bubblewrapCommand(options: { python: readonly string[]; fileBytes: number; dropToNobody: boolean }): string[] {
    const readOnly = ['/usr', '/bin', '/lib', '/lib64', '/lib32', '/sbin', '/etc/alternatives', '/etc/ld.so.cache', '/etc/localtime'];
    const binds = readOnly.flatMap((path) => ['--ro-bind-try', path, path]);
    const interpreterBinds = this.interpreter.prefixes.flatMap((prefix) => ['--ro-bind', prefix, prefix]);
    const user = options.dropToNobody ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'] : [];
    return [
      this.isolation.bwrap ?? 'bwrap',
      ...namespaceFlags({ asRoot: options.dropToNobody }),
      ...binds,
      ...interpreterBinds,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--size',
      String(options.fileBytes),
      '--perms',
      '1777',
      '--tmpfs',
      '/tmp',
      '--chdir',
      '/tmp',
      '--setenv',
      'HOME',
      '/tmp',
      '--',
      ...user,
      ...options.python,
    ];
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function collect(stream: NodeJS.ReadableStream, limit: number): { text(): string; truncated(): boolean } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = false;
  stream.on('data', (chunk: Buffer) => {
    if (kept >= limit) {
      dropped = true;
      return;
    }
    const piece = chunk.subarray(0, limit - kept);
    if (piece.length < chunk.length) dropped = true;
    chunks.push(piece);
    kept += piece.length;
  });
  stream.on('error', () => undefined);
  return { text: () => Buffer.concat(chunks).toString('utf8'), truncated: () => dropped };
}

function parseReport(text: string, token: string): { status: 'passed' | 'failed' | 'timeout'; errorType?: string; errorMessage?: string } | undefined {
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const parsed = JSON.parse(line) as { token?: string; status?: string; type?: string; message?: string };
      if (parsed.token !== token || (parsed.status !== 'passed' && parsed.status !== 'failed' && parsed.status !== 'timeout')) continue;
      return {
        status: parsed.status,
        ...(parsed.type !== undefined ? { errorType: parsed.type } : {}),
        ...(parsed.message !== undefined ? { errorMessage: parsed.message } : {}),
      };
    } catch {
      // A program may have written junk to the report descriptor; ignore it.
    }
  }
  return undefined;
}
