import type { LmdeployBackend } from '../backends/lmdeploy/index.js';
import type { VllmBackend } from '../backends/vllm/index.js';
import { defaults } from '../config/defaults.js';
import { huggingfaceBatchSize, type ResolvedModel } from '../config/resolve-config.js';
import type { ModelBackend } from '../spec/index.js';
import { formatCommandLine } from '../utils/command-line.js';

/**
 * The backends of a resolved model config: one per endpoint (a model with several `apiBase` URLs gets several,
 * which the runner pools), one for everything else. A backend's module is imported only when a model of its type
 * is built (Inspect's lazily loaded providers), so a run does not load the code, or the HTTP client, of backends
 * it does not use.
 */
export async function createBackends(model: ResolvedModel, options: { onServerOutput?: (line: string) => void } = {}): Promise<ModelBackend[]> {
  const config = model.config;
  const apiBases = 'apiBase' in config && config.apiBase !== undefined ? [config.apiBase].flat() : [undefined];
  return Promise.all(apiBases.map((apiBase) => createBackend(model, apiBase, options)));
}

async function createBackend(model: ResolvedModel, apiBase: string | undefined, options: { onServerOutput?: (line: string) => void }): Promise<ModelBackend> {
  const config = model.config;
  switch (config.type) {
    case 'openai': {
      const { OpenAICompatibleBackend } = await import('../backends/openai-compatible/index.js');
      return new OpenAICompatibleBackend({
        provider: 'openai',
        apiBase: apiBase as string,
        promptKind: model.promptStyle.kind,
        trimOutput: true,
        ...(config.modelName ? { modelName: config.modelName } : {}),
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        ...(config.stream !== undefined ? { stream: config.stream } : {}),
        ...(config.promptLogprobs !== undefined ? { promptLogprobs: config.promptLogprobs } : {}),
        ...(config.tokenizerPath !== undefined ? { tokenizerPath: config.tokenizerPath } : {}),
      });
    }
    case 'lmdeploy': {
      const { LmdeployBackend } = await import('../backends/lmdeploy/index.js');
      return new LmdeployBackend({
        promptStyle: config.promptStyle ?? 'completion',
        engineConfig: config.engineConfig ?? {},
        ...(apiBase ? { apiBase } : {}),
        ...(config.path ? { path: config.path } : {}),
        ...(config.modelName ? { modelName: config.modelName } : {}),
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        ...(config.endStr ? { endStr: config.endStr } : {}),
        ...(config.maxSeqLen !== undefined ? { maxSeqLen: config.maxSeqLen } : {}),
        ...(config.runCfg?.numGpus !== undefined ? { numGpus: config.runCfg.numGpus } : {}),
        ...(config.stream !== undefined ? { stream: config.stream } : {}),
        ...(config.command ? { command: config.command } : {}),
        ...(config.startupTimeout !== undefined ? { startupTimeoutMs: config.startupTimeout * 1000 } : {}),
        ...(options.onServerOutput ? { onServerOutput: options.onServerOutput } : {}),
      });
    }
    case 'llama-cpp': {
      const { LlamaCppBackend } = await import('../backends/llama-cpp/index.js');
      return new LlamaCppBackend({
        modelPath: config.path,
        promptKind: model.promptStyle.kind,
        ...(config.threads !== undefined ? { threads: config.threads } : {}),
        contextSize: config.contextSize ?? defaults.llamaCppContextSize,
        ...(config.chatTemplate !== undefined ? { chatTemplate: config.chatTemplate } : {}),
        ...(config.sequences !== undefined ? { sequences: config.sequences } : {}),
        ...(config.prefixReuse !== undefined ? { prefixReuse: config.prefixReuse } : {}),
      });
    }
    case 'transformers': {
      const { TransformersBackend } = await import('../backends/transformers/index.js');
      return new TransformersBackend({
        modelPath: config.path,
        promptKind: model.promptStyle.kind,
        ...(config.threads !== undefined ? { threads: config.threads } : {}),
        ...(config.prefixReuse !== undefined ? { prefixReuse: config.prefixReuse } : {}),
      });
    }
    case 'vllm': {
      const { VllmBackend } = await import('../backends/vllm/index.js');
      return new VllmBackend({
        path: config.path,
        promptKind: model.promptStyle.kind,
        ...(config.modelName ? { modelName: config.modelName } : {}),
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        ...(config.tensorParallelSize !== undefined ? { tensorParallelSize: config.tensorParallelSize } : {}),
        ...(config.maxSeqLen !== undefined ? { maxModelLen: config.maxSeqLen } : {}),
        ...(config.gpuMemoryUtilization !== undefined ? { gpuMemoryUtilization: config.gpuMemoryUtilization } : {}),
        ...(config.extraArgs ? { extraArgs: config.extraArgs } : {}),
        ...(config.command ? { command: config.command } : {}),
        ...(config.startupTimeout !== undefined ? { startupTimeoutMs: config.startupTimeout * 1000 } : {}),
        ...(config.stream !== undefined ? { stream: config.stream } : {}),
        ...(options.onServerOutput ? { onServerOutput: options.onServerOutput } : {}),
      });
    }
    case 'huggingface': {
      const { HuggingFaceBackend } = await import('../backends/huggingface/index.js');
      return new HuggingFaceBackend({
        path: config.path,
        hfType: config.hfType ?? 'chat',
        batchSize: huggingfaceBatchSize(config),
        batching: config.batching ?? 'static',
        prefixReuse: config.prefixReuse ?? config.batching === 'continuous',
        ...(config.tokenizerPath ? { tokenizerPath: config.tokenizerPath } : {}),
        ...(config.tokenizerKwargs ? { tokenizerKwargs: config.tokenizerKwargs } : {}),
        ...(config.modelKwargs ? { modelKwargs: config.modelKwargs } : {}),
        ...(config.peftPath ? { peftPath: config.peftPath } : {}),
        ...(config.maxSeqLen !== undefined ? { maxSeqLen: config.maxSeqLen } : {}),
        ...(config.runCfg?.numGpus !== undefined ? { numGpus: config.runCfg.numGpus } : {}),
        ...(config.maxNumWorkers !== undefined ? { maxNumWorkers: config.maxNumWorkers } : {}),
        ...(config.python ? { python: config.python } : {}),
        ...(options.onServerOutput ? { onWorkerOutput: options.onServerOutput, onEvent: options.onServerOutput } : {}),
      });
    }
    default: {
      const unreachable: never = config;
      throw new TypeError(`unknown model type ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The server a model has sextant launch: its executable and the command line, with `<port>` for the port chosen at launch. */
export interface LaunchDescription {
  readonly command: string;
  readonly commandLine: string;
}

/** What `model` launches (an lmdeploy model with `path` and no `apiBase`, a vllm model), or `undefined`. */
export async function describeLaunch(model: ResolvedModel): Promise<LaunchDescription | undefined> {
  const config = model.config;
  if (config.type === 'lmdeploy' && (config.apiBase !== undefined || !config.path)) return undefined;
  if (config.type !== 'lmdeploy' && config.type !== 'vllm') return undefined;
  const backend = (await createBackends(model))[0] as LmdeployBackend | VllmBackend;
  const command = config.command ?? config.type;
  return { command, commandLine: formatCommandLine(command, backend.launchArguments('<port>')) };
}
