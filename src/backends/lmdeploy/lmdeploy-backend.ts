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
import { LmdeployPerplexityClient } from './lmdeploy-perplexity.js';

/** TurboMind engine settings; with `path`, they become `lmdeploy serve api_server` flags. */
export interface LmdeployEngineConfig {
  readonly sessionLen?: number;
  readonly maxBatchSize?: number;
  readonly ropeScalingFactor?: number;
  readonly tp?: number;
}

export interface LmdeploySettings {
  /** A running `api_server` to use. */
  readonly apiBase?: string;
  /** A model directory or hub id to serve with a launched `lmdeploy serve api_server` (when `apiBase` is absent). */
  readonly path?: string;
  readonly modelName?: string;
  readonly apiKey?: string;
  /** `completion`: one string to `/v1/completions` (OpenCompass `TurboMindModel`); `chat`: messages to `/v1/chat/completions`. */
  readonly promptStyle: 'completion' | 'chat';
  readonly engineConfig: LmdeployEngineConfig;
  readonly endStr?: string;
  readonly maxSeqLen?: number;
  readonly numGpus?: number;
  readonly stream?: boolean;
  /** The executable to launch. @default 'lmdeploy' */
  readonly command?: string;
  /** How long a launched server may take to answer `/v1/models`. @default 600000 (10 min: weights load slowly) */
  readonly startupTimeoutMs?: number;
  /** Lines the launched server prints (for the run's log). */
  readonly onServerOutput?: (line: string) => void;
}

/**
 * LMDeploy's `api_server` (TurboMind), used running or launched by sextant. Requests go over the OpenAI-compatible
 * protocol; sampling settings travel with each request (the runner's generation settings), the engine settings
 * become launch flags. `perplexity` requests go to `/get_ppl` and `/v1/encode` (OpenCompass's `TurboMindAPIModel`),
 * whatever the prompt style: the candidates are plain text and `/get_ppl` applies no chat template.
 */
export class LmdeployBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'lmdeploy';
  readonly capabilities: BackendCapabilities;
  private inner: OpenAICompatibleBackend | undefined;
  private perplexity: LmdeployPerplexityClient | undefined;
  private readonly launcher = new OpenAIServerLauncher();

  constructor(private readonly settings: LmdeploySettings) {
    this.capabilities = {
      requestKinds: ['generate', 'perplexity'],
      promptKind: settings.promptStyle === 'chat' ? 'messages' : 'text',
      tokenCount: true,
    };
  }

  get connectionKey(): string {
    return this.settings.apiBase ? normaliseApiBase(this.settings.apiBase) : `lmdeploy-launch:${this.settings.path}`;
  }

  get modelId(): string {
    return this.inner?.modelId ?? `lmdeploy:${this.settings.modelName ?? this.settings.path ?? '?'}`;
  }

  /** The `lmdeploy` arguments for a launch on `port`. */
  launchArguments(port: number | string): string[] {
    const { engineConfig, path } = this.settings;
    const sessionLen = engineConfig.sessionLen ?? this.settings.maxSeqLen;
    const tp = engineConfig.tp ?? this.settings.numGpus;
    return [
      'serve',
      'api_server',
      path ?? '',
      '--server-name',
      '127.0.0.1',
      '--server-port',
      String(port),
      '--backend',
      'turbomind',
      ...(sessionLen !== undefined ? ['--session-len', String(sessionLen)] : []),
      ...(engineConfig.maxBatchSize !== undefined ? ['--max-batch-size', String(engineConfig.maxBatchSize)] : []),
      ...(tp !== undefined ? ['--tp', String(tp)] : []),
      ...(engineConfig.ropeScalingFactor !== undefined ? ['--rope-scaling-factor', String(engineConfig.ropeScalingFactor)] : []),
      ...(this.settings.modelName ? ['--model-name', this.settings.modelName] : []),
    ];
  }

  async doStart(options: CallOptions): Promise<BackendStartInfo> {
    const warnings: Warning[] = [...this.settingWarnings()];
    let apiBase = this.settings.apiBase;
    if (!apiBase) {
      if (!this.settings.path) {
        throw new BackendUnavailableError({ message: 'the lmdeploy model needs apiBase (a running api_server) or path (a model to serve)' });
      }
      apiBase = await this.launch(options);
    }
    try {
      return await this.connect(apiBase, warnings, options);
    } catch (error) {
      await this.doClose();
      throw error;
    }
  }

  private async connect(apiBase: string, warnings: Warning[], options: CallOptions): Promise<BackendStartInfo> {
    this.perplexity = new LmdeployPerplexityClient({ apiBase, ...(this.settings.apiKey ? { apiKey: this.settings.apiKey } : {}) });
    this.inner = new OpenAICompatibleBackend({
      provider: 'lmdeploy',
      apiBase,
      promptKind: this.capabilities.promptKind,
      ...(this.settings.modelName ? { modelName: this.settings.modelName } : {}),
      ...(this.settings.apiKey ? { apiKey: this.settings.apiKey } : {}),
      ...(this.settings.endStr ? { endStr: this.settings.endStr } : {}),
      ...(this.settings.stream !== undefined ? { stream: this.settings.stream } : {}),
      dropReplacementCharacters: true,
    });
    const info = await this.inner.doStart(options);
    const launchCommand = this.launcher.commandLine;
    return {
      ...info,
      // The launch command line is recorded with the run's config and log.
      ...(launchCommand ? { effectiveSettings: { ...info.effectiveSettings, launchCommand } } : {}),
      warnings: [...warnings, ...info.warnings],
    };
  }

  async doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    return this.started().doGenerate(request, options);
  }

  async doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    return this.started().doLoglikelihood(request, options);
  }

  async doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    if (!this.perplexity) throw new BackendUnavailableError({ message: 'lmdeploy backend used before doStart' });
    return this.perplexity.score(request, options);
  }

  /** `POST /v1/encode` with BOS, what OpenCompass's `TurboMindAPIModel.get_token_len` sends for `max_seq_len`. */
  async doCountTokens(request: TokenCountRequest, options: CallOptions): Promise<readonly number[]> {
    const client = this.perplexity;
    if (!client) throw new BackendUnavailableError({ message: 'lmdeploy backend used before doStart' });
    return Promise.all(request.texts.map((text) => client.countTokens(text, true, options.signal)));
  }

  async doClose(): Promise<void> {
    const inner = this.inner;
    const perplexity = this.perplexity;
    this.inner = undefined;
    this.perplexity = undefined;
    try {
      await Promise.all([inner?.doClose(), perplexity?.close()]);
    } finally {
      await this.launcher.stop();
    }
  }

  private started(): OpenAICompatibleBackend {
    if (!this.inner) throw new BackendUnavailableError({ message: 'lmdeploy backend used before doStart' });
    return this.inner;
  }

  private launch(options: CallOptions): Promise<string> {
    return this.launcher.start({
      command: this.settings.command ?? 'lmdeploy',
      args: (port) => this.launchArguments(port),
      serverName: "LMDeploy's api_server",
      installHint: 'install LMDeploy, or give apiBase for a running server',
      timeoutMs: this.settings.startupTimeoutMs ?? 600_000,
      ...(this.settings.apiKey ? { apiKey: this.settings.apiKey } : {}),
      ...(this.settings.onServerOutput ? { onOutput: this.settings.onServerOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  private settingWarnings(): Warning[] {
    const warnings: Warning[] = [];
    const { engineConfig, apiBase } = this.settings;
    if (apiBase) {
      for (const [key, value] of Object.entries(engineConfig)) {
        if (value !== undefined) {
          warnings.push({
            type: 'unsupported-setting',
            setting: `engineConfig.${key}`,
            details: `${key}=${value} is a launch setting; the running server at ${apiBase} keeps the value it was started with`,
          });
        }
      }
    }
    return warnings;
  }
}
