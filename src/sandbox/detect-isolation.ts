import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How programs are isolated. `bubblewrap`: fresh PID, network, IPC and UTS namespaces, a read-only view of the
 * system directories and the interpreter, a size-limited tmpfs work dir, and (as root) an unprivileged uid, plus
 * rlimits. `rlimits`: resource limits and a private temp dir only — the program can read the host, reach the
 * network and see other processes.
 */
export type IsolationLevel = 'bubblewrap' | 'rlimits';

export interface Isolation {
  readonly level: IsolationLevel;
  /** The `bwrap` executable, for `bubblewrap`. */
  readonly bwrap?: string;
  /** What is missing, in words, for `rlimits` (empty for `bubblewrap`). */
  readonly missing: readonly string[];
}

/** Isolation available here: bubblewrap when `bwrap` is on PATH and can create its namespaces, else rlimits only. */
export async function detectIsolation(options: { env?: NodeJS.ProcessEnv } = {}): Promise<Isolation> {
  const env = options.env ?? process.env;
  try {
    await run('bwrap', [...namespaceFlags({ asRoot: process.getuid?.() === 0 }), '--ro-bind', '/', '/', '--', 'true'], { env, timeout: 10_000 });
    return { level: 'bubblewrap', bwrap: 'bwrap', missing: [] };
  } catch {
    return {
      level: 'rlimits',
      missing: [
        'filesystem isolation (the host is readable)',
        'network isolation',
        "process isolation (install Debian's bubblewrap: apt-get install bubblewrap)",
      ],
    };
  }
}

/**
 * The namespaces a sandbox unshares. As root no user namespace is made (the program is run as the real
 * unprivileged uid `nobody` instead, which RLIMIT_NPROC binds); otherwise bubblewrap needs one.
 */
export function namespaceFlags(options: { asRoot: boolean }): string[] {
  return [
    ...(options.asRoot ? [] : ['--unshare-user']),
    '--unshare-ipc',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
  ];
}
