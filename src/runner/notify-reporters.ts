import type { RunReporter } from '../spec/index.js';

/** Calls a hook on every reporter. */
export function notifyReporters<Hook extends keyof RunReporter>(
  reporters: readonly RunReporter[],
  hook: Hook,
  ...args: Parameters<NonNullable<RunReporter[Hook]>>
): void {
  for (const reporter of reporters) {
    const handler = reporter[hook] as ((...handlerArgs: typeof args) => void) | undefined;
    handler?.apply(reporter, args);
  }
}
