import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BackendCallError,
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
import { formatTail, WorkerExitedError, WorkerProcess, WorkerReplyError, type WorkerHello } from './worker-process.js';

/** Settings of the `huggingface` backend: a transformers model run by Python workers sextant starts. */
export interface HuggingFaceSettings {
  /** A checkpoint folder (config.json) or a hub id resolved from the local HuggingFace cache only. */
  readonly path: string;
  /** `chat`: OpenCompass `HuggingFacewithChatTemplate`; `base`: `HuggingFaceBaseModel`. */
  readonly hfType: 'chat' | 'base';
  readonly tokenizerPath?: string;
  /** Passed to `AutoTokenizer.from_pretrained` over OpenCompass's defaults (left padding and truncation). */
  readonly tokenizerKwargs?: Readonly<Record<string, unknown>>;
  /** Passed to `AutoModelForCausalLM.from_pretrained` (`torch_dtype`, `attn_implementation`, …). */
  readonly modelKwargs?: Readonly<Record<string, unknown>>;
  /** Passed to every `generate` call (OpenCompass `generation_kwargs`). */
  readonly generationKwargs?: Readonly<Record<string, unknown>>;
  readonly peftPath?: string;
  /** Inputs are truncated on the left to this many tokens. @default the model's max_position_embeddings */
  readonly maxSeqLen?: number;
  /** Requests per worker call: a static padded batch, or the most handed to `generate_batch` at once. */
  readonly batchSize: number;
  /** `static`: OpenCompass's padded batches; `continuous`: transformers' `generate_batch`. */
  readonly batching: 'static' | 'continuous';
  /**
   * Compute shared token prefixes once: a perplexity request's candidates' prefix, and in static generation each
   * group of a batch's prompts that share a prefix (few-shot examples), decoded greedily in one batch. Not
   * OpenCompass's batching, so results can move by floating-point rounding; plain greedy decoding only (other
   * generation settings run static batches).
   */
  readonly prefixReuse: boolean;
  /** GPUs per worker (the model is placed over them with device_map='auto'). @default 1 */
  readonly numGpus?: number;
  /** Workers, each on its own GPUs (CUDA_VISIBLE_DEVICES), fed from one queue. @default 1 */
  readonly maxNumWorkers?: number;
  /** The Python interpreter. @default env SEXTANT_PYTHON, else python3 */
  readonly python?: string;
  /** The worker script. @default the package's python/sextant_hf_worker.py */
  readonly workerScript?: string;
  /** Environment of the workers. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Each line a worker writes to stderr, prefixed with the worker's label. */
  readonly onWorkerOutput?: (line: string) => void;
  /** Backend events (restarts, OOM halving), for the run's log. */
  readonly onEvent?: (message: string) => void;
}

/** What the worker reports after loading. */
interface LoadedInfo {
  readonly maxSeqLen: number;
  readonly eosStopWords: readonly string[];
  readonly dtype: string;
  readonly device: string;
  readonly hasChatTemplate: boolean;
  readonly [key: string]: unknown;
}

type Kind = 'generate' | 'loglikelihood' | 'perplexity';

interface Queued {
  readonly kind: Kind;
  /** Requests with the same key can share a batch. */
  readonly key: string;
  readonly request: GenerateRequest | LoglikelihoodRequest | PerplexityRequest;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  settled: boolean;
}

interface Slot {
  readonly label: string;
  readonly gpus: string | undefined;
  worker: WorkerProcess | undefined;
  hello: WorkerHello | undefined;
  loaded: LoadedInfo | undefined;
  busy: boolean;
  /** Halved on CUDA OOM, never below 1. */
  batchLimit: number;
  broken: Error | undefined;
}

/** The worker script shipped in the package (`python/`, three levels above this file in src/ and dist/). */
export const defaultWorkerScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'python', 'sextant_hf_worker.py');

/**
 * A transformers model run by Python worker processes (OpenCompass's HuggingFace classes). The runner's concurrent
 * calls are gathered into batches of `batchSize` requests of one kind and one generation setting; each idle worker
 * takes the oldest batch. A worker that dies fails the requests of its batch in flight and is restarted for the next
 * batch; a CUDA OOM halves that worker's batch size and the batch is run again in halves.
 */
export class HuggingFaceBackend implements ModelBackend {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'huggingface';
  readonly modelId: string;
  readonly connectionKey: string;
  readonly capabilities: BackendCapabilities;
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private dispatchScheduled = false;
  private closed = false;
  private readonly name: string;

  constructor(private readonly settings: HuggingFaceSettings) {
    this.name = basename(settings.path.replace(/[/\\]+$/, ''));
    this.modelId = `huggingface:${settings.path}:${settings.hfType}:${settings.batching}${settings.prefixReuse ? ':prefix-reuse' : ''}`;
    this.connectionKey = `huggingface:${resolve(settings.path)}`;
    this.capabilities = {
      requestKinds: ['generate', 'loglikelihood', 'perplexity'],
      promptKind: settings.hfType === 'chat' ? 'messages' : 'text',
      tokenCount: true,
    };
  }

  /** Start every worker and load the model in each; reports their interpreters, libraries and GPUs. */
  async doStart(_options: CallOptions): Promise<BackendStartInfo> {
    const workers = this.settings.maxNumWorkers ?? 1;
    const numGpus = this.settings.numGpus ?? 1;
    const env = this.settings.env ?? process.env;
    const visible = env.CUDA_VISIBLE_DEVICES !== undefined && env.CUDA_VISIBLE_DEVICES !== '' ? env.CUDA_VISIBLE_DEVICES.split(',') : undefined;
    if (visible && visible.length < workers * numGpus) {
      throw new BackendUnavailableError({
        message: `--max-num-workers ${workers} × --hf-num-gpus ${numGpus} needs ${workers * numGpus} GPUs, but CUDA_VISIBLE_DEVICES lists ${visible.length} (${visible.join(',')})`,
      });
    }
    if (this.slots.length === 0) {
      for (let index = 0; index < workers; index += 1) {
        const gpus = (visible ?? Array.from({ length: workers * numGpus }, (_, gpu) => String(gpu))).slice(index * numGpus, (index + 1) * numGpus).join(',');
        this.slots.push({
          label: `hf worker ${index} (GPUs ${gpus})`,
          gpus,
          worker: undefined,
          hello: undefined,
          loaded: undefined,
          busy: false,
          batchLimit: this.settings.batchSize,
          broken: undefined,
        });
      }
    }
    await Promise.all(this.slots.map((slot) => (slot.worker?.alive ? undefined : this.startSlot(slot))));
    const first = this.slots[0] as Slot;
    const loaded = first.loaded as LoadedInfo;
    const warnings: Warning[] = [];
    if (this.settings.hfType === 'chat' && !loaded.hasChatTemplate) {
      warnings.push({ type: 'other', message: `${this.name}'s tokenizer has no chat template: apply_chat_template will fail or use a library default` });
    }
    for (const slot of this.slots) {
      if (slot.hello && slot.hello.gpus.length === 0) warnings.push({ type: 'other', message: `${slot.label} sees no CUDA GPU: the model runs on the CPU` });
    }
    return {
      modelName: this.name,
      effectiveSettings: {
        batching: this.settings.batching,
        batchSize: this.settings.batchSize,
        prefixReuse: this.settings.prefixReuse,
        hfType: this.settings.hfType,
        maxSeqLen: loaded.maxSeqLen,
        eosStopWords: loaded.eosStopWords,
        dtype: loaded.dtype,
        workers: this.slots.map((slot) => ({
          gpus: slot.gpus,
          python: slot.hello?.python,
          pythonExecutable: slot.hello?.pythonExecutable,
          torch: slot.hello?.torch,
          transformers: slot.hello?.transformers,
          cuda: slot.hello?.cuda,
          devices: slot.hello?.gpus.map((gpu) => `${gpu.name} (${gpu.memoryMiB} MiB)`),
          device: slot.loaded?.device,
        })),
      },
      warnings,
    };
  }

  doGenerate(request: GenerateRequest, options: CallOptions): Promise<GenerateResult> {
    const { settings } = request;
    const key = JSON.stringify([settings.maxOutLen, settings.minOutLen ?? null, settings.stopWords, settings.extra ?? null]);
    return this.enqueue('generate', key, request, options.signal) as Promise<GenerateResult>;
  }

  doLoglikelihood(request: LoglikelihoodRequest, options: CallOptions): Promise<LoglikelihoodResult> {
    return this.enqueue('loglikelihood', '', request, options.signal) as Promise<LoglikelihoodResult>;
  }

  doPerplexity(request: PerplexityRequest, options: CallOptions): Promise<PerplexityResult> {
    return this.enqueue('perplexity', '', request, options.signal) as Promise<PerplexityResult>;
  }

  /**
   * OpenCompass's `get_token_len` with the model's tokenizer, asked of a running worker (it answers between batches):
   * base models count the text with BOS, chat models the text as one user turn through the chat template.
   */
  async doCountTokens(request: TokenCountRequest, options: CallOptions): Promise<readonly number[]> {
    if (options.signal?.aborted) throw abortedError(options.signal.reason);
    const slot = this.slots.find((candidate) => candidate.worker?.alive);
    if (!slot) throw new BackendCallError({ message: 'no HuggingFace worker is running to count tokens', isRetryable: true });
    try {
      const counts = await (slot.worker as WorkerProcess).request<unknown>({ type: 'tokenize', texts: request.texts });
      if (!Array.isArray(counts) || counts.length !== request.texts.length || !counts.every((count) => Number.isInteger(count)))
        throw new WorkerReplyError({ kind: 'internal', message: `the worker returned no token count for each of ${request.texts.length} texts` });
      return counts as number[];
    } catch (error) {
      if (error instanceof BackendCallError) throw error;
      throw new BackendCallError({
        message: `${slot.label}: counting tokens failed: ${(error as Error).message}`,
        isRetryable: error instanceof WorkerExitedError,
        cause: error,
      });
    }
  }

  /** Stop every worker; queued requests fail. Safe to call more than once. */
  async doClose(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.splice(0))
      settle(item, () => item.reject(new BackendCallError({ message: 'the HuggingFace backend was closed', isRetryable: false })));
    await Promise.all(this.slots.map((slot) => slot.worker?.close()));
  }

  private enqueue(kind: Kind, key: string, request: Queued['request'], signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(abortedError(signal.reason));
    return new Promise((resolveCall, rejectCall) => {
      const item: Queued = { kind, key, request, resolve: resolveCall, reject: rejectCall, signal, settled: false };
      signal?.addEventListener(
        'abort',
        () => {
          const position = this.queue.indexOf(item);
          if (position !== -1) this.queue.splice(position, 1);
          settle(item, () => rejectCall(abortedError(signal.reason)));
        },
        { once: true },
      );
      this.queue.push(item);
      this.scheduleDispatch();
    });
  }

  /**
   * Dispatch after the current burst of calls has been queued, so a batch fills before it is sent: a few ms for static
   * batches, 100 ms for continuous ones (the runner queues a large in-flight window over several event-loop turns).
   */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setTimeout(
      () => {
        this.dispatchScheduled = false;
        this.dispatch();
      },
      this.settings.batching === 'continuous' ? 100 : 5,
    );
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || slot.broken) continue;
      if (!slot.worker?.alive) {
        this.restart(slot);
        continue;
      }
      this.send(slot, this.takeBatch(slot.batchLimit));
    }
    if (this.queue.length > 0 && this.slots.every((slot) => slot.broken)) {
      const reason = this.slots[0]?.broken?.message ?? 'no worker';
      for (const item of this.queue.splice(0))
        settle(item, () => item.reject(new BackendCallError({ message: `no HuggingFace worker can run: ${reason}`, isRetryable: false })));
    }
  }

  /** The oldest request and up to `limit - 1` later ones that can share its batch, in arrival order. */
  private takeBatch(limit: number): Queued[] {
    const first = this.queue[0] as Queued;
    const batch: Queued[] = [];
    for (let index = 0; index < this.queue.length && batch.length < limit;) {
      const item = this.queue[index] as Queued;
      if (item.kind === first.kind && item.key === first.key) {
        batch.push(item);
        this.queue.splice(index, 1);
      } else index += 1;
    }
    return batch;
  }

  private send(slot: Slot, batch: Queued[]): void {
    const worker = slot.worker as WorkerProcess;
    slot.busy = true;
    const kind = (batch[0] as Queued).kind;
    worker
      .request<unknown[]>(this.message(kind, batch))
      .then((outputs) => {
        if (!Array.isArray(outputs) || outputs.length !== batch.length)
          throw new WorkerReplyError({
            kind: 'internal',
            message: `the worker returned ${Array.isArray(outputs) ? outputs.length : 'no'} outputs for ${batch.length} requests`,
          });
        batch.forEach((item, index) => settle(item, () => item.resolve(toResult(kind, outputs[index]))));
      })
      .catch((error: unknown) => this.onBatchFailure(slot, batch, kind, error))
      .finally(() => {
        slot.busy = false;
        this.scheduleDispatch();
      });
  }

  private onBatchFailure(slot: Slot, batch: Queued[], kind: Kind, error: unknown): void {
    if (error instanceof WorkerReplyError && error.failure.kind === 'oom' && batch.length > 1) {
      slot.batchLimit = Math.max(1, Math.floor(batch.length / 2));
      this.settings.onEvent?.(`${slot.label}: CUDA out of memory at batch size ${batch.length}; batch size now ${slot.batchLimit}, the batch runs again`);
      this.queue.unshift(...batch.filter((item) => !item.settled));
      return;
    }
    let message: string;
    if (error instanceof WorkerExitedError) {
      slot.worker = undefined;
      message = `${error.message} while running a batch of ${batch.length} ${kind} requests; it is restarted for the next batch.${formatTail(error.stderrTail)}`;
      this.settings.onEvent?.(message);
    } else if (error instanceof WorkerReplyError) {
      message = `${slot.label}: ${error.failure.kind === 'oom' ? 'CUDA out of memory at batch size 1: ' : ''}${error.message}`;
    } else message = `${slot.label}: ${(error as Error).message}`;
    for (const item of batch) settle(item, () => item.reject(new BackendCallError({ message, isRetryable: false, cause: error })));
  }

  private restart(slot: Slot): void {
    slot.busy = true;
    this.settings.onEvent?.(`${slot.label}: starting a new worker`);
    this.startSlot(slot)
      .catch((error: Error) => {
        slot.broken = error;
        this.settings.onEvent?.(`${slot.label} could not be restarted: ${error.message}`);
      })
      .finally(() => {
        slot.busy = false;
        this.scheduleDispatch();
      });
  }

  private async startSlot(slot: Slot): Promise<void> {
    const env = this.settings.env ?? process.env;
    const python = this.settings.python ?? (env.SEXTANT_PYTHON || 'python3');
    const { worker, hello } = await WorkerProcess.start({
      python,
      script: this.settings.workerScript ?? defaultWorkerScript,
      env: { ...env, PYTHONUNBUFFERED: '1', ...(slot.gpus !== undefined ? { CUDA_VISIBLE_DEVICES: slot.gpus } : {}) },
      label: slot.label,
      ...(this.settings.onWorkerOutput ? { onStderr: this.settings.onWorkerOutput } : {}),
    });
    try {
      slot.loaded = await worker.request<LoadedInfo>({ type: 'load', settings: this.loadSettings() });
    } catch (error) {
      worker.kill();
      const detail = error instanceof WorkerExitedError ? `${error.message}${formatTail(error.stderrTail)}` : (error as Error).message;
      throw new BackendUnavailableError({ message: `${slot.label} could not load ${this.settings.path}: ${detail}`, cause: error });
    }
    if (this.closed) {
      // closed while this worker was starting (a restart after a crash): do not leave it running
      await worker.close();
      return;
    }
    slot.worker = worker;
    slot.hello = hello;
  }

  private loadSettings(): Record<string, unknown> {
    const { settings } = this;
    return {
      path: settings.path,
      hfType: settings.hfType,
      tokenizerPath: settings.tokenizerPath ?? null,
      tokenizerKwargs: settings.tokenizerKwargs ?? {},
      modelKwargs: settings.modelKwargs ?? {},
      generationKwargs: settings.generationKwargs ?? {},
      peftPath: settings.peftPath ?? null,
      maxSeqLen: settings.maxSeqLen ?? null,
    };
  }

  private message(kind: Kind, batch: Queued[]): Record<string, unknown> {
    if (kind === 'generate') {
      const { settings } = (batch[0] as Queued).request as GenerateRequest;
      return {
        type: 'generate',
        batching: this.settings.batching,
        prefixReuse: this.settings.prefixReuse,
        maxOutLen: settings.maxOutLen,
        minOutLen: settings.minOutLen ?? null,
        stopWords: settings.stopWords,
        generationKwargs: settings.extra ?? {},
        prompts: batch.map(({ request }) => {
          const { prompt } = request as GenerateRequest;
          return prompt.kind === 'text' ? { text: prompt.text } : { messages: prompt.messages };
        }),
      };
    }
    if (kind === 'loglikelihood') {
      return {
        type: 'loglikelihood',
        requests: batch.map(({ request }) => ({
          context: (request as LoglikelihoodRequest).context,
          continuation: (request as LoglikelihoodRequest).continuation,
        })),
      };
    }
    return {
      type: 'perplexity',
      prefixReuse: this.settings.prefixReuse,
      groups: batch.map(({ request }) => ({ candidates: (request as PerplexityRequest).candidates })),
    };
  }
}

function toResult(kind: Kind, output: unknown): GenerateResult | LoglikelihoodResult | PerplexityResult {
  const value = output as Record<string, unknown>;
  if (kind === 'generate') {
    return {
      kind,
      text: value.text as string,
      finishReason: value.finishReason as string,
      usage: { promptTokens: value.promptTokens as number, completionTokens: value.completionTokens as number },
      warnings: [],
    };
  }
  if (kind === 'loglikelihood') return { kind, logprob: value.logprob as number, isGreedy: value.isGreedy as boolean, tokenCount: value.tokenCount as number };
  return { kind, scores: value.scores as PerplexityResult['scores'], evaluatedTokens: value.evaluatedTokens as number };
}

function settle(item: Queued, action: () => void): void {
  if (item.settled) return;
  item.settled = true;
  action();
}

function abortedError(cause: unknown): BackendCallError {
  return new BackendCallError({ message: 'the call was aborted (timeout or cancel)', isRetryable: true, cause });
}
