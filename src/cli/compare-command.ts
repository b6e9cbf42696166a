import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv, parseList, parsePositiveInteger } from './normalize-argv.js';

/** Arguments of `sextant compare`. */
export const compareArgs = {
  a: { type: 'positional', required: false, description: 'Run A, the baseline: a run folder, or a work dir (its newest run)' },
  b: { type: 'positional', required: false, description: 'Run B, the candidate (omit to compare two models of run A: --models X Y)' },
  models: {
    type: 'string',
    alias: 'model',
    valueHint: 'ABBR...',
    description: "Model abbrs: one (the same in both runs) or two (A's, then B's; put after the runs)",
  },
  out: { type: 'string', valueHint: 'DIR', alias: 'o', description: 'Also write compare.md and compare.json to this folder' },
  json: { type: 'boolean', description: 'Print the comparison as JSON' },
  failIfWorse: {
    type: 'string',
    valueHint: 'POINTS',
    description: 'Exit 3 when B is significantly worse than A in a dataset or group with its whole interval below -POINTS (CI gate)',
  },
  alpha: { type: 'string', valueHint: 'P', description: 'Significance level of the tests (datasets: Holm-adjusted; default 0.05)' },
  draws: { type: 'string', valueHint: 'N', description: 'Monte Carlo sign flips for a group test too large to enumerate (default 10000)' },
  seed: { type: 'string', valueHint: 'N', description: 'Seed of those sign flips (default 0)' },
  show: { type: 'string', valueHint: 'N', description: 'Discordant samples printed (default 20; the files list all)' },
} as const;

/** `sextant compare A B [--models X Y] [--out DIR] [--json] [--fail-if-worse POINTS]`; exit 3 when the gate trips. */
export const compareCommand = defineCommand({
  meta: {
    name: 'compare',
    description: 'Paired comparison of two runs (or two models of one run): differences, Newcombe intervals, exact tests, backend agreement',
  },
  args: compareArgs,
  async run({ args }) {
    const { compareRuns, formatComparisonText } = await import('../api/compare-runs.js');
    if (!args.a)
      throw new ConfigError({ field: 'A', message: 'give two run folders (sextant compare A B) or one run and two models (sextant compare RUN --models X Y)' });
    const failIfWorse = parseNumber(args.failIfWorse, '--fail-if-worse');
    const alpha = parseNumber(args.alpha, '--alpha');
    const draws = parsePositiveInteger(args.draws, '--draws');
    const seed = parseNumber(args.seed, '--seed');
    const models = parseList(args.models);
    const comparison = await compareRuns({
      a: args.a,
      ...(args.b ? { b: args.b } : {}),
      ...(models ? { models } : {}),
      ...(failIfWorse !== undefined ? { failIfWorse } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
      ...(draws !== undefined ? { draws } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(args.out ? { outDir: args.out } : {}),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    else process.stdout.write(formatComparisonText(comparison, { discordantLimit: parsePositiveInteger(args.show, '--show') ?? 20 }));
    if (args.out) {
      const { join } = await import('node:path');
      const report = args.json ? process.stderr : process.stdout;
      report.write(`compare.md: ${join(args.out, 'compare.md')}\ncompare.json: ${join(args.out, 'compare.json')}\n`);
    }
    if (comparison.gate?.tripped) {
      const where = comparison.gate.failures.map(
        (failure) => `${failure.name}${failure.metric ? ` (${failure.metric})` : ''} ${failure.difference.toFixed(2)}`,
      );
      process.stderr.write(
        `sextant compare: B is significantly worse than A by more than ${comparison.gate.threshold} points (whole interval) in: ${where.join(', ')}\n`,
      );
      process.exitCode = 3;
    }
  },
});

/** argv for `compare`, normalised (multi-value --models). */
export function normalizeCompareArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, compareArgs, ['models']);
}

function parseNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new ConfigError({ field: flag, message: `expected a number, got "${value}"` });
  return number;
}
