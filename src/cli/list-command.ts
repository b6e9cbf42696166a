import { defineCommand } from 'citty';

export const listArgs = {
  pattern: { type: 'positional', required: false, description: 'Show only names containing this (`*` wildcards allowed)' },
} as const;

export const listCommand = defineCommand({
  meta: { name: 'list', description: 'List dataset configs and example model configs' },
  args: listArgs,
  async run({ args }) {
    const { listConfigs } = await import('../api/list-configs.js');
    const listing = await listConfigs(args.pattern ? { pattern: args.pattern } : {});
    const width = Math.max(8, ...listing.datasets.map((entry) => entry.name.length), ...listing.models.map((entry) => entry.name.length));
    process.stdout.write(`Datasets\n${'-'.repeat(width + 40)}\n`);
    for (const entry of listing.datasets) {
      const detail = entry.aliasOf ? `alias of ${entry.aliasOf}` : `${entry.mode}, ${entry.datasetCount} datasets: ${entry.description}`;
      process.stdout.write(`${entry.name.padEnd(width)}  ${detail}\n`);
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
