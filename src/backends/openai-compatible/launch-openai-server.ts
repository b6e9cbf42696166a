import { BackendUnavailableError } from '../../spec/index.js';
import { formatCommandLine } from '../../utils/command-line.js';
import { findFreePort, launchServer, type ServerProcess } from '../../utils/server-process.js';
import { OpenAICompatibleBackend } from './openai-compatible-backend.js';

export interface LaunchOpenAIServerOptions {
  /** The executable, looked up on PATH (e.g. `lmdeploy`, `vllm`). */
  readonly command: string;
  /** The arguments for a server listening on 127.0.0.1:`port` (a free port chosen here). */
  readonly args: (port: number) => readonly string[];
  /** The server's name in error messages, e.g. "LMDeploy's api_server". */
  readonly serverName: string;
  /** Advice shown when `command` is not on PATH, e.g. "install vLLM, or give apiBase for a running server". */
  readonly installHint: string;
  /** How long the server may take to answer `GET /v1/models`. */
  readonly timeoutMs: number;
  /** Bearer token the server expects (used by the readiness probe; passing it to the server is the caller's job). */
  readonly apiKey?: string;
  /** The child's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Every line the server prints (stdout and stderr). */
  readonly onOutput?: (line: string) => void;
  /** Cancels the launch: a child still loading is stopped, and the launch rejects. */
  readonly signal?: AbortSignal;
}

export interface LaunchedOpenAIServer {
  /** `http://127.0.0.1:<port>` (no `/v1`). */
  readonly apiBase: string;
  readonly port: number;
  /** The command line that started it, e.g. `lmdeploy serve api_server … --server-port 40123` (no secrets: keys travel in the environment or not at all). */
  readonly commandLine: string;
  /** The child; the caller owns it and must `stop()` it. */
  readonly process: ServerProcess;
}

/**
 * Launch an OpenAI-compatible server child on a free local port and wait until `GET /v1/models` answers. Failures
 * become a {@link BackendUnavailableError}: a missing executable says "not found on PATH"; a child that exits or
 * never gets ready is stopped, and the message ends with the tail of its stderr. Aborting `signal` stops a child
 * that is still loading.
 */
export async function launchOpenAIServer(options: LaunchOpenAIServerOptions): Promise<LaunchedOpenAIServer> {
  const { signal } = options;
  const cancelled = () => new BackendUnavailableError({ message: `the launch of ${options.serverName} was cancelled` });
  if (signal?.aborted) throw cancelled();
  const port = await findFreePort();
  const apiBase = `http://127.0.0.1:${port}`;
  const probe = new OpenAICompatibleBackend({
    apiBase,
    promptKind: 'text',
    connectTimeoutMs: 1000,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const args = options.args(port);
  let process: ServerProcess;
  try {
    process = await launchServer({
      command: options.command,
      args,
      timeoutMs: options.timeoutMs,
      isReady: async () => {
        // On cancel, report ready at once: launchServer then hands back the child, which is stopped below.
        if (signal?.aborted) return true;
        await probe.doStart(signal ? { signal } : {});
        return true;
      },
      ...(options.env ? { env: options.env } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
  } catch (error) {
    const message = (error as Error).message;
    throw new BackendUnavailableError({
      // Node's spawn error reads "spawn <command> ENOENT"; a server's own ENOENT (a missing model file) is not this.
      message: message.includes(`spawn ${options.command} ENOENT`)
        ? `cannot launch \`${options.command}\`: not found on PATH (${options.installHint})`
        : `could not start ${options.serverName}: ${message}`,
      cause: error,
    });
  } finally {
    await probe.doClose();
  }
  if (signal?.aborted) {
    await process.stop();
    throw cancelled();
  }
  return { apiBase, port, commandLine: formatCommandLine(options.command, args), process };
}

/**
 * The one server a backend launches: `start` launches it, `stop` stops it — also while it is still loading (so a
 * run that fails elsewhere during start-up leaves nothing running). Safe to stop twice; startable again after a stop.
 */
export class OpenAIServerLauncher {
  private server: ServerProcess | undefined;
  private launchedWith: string | undefined;
  private abort: AbortController | undefined;
  private starting: Promise<unknown> | undefined;

  /** The child's pid while it runs. */
  get pid(): number | undefined {
    return this.server?.pid;
  }

  /** The command line of the running server (see {@link LaunchedOpenAIServer.commandLine}). */
  get commandLine(): string | undefined {
    return this.server ? this.launchedWith : undefined;
  }

  /** Launch; resolves with the API base once the server answers. `options.signal` (e.g. Ctrl-C) cancels too. */
  async start(options: LaunchOpenAIServerOptions): Promise<string> {
    const abort = new AbortController();
    this.abort = abort;
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const launching = launchOpenAIServer({ ...options, signal });
    this.starting = launching.catch(() => undefined);
    const launched = await launching;
    this.server = launched.process;
    this.launchedWith = launched.commandLine;
    return launched.apiBase;
  }

  /** Stop the server, cancelling a launch in progress; resolves once the child has exited. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.starting;
    const server = this.server;
    this.server = undefined;
    this.abort = undefined;
    this.starting = undefined;
    await server?.stop();
  }
}
