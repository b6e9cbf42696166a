import { redactText, type RunReporter } from '../spec/index.js';

/** Calls a hook on every reporter. Strings in the event (messages, URLs) reach reporters with secrets redacted. */
export function notifyReporters<Hook extends keyof RunReporter>(
  reporters: readonly RunReporter[],
  hook: Hook,
  ...args: Parameters<NonNullable<RunReporter[Hook]>>
): void {
  const safeArgs = args.map(redactStrings) as typeof args;
  for (const reporter of reporters) {
    const handler = reporter[hook] as ((...handlerArgs: typeof args) => void) | undefined;
    handler?.apply(reporter, safeArgs);
  }
}

function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value, { urls: true });
  if (Array.isArray(value)) return value.map(redactStrings);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, redactStrings(entry)]));
  }
  return value;
}
