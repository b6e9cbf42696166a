import { defineCommand } from 'citty';
import { normalizeArgv, parseList } from './normalize-argv.js';

export const listArgs = {
  pattern: { type: 'positional', required: false, description: 'Show only names containing this (`*` wildcards allowed)' },
  datasets: { type: 'string', description: 'List the single datasets these configs or abbrs select (abbr, config, version, mode)' },
  subjects: { type: 'string', description: 'With --datasets: only these subjects, e.g. computer_network,law' },
} as const;

export const listCommand = defineCommand({
  meta: { name: 'list', description: 'List dataset configs (benchmark, mode, datasets, what they need), summarizers and example model configs' },
  args: listArgs,
  async run({ args }) {
    const { listConfigs, listSelectedDatasets } = await import('../api/list-configs.js');
    const datasets = parseList(args.datasets);
    const subjects = parseList(args.subjects);
    if (datasets) {
      const selected = listSelectedDatasets({ datasets, ...(subjects ? { subjects } : {}) });
      const width = Math.max(8, ...selected.map((entry) => entry.abbr.length));
      process.stdout.write(`${'dataset'.padEnd(width)}  benchmark  version  mode  config\n`);
      for (const entry of selected) {
        process.stdout.write(`${entry.abbr.padEnd(width)}  ${entry.benchmark.padEnd(9)}  ${entry.version}   ${entry.mode.padEnd(4)}  ${entry.configName}\n`);
      }
      process.stdout.write(`${selected.length} dataset${selected.length === 1 ? '' : 's'}\n`);
      return;
    }
    const listing = await listConfigs(args.pattern ? { pattern: args.pattern } : {});
    const width = Math.max(8, ...listing.datasets.map((entry) => entry.name.length), ...listing.models.map((entry) => entry.name.length));
    process.stdout.write(`Datasets\n${'-'.repeat(width + 40)}\n`);
    for (const entry of listing.datasets) {
      const detail = entry.aliasOf
        ? `alias of ${entry.aliasOf}`
        : `${entry.benchmarkTitle} · ${entry.mode} · ${entry.datasetCount} dataset${entry.datasetCount === 1 ? '' : 's'} · ${entry.needs}\n${' '.repeat(width + 2)}${entry.description}`;
      process.stdout.write(`${entry.name.padEnd(width)}  ${detail}\n`);
    }
    process.stdout.write(
      `\nA single dataset: --datasets ABBR (e.g. ceval-computer_network); a few subjects: --subjects a,b; your own file: --custom-dataset-path FILE.jsonl\n`,
    );
    if (listing.summarizers.length > 0) {
      process.stdout.write(`\nSummarizers (--summarizer NAME)\n${'-'.repeat(width + 40)}\n`);
      for (const entry of listing.summarizers) process.stdout.write(`${entry.name.padEnd(width)}  ${entry.description}\n`);
    }
    if (listing.models.length > 0) {
      process.stdout.write(`\nExample model configs\n${'-'.repeat(width + 40)}\n`);
      for (const entry of listing.models) process.stdout.write(`${entry.name.padEnd(width)}  ${entry.path}\n`);
    }
    const { datasetModules, modelClasses } = listing.opencompass;
    if (datasetModules.length > 0 || modelClasses.length > 0) {
      process.stdout.write(`\nOpenCompass .py configs (sextant run CONFIG.py)\n${'-'.repeat(width + 40)}\n`);
      if (datasetModules.length > 0) {
        process.stdout.write(`dataset modules (in \`with read_base():\`, as .datasets.<family>.NAME or opencompass.configs.datasets.<family>.NAME):\n`);
        process.stdout.write(`  ${datasetModules.join(', ')}\n`);
      }
      if (modelClasses.length > 0) {
        process.stdout.write('model classes (type= of a model dict):\n');
        const classWidth = Math.max(...modelClasses.map((entry) => entry.name.length));
        for (const entry of modelClasses) process.stdout.write(`  ${entry.name.padEnd(classWidth)}  ${entry.description}\n`);
      }
    }
    if (listing.datasets.length === 0 && listing.models.length === 0 && modelClasses.length === 0) process.stdout.write(`nothing matches "${args.pattern}"\n`);
  },
});

/** argv for `list`, normalised (multi-value --datasets and --subjects). */
export function normalizeListArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, listArgs, ['datasets', 'subjects']);
}
