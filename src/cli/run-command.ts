import { defineCommand } from 'citty';
import { ConfigError } from '../spec/index.js';
import { normalizeArgv, parseKeyValues, parseList, parsePositiveInteger, parseSeconds } from './normalize-argv.js';

export const runArgs = {
  config: {
    type: 'positional',
    required: false,
    description: 'Config file: .ts, .js, .mjs or .json exporting defineConfig({...}), or an OpenCompass .py config',
  },
  datasets: {
    type: 'string',
    valueHint: 'NAME...',
    description: 'Dataset configs (ceval_gen) or dataset abbrs (ceval-computer_network); several: space- or comma-separated',
  },
  subjects: {
    type: 'string',
    valueHint: 'NAME...',
    description: 'Only these subjects of the datasets, e.g. computer_network,law (subset keys or abbr suffixes)',
  },
  customDatasetPath: { type: 'string', valueHint: 'FILE', description: 'Your own .jsonl/.csv questions (OpenCompass custom dataset); several allowed' },
  customDatasetInferMethod: { type: 'string', valueHint: 'gen|ppl', description: 'gen | ppl for --custom-dataset-path (default gen)' },
  summarizer: { type: 'string', valueHint: 'NAME', description: 'Summary layout, e.g. chat_OC15 (`sextant list` shows them)' },
  modelType: { type: 'string', valueHint: 'TYPE', description: 'openai | lmdeploy, without a config file (in-process models: --hf-path)' },
  apiBase: { type: 'string', valueHint: 'URL', description: 'Server URL, e.g. http://127.0.0.1:23333/v1' },
  modelName: { type: 'string', valueHint: 'NAME', description: 'Model name sent in requests (default: asked from /v1/models)' },
  apiKey: { type: 'string', valueHint: 'KEY', description: 'API key (default: env OPENAI_API_KEY); never written anywhere' },
  abbr: { type: 'string', valueHint: 'ABBR', description: 'Model column name (default: the model name)' },
  path: { type: 'string', valueHint: 'MODEL', description: 'Model to serve with a launched `lmdeploy serve api_server`' },
  hfPath: {
    type: 'string',
    valueHint: 'PATH',
    description:
      'Quick model: a transformers checkpoint or hub id (HuggingFace worker; with -a: served by that engine), a .gguf file (llama.cpp), an ONNX folder (transformers.js)',
  },
  hfType: { type: 'string', valueHint: 'chat|base', description: 'chat | base prompting for --hf-path (default: chat when the model has a chat template)' },
  accelerator: { type: 'string', valueHint: 'ENGINE', alias: 'a', description: 'lmdeploy | vllm: the engine that serves an --hf-path checkpoint' },
  modelKwargs: { type: 'string', valueHint: 'K=V...', description: 'Model settings k=v ... (e.g. threads=1 context_size=8192)' },
  generationKwargs: { type: 'string', valueHint: 'K=V...', description: 'Extra generation fields k=v ...' },
  stopWords: { type: 'string', valueHint: 'WORD...', description: 'Stop strings (several values)' },
  tokenizerPath: { type: 'string', valueHint: 'PATH', description: 'HuggingFace worker: tokenizer folder or hub id (default: --hf-path)' },
  tokenizerKwargs: { type: 'string', valueHint: 'K=V...', description: 'HuggingFace worker: AutoTokenizer.from_pretrained k=v ...' },
  peftPath: { type: 'string', valueHint: 'PATH', description: 'HuggingFace worker: a PEFT adapter over the model' },
  hfNumGpus: { type: 'string', valueHint: 'N', description: 'HuggingFace worker: GPUs per worker (device_map=auto over them; default 1)' },
  maxNumWorkers: { type: 'string', valueHint: 'N', description: 'HuggingFace worker: workers on disjoint GPU sets, fed from one request stream (default 1)' },
  python: {
    type: 'string',
    valueHint: 'PATH',
    description: 'Python for the HuggingFace worker (with torch and transformers) and for model-written programs (default: env SEXTANT_PYTHON, else python3)',
  },
  batching: {
    type: 'string',
    valueHint: 'static|continuous',
    description: 'HuggingFace worker: static (OpenCompass padded batches, default) | continuous (transformers generate_batch)',
  },
  prefixReuse: {
    type: 'boolean',
    description:
      "Compute a batch's shared prompt prefix once: HuggingFace worker generation and PPL (not OpenCompass's batching, so scores can move by float noise; default on with continuous batching), GGUF/ONNX PPL (default on)",
  },
  maxOutLen: { type: 'string', valueHint: 'N', description: 'Maximum new tokens per answer (default 256)' },
  maxSeqLen: { type: 'string', valueHint: 'N', description: 'Model context length' },
  batchSize: {
    type: 'string',
    valueHint: 'N',
    description: 'HuggingFace worker: requests per batch (default 8; 1024 continuous); others: accepted for OpenCompass compatibility',
  },
  concurrency: { type: 'string', valueHint: 'N|auto', description: 'Requests in flight per endpoint: N, or auto (adaptive; the default for served models)' },
  limit: { type: 'string', valueHint: 'N', description: 'Only the first N samples of each dataset' },
  numSamples: { type: 'string', valueHint: 'N', description: 'Generations per sample (OpenCompass n; pass@k needs k); use sampling --generation-kwargs' },
  execWorkers: { type: 'string', valueHint: 'N', description: 'Programs run at once (default: the core count)' },
  reExecute: { type: 'boolean', description: 'With --mode eval: run programs again instead of using their stored outcomes' },
  mbppLegacyEquality: { type: 'boolean', description: 'Score MBPP with plain == (OpenCompass before 2026-07-28)' },
  maxRetryWait: {
    type: 'string',
    valueHint: 'SECONDS',
    description: 'Longest Retry-After to wait out, in seconds (default 300); a longer one stops the run, resumable with -r',
  },
  dataDir: { type: 'string', valueHint: 'DIR', description: 'Data root (default: env SEXTANT_DATA_DIR, else ~/.cache/sextant/data)' },
  workDir: { type: 'string', valueHint: 'DIR', alias: 'w', description: 'Root of run folders (default outputs/default)' },
  reuse: { type: 'string', valueHint: '[TIMESTAMP]', alias: 'r', description: 'Continue a run: TIMESTAMP, or bare for the latest' },
  mode: { type: 'string', valueHint: 'MODE', alias: 'm', description: 'all | infer | eval | viz (default all)' },
  debug: { type: 'boolean', description: 'One dataset at a time, verbose' },
  dryRun: { type: 'boolean', description: 'Check config and data, show the plan (prompt tokens, maxSeqLen truncations); generates nothing' },
  estimate: { type: 'boolean', description: 'With --dry-run: time 20 real requests and print an ETA' },
} as const;

const modes = ['all', 'infer', 'eval', 'viz'] as const;
const modelTypes = ['openai', 'lmdeploy'] as const;
// llama-cpp, transformers and vllm models come from --hf-path or a config file.

export const runCommand = defineCommand({
  meta: { name: 'run', description: 'Evaluate models on datasets (OpenCompass-compatible outputs)' },
  args: runArgs,
  async run({ args }) {
    const { executeRun } = await import('./execute-run.js');
    const mode = oneOf(args.mode, modes, '--mode') ?? 'all';
    const modelType = oneOf(args.modelType, modelTypes, '--model-type');
    process.exitCode = await executeRun({
      ...(args.config ? { configPath: args.config } : {}),
      overrides: {
        ...defined('datasets', parseList(args.datasets)),
        ...defined('subjects', parseList(args.subjects)),
        ...defined('customDatasetPaths', parseList(args.customDatasetPath)),
        ...defined('customDatasetInferMethod', oneOf(args.customDatasetInferMethod, ['gen', 'ppl'] as const, '--custom-dataset-infer-method')),
        ...defined('summarizer', args.summarizer),
        ...defined('modelType', modelType),
        ...defined('apiBase', args.apiBase),
        ...defined('modelName', args.modelName),
        ...defined('apiKey', args.apiKey),
        ...defined('abbr', args.abbr),
        ...defined('path', args.path),
        ...defined('hfPath', args.hfPath),
        ...defined('hfType', oneOf(args.hfType, ['chat', 'base'] as const, '--hf-type')),
        ...defined('accelerator', oneOf(args.accelerator, ['lmdeploy', 'vllm'] as const, '--accelerator')),
        ...defined('modelKwargs', parseKeyValues(args.modelKwargs, '--model-kwargs')),
        ...defined('generationKwargs', parseKeyValues(args.generationKwargs, '--generation-kwargs')),
        ...defined('stopWords', parseList(args.stopWords)),
        ...defined('tokenizerPath', args.tokenizerPath),
        ...defined('tokenizerKwargs', parseKeyValues(args.tokenizerKwargs, '--tokenizer-kwargs', { pythonKeys: true })),
        ...defined('hfModelKwargs', parseKeyValues(args.modelKwargs, '--model-kwargs', { pythonKeys: true })),
        ...defined('hfGenerationKwargs', parseKeyValues(args.generationKwargs, '--generation-kwargs', { pythonKeys: true })),
        ...defined('peftPath', args.peftPath),
        ...defined('hfNumGpus', parsePositiveInteger(args.hfNumGpus, '--hf-num-gpus')),
        ...defined('maxNumWorkers', parsePositiveInteger(args.maxNumWorkers, '--max-num-workers')),
        ...defined('python', args.python),
        ...defined('batching', oneOf(args.batching, ['static', 'continuous'] as const, '--batching')),
        ...(typeof args.prefixReuse === 'boolean' ? { prefixReuse: args.prefixReuse } : {}),
        ...defined('maxOutLen', parsePositiveInteger(args.maxOutLen, '--max-out-len')),
        ...defined('maxSeqLen', parsePositiveInteger(args.maxSeqLen, '--max-seq-len')),
        ...defined('batchSize', parsePositiveInteger(args.batchSize, '--batch-size')),
        ...defined('concurrency', args.concurrency === 'auto' ? ('auto' as const) : parsePositiveInteger(args.concurrency, '--concurrency')),
        ...defined('limit', parsePositiveInteger(args.limit, '--limit')),
        ...defined('numSamples', parsePositiveInteger(args.numSamples, '--num-samples')),
        ...defined('execWorkers', parsePositiveInteger(args.execWorkers, '--exec-workers')),
        ...(args.reExecute === true ? { reExecute: true } : {}),
        ...(args.mbppLegacyEquality === true ? { mbppLegacyEquality: true } : {}),
        ...defined('maxRetryWait', parseSeconds(args.maxRetryWait, '--max-retry-wait')),
        ...defined('dataDir', args.dataDir),
        ...defined('workDir', args.workDir),
      },
      mode,
      ...(args.reuse ? { reuse: args.reuse } : {}),
      debug: args.debug === true,
      dryRun: args.dryRun === true,
      ...(args.estimate === true ? { estimate: true } : {}),
    });
  },
});

/** argv for `run`, normalised (multi-value --datasets, bare -r). */
export function normalizeRunArgv(argv: readonly string[]): string[] {
  return normalizeArgv(argv, runArgs, ['datasets', 'subjects', 'customDatasetPath', 'modelKwargs', 'generationKwargs', 'stopWords', 'tokenizerKwargs']);
}

function oneOf<Option extends string>(value: string | undefined, options: readonly Option[], flag: string): Option | undefined {
  if (value === undefined) return undefined;
  if ((options as readonly string[]).includes(value)) return value as Option;
  throw new ConfigError({ field: flag, message: `expected one of ${options.join(', ')}, got "${value}"` });
}

function defined<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}
