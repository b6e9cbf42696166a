import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError } from '../spec/index.js';

const run = promisify(execFile);

/** A Python interpreter, resolved to its real executable (past pyenv/asdf shims) and installation prefixes. */
export interface PythonInterpreter {
  /** The real executable (`sys.executable`). */
  readonly executable: string;
  /** `sys.prefix` and `sys.base_prefix`: what a sandbox must make readable for the interpreter to start. */
  readonly prefixes: readonly string[];
  /** `sys.version`, first word (`3.11.7`). */
  readonly version: string;
  /** How it was chosen: `--python`, `SEXTANT_PYTHON` or `PATH`. */
  readonly source: 'option' | 'SEXTANT_PYTHON' | 'PATH';
}

const probe = 'import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, sys.version.split()[0]]))';

/**
 * The interpreter programs run with: `python` (from `--python`), else `SEXTANT_PYTHON`, else `python3` on PATH.
 * Fails with a `ConfigError` naming what was tried when none starts.
 */
export async function resolvePython(options: { python?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PythonInterpreter> {
  const env = options.env ?? process.env;
  const [command, source] =
    options.python !== undefined
      ? [options.python, 'option' as const]
      : env.SEXTANT_PYTHON
        ? [env.SEXTANT_PYTHON, 'SEXTANT_PYTHON' as const]
        : ['python3', 'PATH' as const];
  try {
    const { stdout } = await run(command, ['-c', probe], { env, timeout: 30_000 });
    const [executable, prefix, basePrefix, version] = JSON.parse(stdout.trim()) as [string, string, string, string];
    return { executable, prefixes: [...new Set([prefix, basePrefix])], version, source };
  } catch (error) {
    const tried = source === 'option' ? `--python ${command}` : source === 'SEXTANT_PYTHON' ? `SEXTANT_PYTHON=${command}` : '`python3` on PATH';
    throw new ConfigError({
      field: '--python',
      message: `no Python interpreter to run programs with: ${tried} did not start (${(error as Error).message.split('\n')[0]}); install python3 or name one with --python PATH or SEXTANT_PYTHON`,
      cause: error,
    });
  }
}
