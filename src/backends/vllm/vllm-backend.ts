import {
  BackendUnavailableError,
  type BackendCapabilities,
  type BackendStartInfo,
  type CallOptions,
  type GenerateRequest,
  type GenerateResult,
  type LoglikelihoodRequest,
  type LoglikelihoodResult,
  type ModelBackend,
  type PerplexityRequest,
  type PerplexityResult,
  type TokenCountRequest,
  type Warning,
} from '../../spec/index.js';
import { OpenAICompatibleBackend, OpenAIServerLauncher, normaliseApiBase } from '../openai-compatible/index.js';

export interface VllmSettings {
  /** A model directory or hub id to serve with a launched `vllm serve` (when `apiBase` is absent). */
  readonly path?: string;
  /** A running `vllm serve` to use instead of launching one. */
  readonly apiBase?: string;
  /** `text`: `/v1/completions`, with PPL and loglikelihood from prompt logprobs; `messages`: `/v1/chat/completions`. @default 'text' */
  readonly promptKind?: 'text' | 'messages';
  /** The served model name (`--served-model-name`); when absent vLLM serves the model under `path`. */
  readonly modelName?: string;
  /** `--tensor-parallel-size`. */
  readonly tensorParallelSize?: number;
  /** `--max-model-len`. */
  readonly maxModelLen?: number;
  /** `--gpu-memory-utilization` (0..1). */
  readonly gpuMemoryUtilization?: number;
  /** More `vllm serve` arguments, appended as given (e.g. `['--dtype', 'bfloat16']`). */
  readonly extraArgs?: readonly string[];
  /** The executable to launch. @default 'vllm' */
  readonly command?: string;
  /** How long a launched server may take to answer `/v1/models`. @default 600000 (10 min: weights load slowly) */
  readonly startupTimeoutMs?: number;
  /**
   * Bearer token. A launched server gets it through the `VLLM_API_KEY` environment variable (not argv, where any
   * user could read it in the process list).
   */
  readonly apiKey?: string;
  readonly stream?: boolean;
  readonly endStr?: string;
  /** Lines the launched server prints (for the run's log). */
  readonly onServerOutput?: (line: string) => void;
}

/**
 * vLLM's OpenAI-compatible server, launched by sextant (`vllm serve`) or already running. Requests go over the
 * OpenAI protocol; with text prompts, `perplexity` (OpenCompass's `VLLM.get_ppl`) and `loglikelihood` are scored from
 * echoed prompt logprobs and `/tokenize`.
 */
export class VllmBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'vllm';
  readonly capabilities: BackendCapabilities;
  private inner: OpenAICompatibleBackend | undefined;
  private readonly launcher = new OpenAIServerLauncher();

  constructor(private readonly settings: VllmSettings) {
    const promptKind = settings.promptKind ?? 'text';
    this.capabilities = {
      requestKinds: promptKind === 'text' ? ['generate', 'loglikelihood', 'perplexity'] : ['generate'],
      promptKind,
      tokenCount: true,
    };
  }

  get connectionKey(): string {
    return this.settings.apiBase ? normaliseApiBase(this.settings.apiBase) : `vllm-launch:${this.settings.path}`;
  }

  get modelId(): string {
    return this.inner?.modelId ?? `vllm:${this.settings.modelName ?? this.settings.path ?? '?'}`;
  }

  /** The child's pid while a launched server runs. */
  get serverPid(): number | undefined {
    return this.launcher.pid;
  }

  /** The `vllm` arguments for a launch on `port`. */
  launchArguments(port: number | string): string[] {
    const settings = this.settings;
    return [
      'serve',
      settings.path ?? '',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      ...(settings.tensorParallelSize !== undefined ? ['--tensor-parallel-size', String(settings.tensorParallelSize)] : []),
      ...(settings.maxModelLen !== undefined ? ['--max-model-len', String(settings.maxModelLen)] : []),
      ...(settings.modelName ? ['--served-model-name', settings.modelName] : []),
      ...(settings.gpuMemoryUtilization !== undefined ? ['--gpu-memory-utilization', String(settings.gpuMemoryUtilization)] : []),
      ...(settings.extraArgs ?? []),
    ];
  }

  async doStart(options: CallOptions): Promise<BackendStartInfo> {
    const warnings = this.settingWarnings();
    let apiBase = this.settings.apiBase;
    if (!apiBase) {
      if (!this.settings.path) {
        throw new BackendUnavailableError({ message: 'the vllm model needs path (a model to serve) or apiBase (a running vllm serve)' });
      }
      apiBase = await this.launch(options);
    }
    try {
      this.inner = new OpenAICompatibleBackend({
        provider: 'vllm',
        apiBase,
        promptKind: this.capabilities.promptKind,
        promptLogprobs: this.capabilities.promptKind === 'text',
        tokenizeRoute: true,
        ...(this.settings.modelName ? { modelName: this.settings.modelName } : {}),
        ...(this.settings.apiKey ? { apiKey: this.settings.apiKey } : {}),
        ...(this.settings.endStr ? { endStr: this.settings.endStr } : {}),
        ...(this.settings.stream !== undefined ? { stream: this.settings.stream } : {}),
      });
      const info = await this.inner.doStart(options);
      const launchCommand = this.launcher.commandLine;
      return {
        ...info,
        // The launch command line is recorded with the run's config and log.
        ...(launchCommand ? { effectiveSettings: { ...info.effectiveSettings, launchCommand } } : {}),
        warnings: [...warnings, ...info.warnings],
      };
    } catch (error) {
      await this.doClose();
      throw error;
    }
  }

  async doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    return this.started().doGenerate(request, options);
  }

  async doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    return this.started().doLoglikelihood(request, options);
  }

  async doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    return this.started().doPerplexity(request, options);
  }

  async doCountTokens(request: TokenCountRequest, options: CallOptions): Promise<readonly number[]> {
    return this.started().doCountTokens(request, options);
  }

  async doClose(): Promise<void> {
    const inner = this.inner;
    this.inner = undefined;
    try {
      await inner?.doClose();
    } finally {
      await this.launcher.stop();
    }
  }

  private started(): OpenAICompatibleBackend {
    if (!this.inner) throw new BackendUnavailableError({ message: 'vllm backend used before doStart' });
    return this.inner;
  }

  private launch(options: CallOptions): Promise<string> {
    const apiKey = this.settings.apiKey;
    return this.launcher.start({
      command: this.settings.command ?? 'vllm',
      args: (port) => this.launchArguments(port),
      serverName: 'vLLM',
      installHint: 'install vLLM, or give apiBase for a running server',
      timeoutMs: this.settings.startupTimeoutMs ?? 600_000,
      ...(apiKey ? { apiKey, env: { ...process.env, VLLM_API_KEY: apiKey } } : {}),
      ...(this.settings.onServerOutput ? { onOutput: this.settings.onServerOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  private settingWarnings(): Warning[] {
    const { apiBase } = this.settings;
    if (!apiBase) return [];
    const launchOnly = {
      tensorParallelSize: this.settings.tensorParallelSize,
      maxModelLen: this.settings.maxModelLen,
      gpuMemoryUtilization: this.settings.gpuMemoryUtilization,
      extraArgs: this.settings.extraArgs?.length ? this.settings.extraArgs.join(' ') : undefined,
    };
    return Object.entries(launchOnly)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => ({
        type: 'unsupported-setting' as const,
        setting: key,
        details: `${key}=${value} is a launch setting; the running server at ${apiBase} keeps the value it was started with`,
      }));
  }
}
