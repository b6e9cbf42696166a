import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv } from './normalize-argv.js';

export const reportArgs = {
  // Named for the usage line: `sextant report [OPTIONS] <RUN_DIR>`.
  run_dir: { type: 'positional', required: false, description: 'Run folder, e.g. outputs/default/20260101_120000' },
  out: { type: 'string', alias: 'o', description: 'Where to write the report (default <RUN_DIR>/report.html)' },
} as const;

export const reportCommand = defineCommand({
  meta: { name: 'report', description: 'Write a run\'s self-contained HTML report (summary with intervals, charts, extraction audit)' },
  args: reportArgs,
  async run({ args }) {
    if (!args.run_dir) throw new ConfigError({ field: 'RUN_DIR', message: 'give the run folder to report on, e.g. sextant report outputs/default/20260101_120000' });
    const { writeRunReport } = await import('../api/write-report.js');
    const written = await writeRunReport({ runDirectory: args.run_dir, ...(args.out ? { outputPath: args.out } : {}) });
    process.stdout.write(`report: ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB)\n`);
  },
});

/** argv for `report`, with unknown flags refused. */
export function normalizeReportArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, reportArgs);
}
