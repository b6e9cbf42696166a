import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { detectIsolation } from './detect-isolation.js';
import { PythonSandbox, type ProgramLimits, type ProgramOutcome } from './python-sandbox.js';
import { resolvePython } from './resolve-python.js';

/** Programs run in parallel up to `workers`, independently of how many requests the model has in flight. */
export interface ExecutionPool {
  readonly sandbox: PythonSandbox;
  readonly workers: number;
  run(program: string, limits: ProgramLimits): Promise<ProgramOutcome>;
}

/**
 * A sandbox with its interpreter and isolation resolved once, and a limit of `workers` programs at a time
 * (`--exec-workers`; default: the core count).
 */
export async function createExecutionPool(options: { python?: string; workers?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExecutionPool> {
  const [interpreter, isolation] = await Promise.all([
    resolvePython({ ...(options.python !== undefined ? { python: options.python } : {}), ...(options.env ? { env: options.env } : {}) }),
    detectIsolation(options.env ? { env: options.env } : {}),
  ]);
  const sandbox = new PythonSandbox({ interpreter, isolation });
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`exec workers must be a positive integer, got ${workers}`);
  const limit = pLimit(workers);
  return { sandbox, workers, run: (program, limits) => limit(() => sandbox.run(program, limits)) };
}
