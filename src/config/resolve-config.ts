import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PromptStyle } from '../prompts/index.js';
import { ConfigError, redactText, registerSecret, type GenerationSettings, type Warning } from '../spec/index.js';
import { defaults } from './defaults.js';
import { lmdeployGeneration } from './lmdeploy-gen-config.js';
import { validateUserConfig, type ConfigWarning } from './load-config-file.js';
import { resolveHfPath } from './resolve-hf-path.js';
import type { CustomDatasetConfig, EvaluatorOptions, ModelConfig, UserConfig } from './user-config.js';

/** Values given on the command line; each overrides the config file's. */
export interface ConfigOverrides {
  readonly datasets?: readonly string[];
  /** `--subjects a,b`. */
  readonly subjects?: readonly string[];
  /** `--custom-dataset-path FILE` (several allowed); replaces the config's `customDatasets`. */
  readonly customDatasetPaths?: readonly string[];
  /** `--custom-dataset-infer-method`, for the `--custom-dataset-path` files. */
  readonly customDatasetInferMethod?: 'gen' | 'ppl';
  /** `--summarizer NAME`. */
  readonly summarizer?: string;
  readonly modelType?: 'openai' | 'lmdeploy';
  readonly apiBase?: string;
  readonly modelName?: string;
  readonly apiKey?: string;
  readonly abbr?: string;
  readonly path?: string;
  readonly maxOutLen?: number;
  readonly maxSeqLen?: number;
  readonly batchSize?: number;
  readonly concurrency?: number | 'auto';
  readonly limit?: number;
  readonly numSamples?: number;
  readonly execWorkers?: number;
  readonly reExecute?: boolean;
  readonly mbppLegacyEquality?: boolean;
  /** Seconds (`--max-retry-wait`). */
  readonly maxRetryWait?: number;
  readonly dataDir?: string;
  readonly workDir?: string;
  /** OpenCompass's quick model: a `.gguf` file, an ONNX folder, or a checkpoint for `accelerator` to serve. */
  readonly hfPath?: string;
  /** `chat` or `base` prompting for `hfPath`. */
  readonly hfType?: 'chat' | 'base';
  /** The engine that serves an `hfPath` checkpoint (OpenCompass `-a`). */
  readonly accelerator?: 'lmdeploy' | 'vllm';
  /** Extra model settings (`--model-kwargs k=v`), merged into the model config. */
  readonly modelKwargs?: Readonly<Record<string, unknown>>;
  /** Extra generation request fields (`--generation-kwargs k=v`). */
  readonly generationKwargs?: Readonly<Record<string, unknown>>;
  readonly stopWords?: readonly string[];
  /** `--hf-path` checkpoint (huggingface backend) settings, OpenCompass's flags. */
  readonly tokenizerPath?: string;
  /** Python-named keyword arguments, kept as given (`torch_dtype`, `padding_side`). */
  readonly tokenizerKwargs?: Readonly<Record<string, unknown>>;
  readonly hfModelKwargs?: Readonly<Record<string, unknown>>;
  readonly hfGenerationKwargs?: Readonly<Record<string, unknown>>;
  readonly peftPath?: string;
  readonly hfNumGpus?: number;
  readonly maxNumWorkers?: number;
  /** The Python of the HuggingFace worker and of the sandbox that runs model-written programs (`--python`). */
  readonly python?: string;
  readonly batching?: 'static' | 'continuous';
  /** `--prefix-reuse` / `--no-prefix-reuse`: models that can compute a shared prompt prefix once (huggingface, gguf, onnx). */
  readonly prefixReuse?: boolean;
}

/** One model with every setting the runner needs decided. */
export interface ResolvedModel {
  readonly config: ModelConfig;
  /** The summary column; `undefined` until the backend has started and reported its model name. */
  readonly abbr: string | undefined;
  /** Fixed in-flight requests per endpoint, or `'auto'` (adaptive up to `maxConcurrency`). */
  readonly concurrency: number | 'auto';
  readonly maxConcurrency: number;
  readonly maxOutLen: number;
  readonly timeoutMs: number;
  readonly retry: number;
  /** The longest `Retry-After` waited out, in ms (`maxRetryWait`). */
  readonly maxRetryWaitMs: number;
  readonly promptStyle: PromptStyle;
  /** Generation settings other than `maxOutLen` (which may come from the dataset). */
  readonly generation: Omit<GenerationSettings, 'maxOutLen'>;
  /** Settings that cannot take effect as given (recorded in the run's log). */
  readonly warnings: readonly Warning[];
}

export interface ResolvedConfig {
  readonly datasets: readonly string[];
  readonly subjects: readonly string[] | undefined;
  readonly customDatasets: readonly CustomDatasetConfig[];
  readonly models: readonly ResolvedModel[];
  readonly summarizer: { readonly name?: string; readonly datasetAbbrs?: ReadonlyArray<string | readonly [string, string]> };
  readonly workDir: string;
  readonly dataDir: string | undefined;
  readonly limit: number | undefined;
  /** Generations per sample (OpenCompass `n`). */
  readonly numSamples: number;
  readonly execution: { readonly python: string | undefined; readonly workers: number | undefined; readonly reExecute: boolean };
  readonly evaluatorOptions: EvaluatorOptions;
}

/** Merge a (validated) user config with CLI overrides and the environment, and fill every default. */
export function resolveConfig(options: {
  config: UserConfig;
  overrides?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  source?: string;
  /** Warnings from reading the config file: each joins its model's warnings (one without a model joins every model's). */
  configWarnings?: readonly ConfigWarning[];
}): ResolvedConfig {
  const { config, overrides = {}, env = process.env } = options;
  const source = options.source ?? 'command line';
  const datasets = overrides.datasets ?? config.datasets ?? [];
  const customDatasets: readonly CustomDatasetConfig[] = overrides.customDatasetPaths
    ? overrides.customDatasetPaths.map((path) => ({ path, ...(overrides.customDatasetInferMethod ? { inferMethod: overrides.customDatasetInferMethod } : {}) }))
    : (config.customDatasets ?? []);
  if (datasets.length === 0 && customDatasets.length === 0) {
    throw new ConfigError({
      source,
      field: 'datasets',
      message: 'no datasets to evaluate: give --datasets NAME (see `sextant list`) or a config with datasets',
    });
  }
  const models = (
    config.models && config.models.length > 0 ? config.models.map((model) => applyOverrides(model, overrides)) : [modelFromFlags(overrides, source)]
  ).map((model) => withEnvironmentKey(model, env));
  // Flags and environment values are validated like file values.
  const validated = validateUserConfig({ models }, source).models ?? [];
  for (const model of validated) registerModelSecrets(model);
  return {
    datasets,
    subjects: overrides.subjects ?? config.subjects,
    customDatasets,
    models: validated.map(resolveModel).map((model, index) => withFileWarnings(model, index, options.configWarnings ?? [])),
    summarizer: {
      ...((overrides.summarizer ?? config.summarizer?.name) ? { name: overrides.summarizer ?? config.summarizer?.name } : {}),
      ...(config.summarizer?.datasetAbbrs ? { datasetAbbrs: config.summarizer.datasetAbbrs } : {}),
    },
    workDir: overrides.workDir ?? config.workDir ?? defaults.workDir,
    dataDir: overrides.dataDir ?? config.dataDir,
    limit: overrides.limit ?? config.limit,
    numSamples: overrides.numSamples ?? config.numSamples ?? 1,
    execution: {
      python: overrides.python ?? config.python,
      workers: overrides.execWorkers ?? config.execWorkers,
      reExecute: overrides.reExecute ?? config.reExecute ?? false,
    },
    evaluatorOptions: {
      ...config.evaluatorOptions,
      ...(overrides.mbppLegacyEquality !== undefined ? { mbppLegacyEquality: overrides.mbppLegacyEquality } : {}),
    },
  };
}

function modelFromFlags(overrides: ConfigOverrides, source: string): ModelConfig {
  if (overrides.hfPath) return applyOverrides(hfPathModel(overrides, source), overrides);
  const type = overrides.modelType ?? (overrides.path && !overrides.apiBase ? 'lmdeploy' : 'openai');
  if (type === 'openai' && !overrides.apiBase) {
    throw new ConfigError({
      source,
      field: '--api-base',
      message: 'no model to evaluate: give a config file with models, or --api-base URL (an OpenAI-compatible server), or --model-type lmdeploy --path MODEL',
    });
  }
  return applyOverrides({ type } as ModelConfig, overrides);
}

/**
 * The model for `--hf-path` (see {@link resolveHfPath}): a `.gguf` → llama-cpp; an ONNX model → transformers; with
 * `--accelerator lmdeploy|vllm` → a checkpoint served by that engine; otherwise a transformers checkpoint (a folder
 * with config.json, or a hub id) → the huggingface worker. Abbrs follow OpenCompass (`<name>_hf`, `<name>-lmdeploy`, `<name>-vllm`).
 */
function hfPathModel(overrides: ConfigOverrides, source: string): ModelConfig {
  const target = resolveHfPath(overrides.hfPath as string);
  const { path, name } = target;
  const mode = overrides.hfType === undefined ? {} : { mode: overrides.hfType === 'chat' ? ('chat' as const) : ('completion' as const) };
  const kwargs = overrides.modelKwargs ?? {};
  if (target.kind === 'gguf') return { ...kwargs, type: 'llama-cpp', path, abbr: `${name}-gguf`, ...mode } as ModelConfig;
  if (target.kind === 'onnx') return { ...kwargs, type: 'transformers', path, abbr: `${name}_hf`, ...mode } as ModelConfig;
  if (!overrides.accelerator) return huggingfaceModel(path, name, overrides, source);
  if (overrides.accelerator === 'vllm') return { ...kwargs, type: 'vllm', path, abbr: `${name}-vllm`, ...mode } as ModelConfig;
  return {
    ...kwargs,
    type: 'lmdeploy',
    path,
    abbr: `${name}-lmdeploy`,
    promptStyle: overrides.hfType === 'base' ? 'completion' : 'chat',
    chatTemplateStyle: true,
  } as ModelConfig;
}

/** OpenCompass's default `--hf-path` model: a checkpoint folder (config.json, no onnx/) or a hub id. */
function huggingfaceModel(path: string, name: string, overrides: ConfigOverrides, source: string): ModelConfig {
  const isFolder = existsSync(path);
  if (isFolder && !existsSync(join(path, 'config.json'))) {
    throw new ConfigError({
      source,
      field: '--hf-path',
      message: `${path} is not a transformers checkpoint (no config.json), a .gguf file or a folder with onnx/; to serve it with an engine, add -a lmdeploy or -a vllm`,
    });
  }
  if (!isFolder && !/^[\w.-]+\/[\w.-]+$/.test(path)) {
    throw new ConfigError({ source, field: '--hf-path', message: `${path} does not exist, and is not a hub id of the form owner/name` });
  }
  return {
    type: 'huggingface',
    path,
    abbr: `${name}_hf`,
    ...(overrides.hfType ? { hfType: overrides.hfType } : {}),
  } as ModelConfig;
}

/** The huggingface-only flags, over a huggingface model config. */
function huggingfaceOverrides(model: ModelConfig, overrides: ConfigOverrides): Partial<ModelConfig> {
  if (model.type !== 'huggingface') return {};
  const pick = <Key extends keyof ConfigOverrides>(key: Key, as: string = key) => (overrides[key] !== undefined ? { [as]: overrides[key] } : {});
  return {
    ...pick('hfType'),
    ...pick('tokenizerPath'),
    ...pick('peftPath'),
    ...pick('maxNumWorkers'),
    ...pick('python'),
    ...pick('batching'),
    ...(overrides.tokenizerKwargs ? { tokenizerKwargs: { ...model.tokenizerKwargs, ...overrides.tokenizerKwargs } } : {}),
    ...(overrides.hfModelKwargs ? { modelKwargs: { ...model.modelKwargs, ...overrides.hfModelKwargs } } : {}),
    ...(overrides.hfGenerationKwargs ? { generationKwargs: { ...model.generationKwargs, ...overrides.hfGenerationKwargs } } : {}),
    ...(overrides.hfNumGpus !== undefined ? { runCfg: { ...model.runCfg, numGpus: overrides.hfNumGpus } } : {}),
  } as Partial<ModelConfig>;
}

function applyOverrides(model: ModelConfig, overrides: ConfigOverrides): ModelConfig {
  const pick = <Key extends keyof ConfigOverrides>(key: Key) => (overrides[key] !== undefined ? { [key]: overrides[key] } : {});
  const hasApiBase = model.type === 'openai' || model.type === 'lmdeploy';
  const huggingface = huggingfaceOverrides(model, overrides);
  return {
    ...model,
    ...(overrides.generationKwargs && model.type !== 'huggingface'
      ? { generationKwargs: { ...('generationKwargs' in model ? model.generationKwargs : {}), ...overrides.generationKwargs } }
      : {}),
    ...pick('stopWords'),
    ...(hasApiBase ? pick('apiBase') : {}),
    ...(model.type === 'openai' || model.type === 'lmdeploy' || model.type === 'vllm' ? { ...pick('modelName'), ...pick('apiKey') } : {}),
    ...pick('abbr'),
    ...pick('maxOutLen'),
    ...pick('maxSeqLen'),
    ...pick('batchSize'),
    ...pick('concurrency'),
    ...pick('maxRetryWait'),
    ...(model.type !== 'openai' ? pick('path') : {}),
    ...(model.type === 'huggingface' || model.type === 'llama-cpp' || model.type === 'transformers' ? pick('prefixReuse') : {}),
    ...huggingface,
  } as ModelConfig;
}

function withFileWarnings(model: ResolvedModel, index: number, configWarnings: readonly ConfigWarning[]): ResolvedModel {
  const relevant = configWarnings.filter((entry) => entry.model === undefined || entry.model === index).map((entry) => entry.warning);
  return relevant.length === 0 ? model : { ...model, warnings: [...relevant, ...model.warnings] };
}

function withEnvironmentKey(model: ModelConfig, env: NodeJS.ProcessEnv): ModelConfig {
  if (model.type === 'openai' && model.apiKey === undefined && env.OPENAI_API_KEY) return { ...model, apiKey: env.OPENAI_API_KEY };
  return model;
}

function resolveModel(model: ModelConfig): ResolvedModel {
  const warnings: Warning[] = [];
  const maxOutLen = model.maxOutLen ?? defaults.maxOutLen;
  const common = {
    config: model,
    abbr: model.abbr,
    maxOutLen,
    timeoutMs: (model.timeout ?? defaults.timeout) * 1000,
    retry: model.retry ?? defaults.retry,
    maxRetryWaitMs: (model.maxRetryWait ?? defaults.maxRetryWait) * 1000,
    concurrency: model.concurrency ?? defaultConcurrency(model),
    maxConcurrency: model.maxConcurrency ?? defaults.maxConcurrency,
  };
  if (model.batchSize !== undefined && model.type !== 'huggingface') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'batchSize',
      details: `batchSize=${model.batchSize} is accepted for OpenCompass compatibility; sextant sends requests continuously with concurrency=${common.concurrency} in flight`,
    });
  }
  const stopWords = [...(model.stopWords ?? [])];
  const extra = model.generationKwargs ? { extra: model.generationKwargs } : {};
  if (model.type === 'openai') {
    const mode = model.mode ?? defaults.openaiMode;
    return {
      ...common,
      promptStyle:
        mode === 'chat' ? { kind: 'messages', messageStyle: 'api' } : { kind: 'text', ...(model.metaTemplate ? { metaTemplate: model.metaTemplate } : {}) },
      generation: { temperature: model.temperature ?? 0, ...(model.topP !== undefined ? { topP: model.topP } : {}), stopWords, ...extra },
      warnings,
    };
  }
  if (model.type === 'huggingface') {
    return {
      ...common,
      // OpenCompass's HuggingFacewithChatTemplate: API-parser turns, user messages ending in the extra `\n`.
      promptStyle:
        (model.hfType ?? 'chat') === 'chat'
          ? { kind: 'messages', messageStyle: 'chat-template' }
          : { kind: 'text', ...(model.metaTemplate ? { metaTemplate: model.metaTemplate } : {}) },
      generation: { stopWords, ...extra },
      warnings,
    };
  }
  if (model.type !== 'lmdeploy') {
    const chat = (model.mode ?? (model.type === 'vllm' ? 'chat' : 'completion')) === 'chat';
    return {
      ...common,
      // In-process chat and launched checkpoints stand in for OpenCompass's chat-template classes.
      promptStyle: chat
        ? { kind: 'messages', messageStyle: 'chat-template' }
        : { kind: 'text', ...(model.metaTemplate ? { metaTemplate: model.metaTemplate } : {}) },
      generation: { temperature: 0, stopWords, ...extra },
      warnings,
    };
  }
  const genConfig = model.genConfig ?? {};
  if (genConfig.maxNewTokens !== undefined && genConfig.maxNewTokens !== maxOutLen) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'genConfig.maxNewTokens',
      details: `genConfig.maxNewTokens=${genConfig.maxNewTokens} is superseded by maxOutLen=${maxOutLen}, as in OpenCompass`,
    });
  }
  const promptStyle = model.promptStyle ?? defaults.lmdeployPromptStyle;
  const fromGenConfig = lmdeployGeneration({ genConfig, stopWords, extra: model.generationKwargs, chat: promptStyle === 'chat' });
  return {
    ...common,
    promptStyle:
      promptStyle === 'chat'
        ? { kind: 'messages', messageStyle: model.chatTemplateStyle ? 'chat-template' : 'api' }
        : { kind: 'text', ...(model.metaTemplate ? { metaTemplate: model.metaTemplate } : {}) },
    generation: fromGenConfig.generation,
    warnings: [...warnings, ...fromGenConfig.warnings],
  };
}

/**
 * In flight per model when `concurrency` is not given. huggingface: two batches per worker, so the next batch is
 * queued while one runs.
 */
function defaultConcurrency(model: ModelConfig): number | 'auto' {
  switch (model.type) {
    case 'llama-cpp':
      return model.sequences ?? 1;
    case 'transformers':
      return 1;
    case 'huggingface':
      return huggingfaceBatchSize(model) * (model.maxNumWorkers ?? 1) * 2;
    default:
      return 'auto';
  }
}

/** A huggingface model's requests per worker call. */
export function huggingfaceBatchSize(model: { readonly batchSize?: number; readonly batching?: 'static' | 'continuous' }): number {
  return model.batchSize ?? (model.batching === 'continuous' ? defaults.huggingfaceContinuousBatchSize : defaults.huggingfaceBatchSize);
}

/** A copy of a config safe to write or print: API keys, registered secrets and URL userinfo replaced by `<redacted>`. */
export function redactSecrets<Value>(value: Value): Value {
  return JSON.parse(
    JSON.stringify(value, (key, current: unknown) =>
      key === 'apiKey' && current ? '<redacted>' : typeof current === 'string' ? redactText(current, { urls: true }) : current,
    ),
  ) as Value;
}

/** The model's API key and the userinfo of its API base URLs become secrets no message or file may hold. */
function registerModelSecrets(model: ModelConfig): void {
  if ('apiKey' in model) registerSecret(model.apiKey);
  const bases = 'apiBase' in model && model.apiBase !== undefined ? [model.apiBase].flat() : [];
  for (const base of bases) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(base)?.[1];
    if (!userinfo) continue;
    registerSecret(userinfo);
    const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : userinfo;
    registerSecret(password);
    try {
      registerSecret(decodeURIComponent(password));
    } catch {
      // not percent-encoded
    }
  }
}
