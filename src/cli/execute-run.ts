import { formatPlan, runEvaluation, type RunMode } from '../api/index.js';
import { defaults, loadConfigFileWithWarnings, type ConfigOverrides, type ConfigWarning, type UserConfig } from '../config/index.js';
import { ConsoleReporter } from '../report/console-reporter.js';

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
  const loaded: { config: UserConfig; warnings: readonly ConfigWarning[] } = options.configPath ? await loadConfigFileWithWarnings(options.configPath) : { config: {}, warnings: [] };
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
      return 0;
    }
    if (result.summaryText) process.stdout.write(`${result.summaryText.tabulate}\n`);
    const failed = Object.entries(result.failed).filter(([, count]) => count > 0);
    for (const [model, count] of failed) {
      process.stdout.write(`${model}: ${count} sample(s) failed after retries and were scored as wrong; rerun with -r to retry them\n`);
    }
    if (result.summaryFiles) process.stdout.write(`summary: ${result.summaryFiles.csv}\n`);
    if (result.reportFile) process.stdout.write(`report: ${result.reportFile}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
