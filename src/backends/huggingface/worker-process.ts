import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BackendUnavailableError } from '../../spec/index.js';

/** The protocol version this side speaks (docs/decisions/2026-12-01-huggingface-worker-protocol.md). */
export const workerProtocolVersion = 1;

/** What a worker reports when it starts: its interpreter, libraries and the GPUs it sees. */
export interface WorkerHello {
  readonly type: 'hello';
  readonly protocol: number;
  readonly pid: number;
  readonly python: string;
  readonly pythonExecutable: string;
  readonly torch: string;
  readonly transformers: string;
  readonly cuda: string | null;
  readonly cudaVisibleDevices: string | null;
  readonly gpus: ReadonlyArray<{ readonly index: number; readonly name: string; readonly memoryMiB: number }>;
}

/** A worker's failure of one message: `oom` (CUDA out of memory), `not-in-cache`, `bad-request`, `load`, `internal`. */
export interface WorkerFailure {
  readonly kind: string;
  readonly message: string;
}

/** The worker process died (exit, signal) while a message was outstanding. */
export class WorkerExitedError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

/** A worker's `error` reply. */
export class WorkerReplyError extends Error {
  constructor(readonly failure: WorkerFailure) {
    super(failure.message);
  }
}

const stderrLines = 40;

/**
 * One worker child process speaking JSON lines over stdio: start it, wait for its hello, send messages and await
 * their replies by id. It knows nothing of batching or restarts (the backend decides those).
 */
export class WorkerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (outputs: unknown) => void; reject: (error: Error) => void }>();
  private readonly stderr: string[] = [];
  private exitError: WorkerExitedError | undefined;
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
    onStderr: ((line: string) => void) | undefined,
    private readonly onHello: (hello: WorkerHello) => void,
    private readonly onFatal: (failure: WorkerFailure & { python?: string }) => void,
  ) {
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > stderrLines) this.stderr.shift();
      onStderr?.(`${label}: ${line}`);
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.onLine(line));
    this.exited = new Promise((resolveExit) => {
      const finish = (reason: string) => {
        // Give stderr's last lines a moment to arrive before they go into the message.
        setTimeout(() => {
          this.exitError ??= new WorkerExitedError(`${label} ${reason}`, this.stderrTail());
          for (const { reject } of this.pending.values()) reject(this.exitError);
          this.pending.clear();
          resolveExit();
        }, 50);
      };
      child.once('exit', (code, signal) => finish(signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (error) => finish(`could not run: ${error.message}`));
    });
  }

  /**
   * Spawn `python script` and wait for its hello. Throws {@link BackendUnavailableError} when the interpreter does not
   * exist, lacks torch/transformers, speaks another protocol version, or exits first.
   */
  static async start(options: {
    python: string;
    script: string;
    env: NodeJS.ProcessEnv;
    label: string;
    onStderr?: (line: string) => void;
  }): Promise<{ worker: WorkerProcess; hello: WorkerHello }> {
    const child = spawn(options.python, ['-u', options.script], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (error) => (spawnError = error));
    return new Promise((resolveStart, rejectStart) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        action();
      };
      const worker = new WorkerProcess(
        child,
        options.label,
        options.onStderr,
        (hello) =>
          settle(() => {
            if (hello.protocol !== workerProtocolVersion) {
              worker.kill();
              rejectStart(
                new BackendUnavailableError({
                  message: `${options.script} speaks worker protocol ${hello.protocol}, this sextant speaks ${workerProtocolVersion}: reinstall sextant`,
                }),
              );
            } else resolveStart({ worker, hello });
          }),
        (fatal) => settle(() => rejectStart(new BackendUnavailableError({ message: `the HuggingFace worker cannot start: ${fatal.message}` }))),
      );
      void worker.exited.then(() =>
        settle(() => {
          if (spawnError?.code === 'ENOENT') {
            rejectStart(
              new BackendUnavailableError({
                message: `the HuggingFace worker needs Python, and "${options.python}" was not found; give --python PATH (or set SEXTANT_PYTHON) to a Python with torch and transformers`,
              }),
            );
            return;
          }
          const reason = spawnError ? `could not run ${options.python}: ${spawnError.message}` : (worker.exitError?.message ?? 'exited');
          rejectStart(
            new BackendUnavailableError({
              message: `the HuggingFace worker (${options.python} ${options.script}) ${reason} before it said hello.${formatTail(worker.stderrTail())}`,
            }),
          );
        }),
      );
    });
  }

  /** Send one message (an id is added) and await its reply's outputs; rejects with a reply or exit error. */
  request<Outputs>(message: Record<string, unknown>): Promise<Outputs> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<Outputs>((resolveReply, rejectReply) => {
      this.pending.set(id, { resolve: resolveReply as (outputs: unknown) => void, reject: rejectReply });
      this.child.stdin?.write(`${JSON.stringify({ ...message, id })}\n`);
    });
  }

  get alive(): boolean {
    return this.exitError === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  stderrTail(): string {
    return this.stderr.join('\n');
  }

  /** Ask the worker to exit; kill it if it has not after `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    if (!this.alive) return this.exited;
    this.child.stdin?.end(`${JSON.stringify({ type: 'shutdown' })}\n`);
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private onLine(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.stderr.push(`(stdout) ${line}`);
      return;
    }
    switch (message.type) {
      case 'hello':
        this.onHello(message as unknown as WorkerHello);
        return;
      case 'fatal':
        this.onFatal(message as unknown as WorkerFailure);
        return;
      case 'result':
      case 'loaded':
      case 'error': {
        const waiter = this.pending.get(message.id as number);
        if (!waiter) return;
        this.pending.delete(message.id as number);
        if (message.type === 'error') waiter.reject(new WorkerReplyError(message.error as WorkerFailure));
        else waiter.resolve(message.type === 'loaded' ? message.info : message.outputs);
        return;
      }
      default:
        this.stderr.push(`(unknown reply) ${line}`);
    }
  }
}

export function formatTail(tail: string): string {
  return tail.trim() ? `\nIts stderr ended:\n${tail.trim()}` : '';
}
