import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv, parseList, parsePositiveInteger } from './normalize-argv.js';

/** Arguments of `sextant audit`. */
export const auditArgs = {
  run: { type: 'positional', required: false, description: 'A run folder, or a work dir (its newest run)' },
  // `--model` is accepted too: one spelling across commands (compare takes two).
  models: { type: 'string', alias: 'model', valueHint: 'ABBR', description: 'Model abbr (needed when the run holds several models)' },
  extractor: { type: 'string', valueHint: 'NAME', description: 'A second extractor to run side by side, e.g. first_option_postprocess' },
  datasets: { type: 'string', valueHint: 'ABBR...', description: 'Only these dataset abbrs' },
  json: { type: 'boolean', description: 'Print the audit as JSON (every sample listed)' },
  show: { type: 'string', valueHint: 'N', description: 'Samples printed per list (default 20)' },
} as const;

/** `sextant audit RUN [--models ABBR] [--extractor NAME] [--json]`. */
export const auditCommand = defineCommand({
  meta: { name: 'audit', description: 'Extraction audit: how often answers were extracted, and where extractors disagree' },
  args: auditArgs,
  async run({ args }) {
    const { auditExtraction, formatExtractionAudit } = await import('../api/audit-extraction.js');
    if (!args.run) throw new ConfigError({ field: 'RUN', message: 'give a run folder or a work dir: sextant audit RUN [--models ABBR] [--extractor NAME]' });
    const datasets = parseList(args.datasets);
    const models = parseList(args.models);
    if (models && models.length > 1) throw new ConfigError({ field: '--models', message: `audit takes one model, got ${models.join(', ')}` });
    const audit = await auditExtraction({
      run: args.run,
      ...(models?.[0] ? { model: models[0] } : {}),
      ...(args.extractor ? { extractor: args.extractor } : {}),
      ...(datasets ? { datasets } : {}),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(audit, null, 2)}\n`);
    else process.stdout.write(formatExtractionAudit(audit, { listLimit: parsePositiveInteger(args.show, '--show') ?? 20 }));
  },
});

/** argv for `audit`, normalised (multi-value --datasets; several --models are refused with a message). */
export function normalizeAuditArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, auditArgs, ['datasets', 'models']);
}
