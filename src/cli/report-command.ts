import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv } from './normalize-argv.js';

export const reportArgs = {
  run: { type: 'positional', required: false, description: 'A run folder (e.g. outputs/default/20260101_120000), or a work dir (its newest run)' },
  out: { type: 'string', valueHint: 'FILE', alias: 'o', description: 'Where to write the report (default <RUN>/report.html)' },
} as const;

export const reportCommand = defineCommand({
  meta: { name: 'report', description: "Write a run's self-contained HTML report (summary with intervals, charts, extraction audit)" },
  args: reportArgs,
  async run({ args }) {
    if (!args.run) throw new ConfigError({ field: 'RUN', message: 'give the run folder (or work dir) to report on, e.g. sextant report outputs/default' });
    const { writeRunReport } = await import('../api/write-report.js');
    const written = await writeRunReport({ runDirectory: args.run, ...(args.out ? { outputPath: args.out } : {}) });
    process.stdout.write(`report: ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB)\n`);
  },
});

/** argv for `report`, with unknown flags refused. */
export function normalizeReportArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, reportArgs);
}
