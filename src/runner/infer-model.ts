import { setMaxListeners } from 'node:events';
import type { ResolvedModel } from '../config/index.js';
import { renderPrompt, type RenderedPrompt } from '../prompts/index.js';
import {
  BackendCallError,
  BackendUnavailableError,
  OutputError,
  type DatasetTask,
  type GenerateRequest,
  type GenerateResult,
  type PerplexityRequest,
  type PerplexityResult,
  type RunReporter,
  type TaskProgress,
  type TaskSample,
} from '../spec/index.js';
import { readSampleLog, SampleLogWriter, writePredictionsFile, type RunDirectory, type SampleRecord } from '../store/index.js';
import { stableHash } from '../utils/hash.js';
import { callWithRetries, formatSeconds, withTimeout } from './dispatch-with-retries.js';
import type { EndpointPool, PoolEndpoint } from './endpoint-pool.js';
import { notifyReporters } from './notify-reporters.js';
import { dispatchContinuously } from './run-pool.js';
import { perplexityText, TokenBudget } from './token-budget.js';
import type { TruncatedPrompt } from './truncate-examples.js';

/** One sample's request, rendered for the model; `labels` is set in PPL mode. */
export interface WorkItem {
  readonly task: DatasetTask;
  readonly sample: TaskSample;
  readonly originPrompt: RenderedPrompt['originPrompt'];
  readonly request: GenerateRequest | PerplexityRequest;
  readonly labels?: readonly string[];
  readonly key: string;
  /** Set when `maxSeqLen` truncation ran: the examples kept (PPL: by the last label, and per label). */
  readonly examplesKept?: number;
  readonly examplesKeptPerLabel?: readonly number[];
  /** PPL mode: the sample's in-context examples before truncation (OpenCompass saves them before it truncates). */
  readonly inContextExamples?: string;
}

interface TaskState {
  readonly task: DatasetTask;
  readonly records: Map<number, SampleRecord>;
  readonly writer: SampleLogWriter;
  /** Records written once the dataset finished (its `records` are then released). */
  finished: number;
  total: number;
  reused: number;
  failed: number;
  pending: number;
}

/** How many consecutive samples may fail on an unreachable server before the run stops instead of burning through all. */
const unreachableFailureLimit = 8;

/** The samples of one model that failed in this inference, by kind. */
export interface FailureCounts {
  /** Failed after every retry (5xx, 429, timeouts, resets, broken answers): `-r` may well succeed. */
  readonly afterRetries: number;
  /** Refused by the server as a request error (4xx, 3xx, a prompt too long, no content): not retried. */
  readonly rejected: number;
  /** Rejected samples by HTTP status (`"none"` when the answer had no status, e.g. content missing). */
  readonly rejectedByStatus: Readonly<Record<string, number>>;
}

/** A `Retry-After` this long or longer is announced (at most every 30 s). */
const announcedRetryAfterSeconds = 5;

/**
 * Run every pending sample of one model through its backend: one continuous stream across datasets with
 * `concurrency` requests in flight, each finished sample appended to the per-sample log at once, and each
 * dataset's predictions file written (atomically) when its last sample finishes. Datasets are loaded and rendered
 * lazily, as dispatch reaches them (the next one while the current one is sent), and released when finished, so a
 * suite of many datasets never holds every prompt at once. Samples already in the log with the same key are reused;
 * failed ones are requested again.
 */
export async function inferModel(options: {
  model: ResolvedModel;
  modelAbbr: string;
  modelName: string;
  /** The model's endpoints (one backend each). */
  pool: EndpointPool;
  tasks: readonly DatasetTask[];
  /** Loads one dataset's samples (called once per dataset, in order, as dispatch reaches it). */
  loadSamples: (task: DatasetTask) => Promise<readonly TaskSample[]>;
  runDirectory: RunDirectory;
  reporters: readonly RunReporter[];
  signal: AbortSignal;
  sequentialTasks: boolean;
}): Promise<FailureCounts> {
  const { model, modelAbbr, pool, runDirectory, reporters } = options;
  const provider = pool.endpoints[0]?.backend.provider ?? 'unknown';
  const identity = { provider, modelName: options.modelName, promptStyle: model.promptStyle };
  const states: TaskState[] = [];
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  // Every request in flight listens to the run's signal.
  setMaxListeners(0, signal);
  let fatal: Error | undefined;
  // A sample log that cannot be written (a full disk) stops the run at once: nothing more is requested.
  const onWriteError = (error: Error) => {
    fatal ??= error;
    controller.abort();
  };
  const { budget, reason } = TokenBudget.of(model, pool.endpoints[0]?.backend);
  if (reason && options.tasks.some((task) => task.requestKind !== 'loglikelihood')) notifyReporters(reporters, 'onWarning', { modelAbbr, message: reason });
  /** Load a dataset, match it against its sample log, and render the work still to do. */
  const prepare = async (task: DatasetTask): Promise<{ state: TaskState; work: WorkItem[] }> => {
    const samples = await options.loadSamples(task);
    const path = runDirectory.samples(modelAbbr, task.abbr);
    const existing = await readSampleLog(path);
    const state: TaskState = {
      task,
      records: new Map(),
      writer: new SampleLogWriter(path, { onError: onWriteError }),
      finished: 0,
      total: samples.length,
      reused: 0,
      failed: 0,
      pending: 0,
    };
    const work: WorkItem[] = [];
    const counter = budget ? await budget.counter(runDirectory.tokenCounts(modelAbbr, task.abbr), signal) : undefined;
    for (const sample of samples) {
      const truncated = budget && counter ? await budget.truncate(task, sample, counter.count) : undefined;
      const item = buildWorkItem({ model, task, sample, identity, ...(truncated ? { truncated } : {}) });
      const previous = existing.get(sample.index);
      if (previous && previous.key === item.key && previous.error === undefined) {
        state.records.set(sample.index, previous);
        state.reused += 1;
      } else {
        work.push(item);
      }
    }
    await counter?.save();
    state.pending = work.length;
    states.push(state);
    return { state, work };
  };
  let consecutiveUnreachable = 0;
  let backingOff = 0;
  let afterRetries = 0;
  let rejected = 0;
  const rejectedByStatus: Record<string, number> = {};
  let lastRetryAfterNotice = 0;

  const progress = (state: TaskState): TaskProgress => ({
    modelAbbr,
    datasetAbbr: state.task.abbr,
    total: state.total,
    done: state.records.size + state.finished,
    failed: state.failed,
    reused: state.reused,
  });
  const finishTask = async (state: TaskState) => {
    await state.writer.close();
    await writePredictionsFile(runDirectory.predictions(modelAbbr, state.task.abbr), [...state.records.values()]);
    notifyReporters(reporters, 'onTaskEnd', progress(state));
    // The records are on disk now; don't hold every prompt of a long run in memory.
    state.finished = state.records.size;
    state.records.clear();
  };

  const worker = async (item: WorkItem, state: TaskState) => {
    const started = Date.now();
    let record: SampleRecord;
    let attemptsMade = 0;
    try {
      const request = item.request;
      let previous: PoolEndpoint | undefined;
      const { value, attempts } = await callWithRetries<GenerateResult | PerplexityResult>({
        call: async (callSignal): Promise<GenerateResult | PerplexityResult> => {
          attemptsMade += 1;
          // A retry prefers another endpoint than the one that just failed.
          const endpoint = await pool.acquire(callSignal, previous ? { avoid: previous } : {});
          previous = endpoint;
          const attemptStarted = Date.now();
          const timeout = withTimeout(callSignal, model.timeoutMs);
          try {
            const result =
              request.kind === 'generate'
                ? await endpoint.backend.doGenerate(request, { signal: timeout.signal })
                : await endpoint.backend.doPerplexity(request, { signal: timeout.signal });
            pool.release(endpoint, { kind: 'success', latencyMs: Date.now() - attemptStarted });
            return result;
          } catch (error) {
            pool.release(endpoint, { kind: 'failure', error, requestKey: item.key });
            throw error;
          } finally {
            timeout.clear();
          }
        },
        retries: model.retry,
        signal,
        maxRetryWaitMs: model.maxRetryWaitMs,
        // Samples waiting out a backoff don't occupy the server: let others use the room meanwhile.
        onBackoff: (waiting) => (backingOff += waiting ? 1 : -1),
        onRetryAfter: (seconds, error) => {
          if (seconds < announcedRetryAfterSeconds || Date.now() - lastRetryAfterNotice < 30_000) return;
          lastRetryAfterNotice = Date.now();
          notifyReporters(reporters, 'onWarning', {
            modelAbbr,
            message: `${error.url ?? 'the server'} asks to wait ${formatSeconds(seconds)} before retrying (HTTP ${error.statusCode ?? '?'} with Retry-After); waiting`,
          });
        },
      });
      consecutiveUnreachable = 0;
      record =
        value.kind === 'generate'
          ? {
              ...baseRecord(item, started),
              prediction: value.text,
              attempts,
              ...(value.usage?.promptTokens !== undefined ? { promptTokens: value.usage.promptTokens } : {}),
              ...(value.usage?.completionTokens !== undefined ? { completionTokens: value.usage.completionTokens } : {}),
            }
          : { ...baseRecord(item, started), ...pplRecordFields(item, value), attempts };
    } catch (error) {
      if (signal.aborted) return;
      if (BackendUnavailableError.isInstance(error) || OutputError.isInstance(error)) {
        fatal ??= error;
        controller.abort();
        return;
      }
      const message = (error as Error).message;
      // Failures with no HTTP status (refused, reset, timed out, broken bodies); a request error (e.g. an answer
      // without content) is the prompt's, however it came.
      const unreachable = BackendCallError.isInstance(error) && error.statusCode === undefined && error.isRetryable;
      consecutiveUnreachable = unreachable ? consecutiveUnreachable + 1 : 0;
      if (consecutiveUnreachable >= unreachableFailureLimit && !fatal) {
        fatal = new BackendUnavailableError({
          message: `stopped: ${consecutiveUnreachable} samples in a row failed to reach the server (${message}). Finished samples are saved; continue with --reuse once the server is back.`,
        });
        controller.abort();
        return;
      }
      const retryable = !BackendCallError.isInstance(error) || error.isRetryable;
      record = { ...baseRecord(item, started), prediction: '', error: message, attempts: Math.max(1, attemptsMade) };
      state.failed += 1;
      if (retryable) afterRetries += 1;
      else {
        rejected += 1;
        const status = BackendCallError.isInstance(error) && error.statusCode !== undefined ? String(error.statusCode) : 'none';
        rejectedByStatus[status] = (rejectedByStatus[status] ?? 0) + 1;
      }
      notifyReporters(reporters, 'onDebug', `${modelAbbr}/${item.task.abbr} #${item.sample.index} failed: ${message}`);
    }
    state.records.set(item.sample.index, record);
    state.writer.append(record);
    state.pending -= 1;
    notifyReporters(reporters, 'onSampleEnd', { ...progress(state), ...(record.error !== undefined ? { error: record.error } : {}) });
    if (state.pending === 0) await finishTask(state);
  };

  /** The work of `tasks`, dataset after dataset; loading the next dataset overlaps sending the current one. */
  async function* workOf(tasks: readonly DatasetTask[]): AsyncGenerator<{ item: WorkItem; state: TaskState }> {
    let next = tasks[0] ? prepare(tasks[0]) : undefined;
    // A prefetch that fails while the current dataset is being sent surfaces when it is reached.
    next?.catch(() => undefined);
    for (let index = 0; index < tasks.length && next; index += 1) {
      const { state, work } = await next;
      const following = tasks[index + 1];
      next = following ? prepare(following) : undefined;
      next?.catch(() => undefined);
      notifyReporters(reporters, 'onTaskStart', progress(state));
      if (state.pending === 0) await finishTask(state);
      for (const item of work.splice(0)) yield { item, state };
    }
  }

  try {
    const lanes = options.sequentialTasks ? options.tasks.map((task) => [task]) : [options.tasks];
    // One continuous stream across datasets (one per dataset with --debug); a dataset's samples go out together,
    // so requests sharing its few-shot prefix reach the server close together (prefix caching).
    for (const lane of lanes) {
      await dispatchContinuously({ items: workOf(lane), capacity: () => pool.capacity + backingOff, signal, worker: ({ item, state }) => worker(item, state) });
      if (fatal || signal.aborted) break;
    }
  } finally {
    await Promise.all(states.map((state) => state.writer.close()));
  }
  if (fatal) throw fatal;
  if (options.signal.aborted) throw new BackendUnavailableError({ message: 'interrupted; finished samples are saved, continue with --reuse' });
  return { afterRetries, rejected, rejectedByStatus };
}

/** A sample's request as the model gets it (after any `maxSeqLen` truncation) and its sample key. */
export function buildWorkItem(options: {
  model: ResolvedModel;
  task: DatasetTask;
  sample: TaskSample;
  identity: unknown;
  truncated?: TruncatedPrompt;
}): WorkItem {
  const { model, task, sample, truncated } = options;
  // With a token budget the examples kept are part of the key (and the prompt); without one, keys are as before.
  const kept = truncated ? { examplesKept: truncated.kept, ...(truncated.keptPerCandidate ? { examplesKeptPerLabel: truncated.keptPerCandidate } : {}) } : {};
  const keyOf = (request: GenerateRequest | PerplexityRequest) =>
    stableHash({
      identity: options.identity,
      request,
      version: task.version,
      gold: sample.gold,
      ...(sample.repeat !== undefined ? { repeat: sample.repeat } : {}),
      ...kept,
    });
  if (task.requestKind === 'perplexity') {
    const candidates = truncated?.rendered.candidates ?? sample.candidates ?? [];
    const request: PerplexityRequest = {
      kind: 'perplexity',
      candidates: candidates.map((candidate) => ({
        text: perplexityText(model, candidate.dialogue),
        suffix: perplexityText(model, candidate.withoutExamples),
      })),
    };
    const first = sample.candidates?.[0];
    const fullText = first ? perplexityText(model, first.dialogue) : '';
    const inContextExamples = first ? (first.examples ?? fullText.slice(0, fullText.length - perplexityText(model, first.withoutExamples).length)) : '';
    // OpenCompass stores the question without examples, taken from the first label.
    return {
      task,
      sample,
      originPrompt: request.candidates[0]?.suffix ?? '',
      request,
      labels: candidates.map((candidate) => candidate.label),
      key: keyOf(request),
      inContextExamples,
      ...kept,
    };
  }
  const rendered = renderPrompt(truncated?.rendered.dialogue ?? sample.dialogue, model.promptStyle);
  const request: GenerateRequest = {
    kind: 'generate',
    prompt: rendered.prompt,
    settings: { ...model.generation, maxOutLen: task.maxOutLen ?? model.maxOutLen },
  };
  return { task, sample, originPrompt: rendered.originPrompt, request, key: keyOf(request), ...kept };
}

/** PPL mode: the label with the lowest PPL (the first on ties) and OpenCompass's per-label PPL and BPB. */
function pplRecordFields(item: WorkItem, result: PerplexityResult) {
  const request = item.request as PerplexityRequest;
  const labels = (item.labels ?? []).map((label, index) => {
    const candidate = request.candidates[index] as PerplexityRequest['candidates'][number];
    const score = result.scores[index];
    if (!score) throw new TypeError(`backend returned ${result.scores.length} scores for ${request.candidates.length} candidates`);
    const bytes = Buffer.byteLength(candidate.suffix, 'utf8');
    return { label, prompt: candidate.text, testingInput: candidate.suffix, ppl: score.ppl, bpb: bytes > 0 ? (score.ppl * score.suffixTokenCount) / bytes : 0 };
  });
  let best = labels[0];
  for (const entry of labels) if (best && entry.ppl < best.ppl) best = entry;
  return { prediction: best?.label ?? '', labels, inContextExamples: item.inContextExamples ?? '' };
}

function baseRecord(item: WorkItem, started: number) {
  return {
    index: item.sample.index,
    key: item.key,
    originPrompt: item.originPrompt,
    gold: item.sample.gold,
    // Several generations of one question share it: scoring must not take them for independent samples.
    ...(item.sample.repeat !== undefined ? { repeat: item.sample.repeat } : {}),
    // Stored so `--mode eval` can re-score without the data files (HumanEval's tests, a custom dataset's options).
    ...(item.sample.evaluatorInput ? { evaluatorInput: item.sample.evaluatorInput } : {}),
    ...(item.examplesKept !== undefined ? { examplesKept: item.examplesKept } : {}),
    ...(item.examplesKeptPerLabel ? { examplesKeptPerLabel: item.examplesKeptPerLabel } : {}),
    latencyMs: Date.now() - started,
  };
}
