import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv, parseList, parsePositiveInteger } from './normalize-argv.js';

export const promptArgs = {
  config: { type: 'positional', required: false, description: 'Config file; or use --datasets' },
  datasets: { type: 'string', valueHint: 'NAME...', description: 'Dataset configs (ceval_gen) or dataset abbrs (ceval-computer_network)' },
  subjects: { type: 'string', valueHint: 'NAME...', description: 'Only these subjects, e.g. computer_network,law' },
  customDatasetPath: { type: 'string', valueHint: 'FILE', description: 'Your own .jsonl/.csv questions (OpenCompass custom dataset)' },
  customDatasetInferMethod: { type: 'string', valueHint: 'gen|ppl', description: 'gen | ppl for --custom-dataset-path (default gen)' },
  count: { type: 'string', valueHint: 'N', alias: 'n', description: 'Samples per dataset (default 1)' },
  dataDir: { type: 'string', valueHint: 'DIR', description: 'Data root' },
  modelType: { type: 'string', valueHint: 'TYPE', description: 'openai | lmdeploy (chooses the prompt style without a config)' },
  json: { type: 'boolean', description: 'Print JSON' },
} as const;

export const promptCommand = defineCommand({
  meta: { name: 'prompt', description: 'Print the exact rendered prompts a run would send (prompt viewer)' },
  args: promptArgs,
  async run({ args }) {
    const [{ renderPrompts }, { loadConfigFile }] = await Promise.all([import('../api/render-prompts.js'), import('../config/index.js')]);
    const config = args.config ? await loadConfigFile(args.config) : {};
    const datasets = parseList(args.datasets);
    const subjects = parseList(args.subjects);
    const customDatasetPaths = parseList(args.customDatasetPath);
    const inferMethod = args.customDatasetInferMethod;
    if (inferMethod !== undefined && inferMethod !== 'gen' && inferMethod !== 'ppl') {
      throw new ConfigError({ field: '--custom-dataset-infer-method', message: `expected one of gen, ppl, got "${inferMethod}"` });
    }
    const modelType = args.modelType === 'lmdeploy' ? 'lmdeploy' : args.modelType === 'openai' ? 'openai' : undefined;
    if (args.modelType !== undefined && !modelType)
      throw new ConfigError({ field: '--model-type', message: `expected one of openai, lmdeploy, got "${args.modelType}"` });
    const rendered = await renderPrompts({
      config,
      overrides: {
        ...(datasets ? { datasets } : {}),
        ...(subjects ? { subjects } : {}),
        ...(customDatasetPaths ? { customDatasetPaths } : {}),
        ...(inferMethod ? { customDatasetInferMethod: inferMethod } : {}),
        ...(args.dataDir ? { dataDir: args.dataDir } : {}),
        ...(modelType ? { modelType, ...(modelType === 'lmdeploy' ? { apiBase: 'http://127.0.0.1:1' } : {}) } : {}),
      },
      count: parsePositiveInteger(args.count, '--count') ?? 1,
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(rendered, null, 2)}\n`);
      return;
    }
    for (const sample of rendered) {
      for (const prompt of sample.prompts) {
        process.stdout.write(
          `==== ${sample.dataset} #${sample.index}${prompt.label ? ` label ${prompt.label}` : ''} (gold ${typeof sample.gold === 'string' ? sample.gold || '-' : JSON.stringify(sample.gold)}) ====\n`,
        );
        const { prompt: wire } = prompt.rendered;
        if (wire.kind === 'text') process.stdout.write(`${wire.text}\n`);
        else for (const message of wire.messages) process.stdout.write(`--- ${message.role} ---\n${message.content}\n`);
      }
    }
  },
});

export function normalizePromptArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, promptArgs, ['datasets', 'subjects', 'customDatasetPath']);
}
