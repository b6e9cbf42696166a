// The run's own modules, not api/index.js: that would load compare, audit, viewer and list code a run never uses.
import { formatPlan } from '../api/format-plan.js';
import { runEvaluation, type FailureCounts, type RunMode } from '../api/run-evaluation.js';
import { defaults, loadConfigFileWithWarnings, type ConfigOverrides, type ConfigWarning, type UserConfig } from '../config/index.js';
import { ConsoleReporter } from '../report/console-reporter.js';
import { enableHeapRelease } from '../utils/release-heap.js';

/** `sextant run`: load the config, run, print the summary. Returns the exit code. */
export async function executeRun(options: {
  configPath?: string;
  overrides: ConfigOverrides;
  mode: RunMode;
  reuse?: string;
  debug: boolean;
  dryRun: boolean;
  estimate?: boolean;
}): Promise<number> {
  const loaded: { config: UserConfig; warnings: readonly ConfigWarning[] } = options.configPath
    ? await loadConfigFileWithWarnings(options.configPath)
    : { config: {}, warnings: [] };
  const config = loaded.config;
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ninterrupted: finishing samples in flight (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  // A full GC between the run's phases keeps the suite's peak RSS down (BENCHMARKS.md, "Suite scale").
  enableHeapRelease();
  try {
    const result = await runEvaluation({
      config,
      overrides: options.overrides,
      ...(options.configPath ? { configSource: options.configPath } : {}),
      configWarnings: loaded.warnings,
      mode: options.mode,
      ...(options.reuse ? { reuse: options.reuse } : {}),
      debug: options.debug,
      dryRun: options.dryRun,
      ...(options.estimate ? { estimate: true } : {}),
      signal: controller.signal,
      reporters: [new ConsoleReporter({ stream: process.stderr, debug: options.debug, intervalMs: defaults.progressIntervalMs })],
    });
    if (result.plan) {
      process.stdout.write(formatPlan(result));
      for (const launch of result.launches ?? []) process.stdout.write(`would launch (${launch.model}): ${launch.commandLine}\n`);
      return 0;
    }
    if (result.summaryText) process.stdout.write(`${result.summaryText.tabulate}\n`);
    const failed = Object.entries(result.failed).filter(([, count]) => count > 0);
    for (const [model, count] of failed) process.stdout.write(describeFailures(model, count, result.failureKinds?.[model]));
    if (result.summaryFiles) process.stdout.write(`summary: ${result.summaryFiles.csv}\n`);
    if (result.reportFile) process.stdout.write(`report: ${result.reportFile}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** What the failed samples of one model mean and what to do about them (a request error is not fixed by -r). */
function describeFailures(model: string, count: number, kinds: FailureCounts | undefined): string {
  const scored = 'scored as wrong';
  if (!kinds || kinds.afterRetries + kinds.rejected === 0) return `${model}: ${count} sample(s) failed and were ${scored}; rerun with -r to retry them\n`;
  const lines: string[] = [];
  if (kinds.afterRetries > 0) {
    lines.push(`${model}: ${kinds.afterRetries} sample(s) failed after retries (server errors, timeouts) and were ${scored}; rerun with -r to retry them`);
  }
  if (kinds.rejected > 0) {
    const statuses = Object.entries(kinds.rejectedByStatus).sort(([left], [right]) => left.localeCompare(right));
    const detail = statuses.map(([status, number]) => `${number} × ${status === 'none' ? 'no answer content' : `HTTP ${status}`}${hintFor(status)}`).join('; ');
    lines.push(
      `${model}: ${kinds.rejected} sample(s) were refused by the server and ${scored} (${detail}). ` +
        `Retrying does not help until the cause is fixed; each message is in logs/infer/${model}.log and in the sample log`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function hintFor(status: string): string {
  const code = Number(status);
  if (code === 401 || code === 403) return ': the API key (--api-key or OPENAI_API_KEY) was refused';
  if (code === 404) return ': the route or the model name was not found (check --api-base and --model-name)';
  if (code >= 300 && code < 400) return ': the server redirects (fix --api-base to the URL it names)';
  if (code === 400 || code === 413 || code === 422) return ': the request was refused (often: the prompt is too long for the model)';
  return '';
}
