import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { createFetchProgress } from './data-progress.js';
import { normalizeArgv } from './normalize-argv.js';

const dataDir = { type: 'string', description: 'Data root (default: env SEXTANT_DATA_DIR, else ~/.cache/sextant/data)' } as const;

export const dataListArgs = { dataDir } as const;
export const dataFetchArgs = {
  names: { type: 'positional', required: false, description: 'Datasets or models to fetch (see `sextant data list`), `demo`, or `all`' },
  dataDir,
  mirror: { type: 'string', description: 'Base URL of a mirror serving the upstream paths (default: env SEXTANT_DATA_MIRROR, else upstream)' },
} as const;
export const dataVerifyArgs = {
  names: { type: 'positional', required: false, description: 'Datasets or models to check (default: every one present in the data root)' },
  dataDir,
} as const;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;

const listCommand = defineCommand({
  meta: { name: 'list', description: 'Datasets and models that can be fetched, and how much of each the data root holds' },
  args: dataListArgs,
  async run({ args }) {
    const { listDataSources } = await import('../api/data-sources.js');
    const listing = await listDataSources(args.dataDir ? { dataDir: args.dataDir } : {});
    process.stdout.write(`data root: ${listing.root.path}\n`);
    const width = Math.max(...listing.entries.map((entry) => entry.name.length));
    for (const entry of listing.entries) {
      const state = entry.present === entry.files ? 'present' : entry.present === 0 ? 'absent' : `${entry.present}/${entry.files} files`;
      process.stdout.write(
        `${entry.name.padEnd(width)}  ${entry.kind.padEnd(7)}  ${String(entry.files).padStart(3)} files  ${megabytes(entry.bytes).padStart(8)}  ${state.padEnd(9)}  ${entry.title} [${entry.license}]\n`,
      );
      process.stdout.write(`${' '.repeat(width)}  from ${entry.source}\n`);
    }
    for (const [group, members] of Object.entries(listing.groups)) process.stdout.write(`group ${group}: ${members.join(' + ')}\n`);
  },
});

const fetchCommand = defineCommand({
  meta: { name: 'fetch', description: 'Fetch datasets/models from their upstream sources (sha256-checked, resumable)' },
  args: dataFetchArgs,
  async run({ args }) {
    const names = args._;
    if (names.length === 0)
      throw new ConfigError({
        field: 'NAME',
        message: 'name what to fetch, e.g. `sextant data fetch ceval` or `sextant data fetch demo` (`sextant data list` shows all)',
      });
    const { fetchDataSources } = await import('../api/data-sources.js');
    const progress = createFetchProgress({ stream: process.stderr, tty: process.stderr.isTTY === true });
    try {
      const result = await fetchDataSources({
        names,
        ...(args.dataDir ? { dataDir: args.dataDir } : {}),
        ...(args.mirror ? { mirror: args.mirror } : {}),
        reporter: progress.reporter,
      });
      progress.finish();
      for (const target of result.targets) process.stdout.write(`${target.name}: ${progress.summary(target.name)} → ${target.folder}\n`);
      const model = result.targets.find((target) => target.kind === 'model');
      if (model)
        process.stdout.write(
          `run the demo model: sextant run --hf-path ${model.folder}/${model.entry.files[0]?.path} --datasets ceval_zero_shot_gen_bd40ef --limit 1 --data-dir ${result.root.path}\n`,
        );
    } finally {
      progress.finish();
    }
  },
});

const verifyCommand = defineCommand({
  meta: { name: 'verify', description: 'Check every file of the data root against the shipped sha256 manifest' },
  args: dataVerifyArgs,
  async run({ args }) {
    const names = args._;
    const { verifyDataSources } = await import('../api/data-sources.js');
    const { root, results } = await verifyDataSources({ ...(args.dataDir ? { dataDir: args.dataDir } : {}), names });
    process.stdout.write(`data root: ${root.path}\n`);
    if (results.length === 0) process.stdout.write('nothing to verify: no dataset or model folder found (sextant data fetch NAME)\n');
    let bad = 0;
    for (const result of results) {
      const problems = result.missing.length + result.mismatched.length;
      bad += problems;
      process.stdout.write(
        `${result.name}: ${problems === 0 ? 'ok' : 'FAILED'}, ${result.ok} of ${result.ok + problems} files verified${result.absent ? ' (folder absent)' : ''}\n`,
      );
      for (const path of result.missing) process.stdout.write(`  missing     ${path}\n`);
      for (const path of result.mismatched) process.stdout.write(`  mismatched  ${path}\n`);
      if (problems > 0) process.stdout.write(`  repair: sextant data fetch ${result.name}${args.dataDir ? ` --data-dir ${args.dataDir}` : ''}\n`);
    }
    if (bad > 0) process.exitCode = 1;
  },
});

export const dataCommand = defineCommand({
  meta: { name: 'data', description: 'List, fetch and verify benchmark data (and the demo model)' },
  subCommands: { list: listCommand, fetch: fetchCommand, verify: verifyCommand },
});

const subcommandArgs = { list: dataListArgs, fetch: dataFetchArgs, verify: dataVerifyArgs } as const;

/** argv for `data SUBCOMMAND ...`, with unknown flags refused. */
export function normalizeDataArgv(argv: readonly string[]): string[] {
  const [subcommand, ...rest] = argv;
  const args = subcommand && subcommand in subcommandArgs ? subcommandArgs[subcommand as keyof typeof subcommandArgs] : undefined;
  if (!args)
    throw new ConfigError({
      field: 'data',
      message: `expected a subcommand: list, fetch or verify${subcommand ? ` (got "${subcommand}")` : ''}; see sextant data --help`,
    });
  return [subcommand as string, ...normalizeArgv(rest, args)];
}
