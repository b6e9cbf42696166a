import type { ResolvedModel } from '../config/index.js';
import type { DatasetTask, GenerateRequest, ModelBackend, PerplexityRequest, TaskSample } from '../spec/index.js';
import { withTimeout } from './dispatch-with-retries.js';
import { buildWorkItem } from './infer-model.js';
import { countedText, createTokenCounter, TokenBudget } from './token-budget.js';

/** One dataset of a dry-run plan. */
export interface DatasetPlan {
  readonly dataset: string;
  readonly samples: number;
  /** Prompt tokens the model would read (PPL: every candidate), by the model's tokenizer; absent without token counts. */
  readonly promptTokens?: number;
  /** Prompts that `maxSeqLen` truncation shortens (at least one example dropped); absent without a budget. */
  readonly truncated?: number;
}

/** The ETA from a short probe of the real server. */
export interface ProbeEstimate {
  readonly probeRequests: number;
  readonly concurrency: number;
  readonly probeMs: number;
  readonly requests: number;
  readonly etaMs: number;
  /** Probe requests that failed (their time is counted; a high number makes the ETA meaningless). */
  readonly failed: number;
}

/** One model's dry-run plan. */
export interface ModelPlan {
  readonly model: string;
  readonly datasets: readonly DatasetPlan[];
  readonly promptTokens?: number;
  readonly truncated?: number;
  readonly maxSeqLen?: number;
  /** Why token counts (or truncation) are missing, when they are. */
  readonly note?: string;
  readonly estimate?: ProbeEstimate;
}

/** Requests a `--estimate` probe sends. */
export const probeRequestCount = 20;

/**
 * A dry-run plan for one model: per dataset the samples, the prompt tokens the model would read and, with
 * `maxSeqLen`, how many prompts lose examples, from the same token counts and truncation the run uses. The backend
 * is started only when it counts tokens or `estimate` is asked for: then the server is asked for token counts
 * (nothing is generated), and with `estimate` the first {@link probeRequestCount} requests are really sent, at the
 * model's concurrency, to time them. The caller closes the backend.
 */
export async function planModel(options: {
  model: ResolvedModel;
  modelLabel: string;
  backend: ModelBackend;
  tasks: readonly DatasetTask[];
  loadSamples: (task: DatasetTask) => Promise<readonly TaskSample[]>;
  estimate: boolean;
  /** False for a server the run would launch: a dry run starts nothing, so there are no counts and no probe. */
  startBackend: boolean;
  signal: AbortSignal;
}): Promise<ModelPlan> {
  const { model, backend, signal } = options;
  const canCount = options.startBackend && backend.capabilities.tokenCount === true && backend.doCountTokens !== undefined;
  const estimate = options.startBackend && options.estimate;
  if (canCount || estimate) await backend.doStart({ signal });
  const countTokens = canCount ? await createTokenCounter(backend, signal) : undefined;
  const { budget, reason } = TokenBudget.of(model, backend);
  const datasets: DatasetPlan[] = [];
  const probe: Array<GenerateRequest | PerplexityRequest> = [];
  let requests = 0;
  for (const task of options.tasks) {
    const samples = await options.loadSamples(task);
    let promptTokens = 0;
    let truncated = 0;
    for (const sample of samples) {
      const shortened = budget && countTokens ? await budget.truncate(task, sample, countTokens) : undefined;
      const item = buildWorkItem({ model, task, sample, identity: {}, ...(shortened ? { truncated: shortened } : {}) });
      requests += 1;
      if (probe.length < probeRequestCount) probe.push(item.request);
      if (shortened && sample.examples && (shortened.keptPerCandidate ?? [shortened.kept]).some((kept) => kept < (sample.examples?.count ?? 0))) truncated += 1;
      if (countTokens) {
        const texts = item.request.kind === 'generate' ? [countedText(item.request.prompt)] : item.request.candidates.map((candidate) => candidate.text);
        for (const count of await countTokens(texts)) promptTokens += count;
      }
    }
    datasets.push({ dataset: task.abbr, samples: samples.length, ...(countTokens ? { promptTokens } : {}), ...(budget ? { truncated } : {}) });
  }
  const sum = (key: 'promptTokens' | 'truncated') =>
    datasets.every((entry) => entry[key] !== undefined) ? datasets.reduce((total, entry) => total + (entry[key] ?? 0), 0) : undefined;
  const promptTokens = sum('promptTokens');
  const truncated = sum('truncated');
  const note = !options.startBackend
    ? `prompt tokens${options.estimate ? ' and --estimate' : ''}: not available for a server the run would launch (a dry run starts nothing; give apiBase of a running server)`
    : !canCount
      ? `prompt tokens: the ${backend.provider} backend cannot count tokens with the model's tokenizer${model.config.type === 'openai' ? ' (set tokenizerPath to a tokenizer.json)' : ''}`
      : reason;
  return {
    model: options.modelLabel,
    datasets,
    ...(promptTokens !== undefined ? { promptTokens } : {}),
    ...(truncated !== undefined ? { truncated } : {}),
    ...(model.config.maxSeqLen !== undefined ? { maxSeqLen: model.config.maxSeqLen } : {}),
    ...(note ? { note } : {}),
    ...(estimate ? { estimate: await probeServer({ backend, model, probe, requests, signal }) } : {}),
  };
}

/** Send `probe` at the model's concurrency and extrapolate its wall time to `requests`. */
async function probeServer(options: {
  backend: ModelBackend;
  model: ResolvedModel;
  probe: ReadonlyArray<GenerateRequest | PerplexityRequest>;
  requests: number;
  signal: AbortSignal;
}): Promise<ProbeEstimate> {
  const { backend, model, probe, signal } = options;
  // `auto` starts moderate and grows; the probe uses a fixed 8 (or the model's fixed concurrency), at most the probe size.
  const concurrency = Math.max(1, Math.min(probe.length, model.concurrency === 'auto' ? 8 : model.concurrency));
  let next = 0;
  let failed = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < probe.length && !signal.aborted) {
      const request = probe[next++] as GenerateRequest | PerplexityRequest;
      const timeout = withTimeout(signal, model.timeoutMs);
      try {
        if (request.kind === 'generate') await backend.doGenerate(request, { signal: timeout.signal });
        else await backend.doPerplexity(request, { signal: timeout.signal });
      } catch {
        failed += 1;
      } finally {
        timeout.clear();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const probeMs = Date.now() - started;
  const etaMs = probe.length > 0 ? Math.round((probeMs / probe.length) * options.requests) : 0;
  return { probeRequests: probe.length, concurrency, probeMs, requests: options.requests, etaMs, failed };
}
