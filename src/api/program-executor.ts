import type { ResolvedConfig } from '../config/index.js';
import { createExecutionPool, detectIsolation, type ExecutionPool, type Isolation } from '../sandbox/index.js';
import type { ProgramRun, ProgramRunOutcome } from '../spec/index.js';

/** What the eval stage hands an evaluator that runs programs. */
export interface ProgramExecution {
  readonly execute: (run: ProgramRun) => Promise<ProgramRunOutcome>;
  readonly isolation: string;
}

/**
 * The run's sandbox. Isolation is detected when an evaluator first needs it (without bubblewrap: one warning that
 * says what is missing); the interpreter (`--python`, `SEXTANT_PYTHON`, `python3`) and the pool of `--exec-workers`
 * are made on the first program actually run, so re-scoring from stored outcomes needs no Python at all.
 */
export function programExecutor(options: { resolved: ResolvedConfig; env?: NodeJS.ProcessEnv; warn: (message: string) => void }): {
  get(): Promise<ProgramExecution>;
} {
  let isolation: Promise<Isolation> | undefined;
  let pool: Promise<ExecutionPool> | undefined;
  const { execution } = options.resolved;
  const execute = async (run: ProgramRun): Promise<ProgramRunOutcome> => {
    pool ??= createExecutionPool({
      ...(execution.python !== undefined ? { python: execution.python } : {}),
      ...(execution.workers !== undefined ? { workers: execution.workers } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    return (await pool).run(run.program, { timeoutMs: run.timeoutMs });
  };
  return {
    async get() {
      isolation ??= detectIsolation(options.env ? { env: options.env } : {}).then((detected) => {
        if (detected.level !== 'bubblewrap')
          options.warn(`programs run without bubblewrap: no ${detected.missing.join(', no ')}; only rlimits and a private temp dir`);
        return detected;
      });
      return { execute, isolation: (await isolation).level };
    },
  };
}
