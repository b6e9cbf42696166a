import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A server child process sextant launched, and how to stop it. */
export interface ServerProcess {
  readonly pid: number | undefined;
  /** The last lines the child wrote to stderr (for error messages). */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the child has exited. Safe to call twice. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Start `command args…` and wait until `isReady()` resolves true (polled), the child exits (rejects with its
 * stderr), or `timeoutMs` passes (stops the child, rejects). The caller owns the returned process and must stop it.
 */
export async function launchServer(options: {
  command: string;
  args: readonly string[];
  isReady: () => Promise<boolean>;
  timeoutMs: number;
  pollIntervalMs?: number;
  env?: NodeJS.ProcessEnv;
  onOutput?: (line: string) => void;
}): Promise<ServerProcess> {
  const child = spawn(options.command, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const process_ = wrapChild(child, options.onOutput);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', (error) => resolveExit({ code: null, signal: null, error }));
  });
  const commandLine = [options.command, ...options.args].join(' ');
  const deadline = Date.now() + options.timeoutMs;
  let exit: Awaited<typeof exited> | undefined;
  void exited.then((value) => (exit = value));
  while (Date.now() < deadline) {
    if (exit) {
      const reason = exit.error ? exit.error.message : `exited with ${exit.signal ?? `code ${exit.code}`}`;
      throw new Error(`\`${commandLine}\` ${reason} before it was ready.${formatTail(process_.stderrTail())}`);
    }
    if (await options.isReady().catch(() => false)) return process_;
    await delay(options.pollIntervalMs ?? 250);
  }
  await process_.stop();
  throw new Error(`\`${commandLine}\` was not ready after ${Math.round(options.timeoutMs / 1000)} s; stopped it.${formatTail(process_.stderrTail())}`);
}

function wrapChild(child: ChildProcess, onOutput?: (line: string) => void): ServerProcess {
  const tail: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null, keep: boolean) => {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        onOutput?.(line);
        if (keep) {
          tail.push(line);
          if (tail.length > 20) tail.shift();
        }
      }
    });
  };
  collect(child.stdout, false);
  collect(child.stderr, true);
  const exitedPromise = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    child.once('exit', () => resolveExit());
    child.once('error', () => resolveExit());
  });
  return {
    pid: child.pid,
    stderrTail: () => tail.join('\n'),
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 5000);
        await exitedPromise;
        clearTimeout(timer);
      }
    },
  };
}

function formatTail(tail: string): string {
  return tail.trim() ? `\nIts stderr ended with:\n${tail.trim()}` : '';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}
