import type { ResolvedModel } from '../config/index.js';
import { renderPrompt, type RenderedPrompt } from '../prompts/index.js';
import {
  BackendCallError,
  BackendUnavailableError,
  type DatasetTask,
  type GenerateRequest,
  type ModelBackend,
  type RunReporter,
  type TaskProgress,
  type TaskSample,
} from '../spec/index.js';
import { readSampleLog, SampleLogWriter, writePredictionsFile, type RunDirectory, type SampleRecord } from '../store/index.js';
import { stableHash } from '../utils/hash.js';
import { callWithRetries } from './dispatch-with-retries.js';
import { notifyReporters } from './notify-reporters.js';
import { runPool } from './run-pool.js';

interface WorkItem {
  readonly task: DatasetTask;
  readonly sample: TaskSample;
  readonly rendered: RenderedPrompt;
  readonly request: GenerateRequest;
  readonly key: string;
}

interface TaskState {
  readonly task: DatasetTask;
  readonly records: Map<number, SampleRecord>;
  readonly writer: SampleLogWriter;
  total: number;
  reused: number;
  failed: number;
  pending: number;
}

/** How many consecutive samples may fail on an unreachable server before the run stops instead of burning through all. */
const unreachableFailureLimit = 8;

/**
 * Run every pending sample of one model through its backend: one continuous stream across datasets with
 * `concurrency` requests in flight, each finished sample appended to the per-sample log at once, and each
 * dataset's predictions file written (atomically) when its last sample finishes. Samples already in the log
 * with the same key are reused; failed ones are requested again.
 */
export async function inferModel(options: {
  model: ResolvedModel;
  modelAbbr: string;
  modelName: string;
  backend: ModelBackend;
  tasks: ReadonlyArray<{ task: DatasetTask; samples: readonly TaskSample[] }>;
  runDirectory: RunDirectory;
  reporters: readonly RunReporter[];
  signal: AbortSignal;
  sequentialTasks: boolean;
}): Promise<void> {
  const { model, modelAbbr, backend, runDirectory, reporters } = options;
  const identity = { provider: backend.provider, modelName: options.modelName, promptStyle: model.promptStyle };
  const states: TaskState[] = [];
  const workByTask: WorkItem[][] = [];
  for (const { task, samples } of options.tasks) {
    const path = runDirectory.samples(modelAbbr, task.abbr);
    const existing = await readSampleLog(path);
    const state: TaskState = { task, records: new Map(), writer: new SampleLogWriter(path), total: samples.length, reused: 0, failed: 0, pending: 0 };
    const work: WorkItem[] = [];
    for (const sample of samples) {
      const item = buildWorkItem({ model, task, sample, identity });
      const previous = existing.get(sample.index);
      if (previous && previous.key === item.key && previous.error === undefined) {
        state.records.set(sample.index, previous);
        state.reused += 1;
      } else {
        work.push(item);
      }
    }
    state.pending = work.length;
    states.push(state);
    workByTask.push(work);
  }
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  let consecutiveUnreachable = 0;
  let fatal: Error | undefined;

  const progress = (state: TaskState): TaskProgress => ({
    modelAbbr,
    datasetAbbr: state.task.abbr,
    total: state.total,
    done: state.records.size,
    failed: state.failed,
    reused: state.reused,
  });
  const finishTask = async (state: TaskState) => {
    await state.writer.close();
    await writePredictionsFile(runDirectory.predictions(modelAbbr, state.task.abbr), [...state.records.values()]);
    notifyReporters(reporters, 'onTaskEnd', progress(state));
  };

  const worker = async (item: WorkItem, state: TaskState) => {
    const started = Date.now();
    let record: SampleRecord;
    try {
      const { value, attempts } = await callWithRetries({
        call: (callSignal) => backend.doGenerate(item.request, { signal: callSignal }),
        retries: model.retry,
        timeoutMs: model.timeoutMs,
        signal,
      });
      consecutiveUnreachable = 0;
      record = {
        ...baseRecord(item, started),
        prediction: value.text,
        attempts,
        ...(value.usage?.promptTokens !== undefined ? { promptTokens: value.usage.promptTokens } : {}),
        ...(value.usage?.completionTokens !== undefined ? { completionTokens: value.usage.completionTokens } : {}),
      };
    } catch (error) {
      if (signal.aborted) return;
      const message = (error as Error).message;
      const unreachable = BackendCallError.isInstance(error) && error.statusCode === undefined;
      consecutiveUnreachable = unreachable ? consecutiveUnreachable + 1 : 0;
      if (consecutiveUnreachable >= unreachableFailureLimit && !fatal) {
        fatal = new BackendUnavailableError({
          message: `stopped: ${consecutiveUnreachable} samples in a row failed to reach the server (${message}). Finished samples are saved; continue with --reuse once the server is back.`,
        });
        controller.abort();
        return;
      }
      record = { ...baseRecord(item, started), prediction: '', error: message, attempts: model.retry + 1 };
      state.failed += 1;
      notifyReporters(reporters, 'onDebug', `${modelAbbr}/${item.task.abbr} #${item.sample.index} failed: ${message}`);
    }
    state.records.set(item.sample.index, record);
    await state.writer.append(record);
    state.pending -= 1;
    notifyReporters(reporters, 'onSampleEnd', { ...progress(state), ...(record.error !== undefined ? { error: record.error } : {}) });
    if (state.pending === 0) await finishTask(state);
  };

  try {
    for (const state of states) notifyReporters(reporters, 'onTaskStart', progress(state));
    for (const state of states) if (state.pending === 0) await finishTask(state);
    const lanes = options.sequentialTasks ? workByTask.map((work) => [work]) : [workByTask];
    for (const group of lanes) {
      const items = group.flatMap((work) => work.map((item) => ({ item, state: states[options.tasks.findIndex((entry) => entry.task === item.task)] as TaskState })));
      await runPool({ items, concurrency: model.concurrency, signal, worker: ({ item, state }) => worker(item, state) });
      if (fatal || signal.aborted) break;
    }
  } finally {
    await Promise.all(states.map((state) => state.writer.close()));
  }
  if (fatal) throw fatal;
  if (options.signal.aborted) throw new BackendUnavailableError({ message: 'interrupted; finished samples are saved, continue with --reuse' });
}

function buildWorkItem(options: { model: ResolvedModel; task: DatasetTask; sample: TaskSample; identity: unknown }): WorkItem {
  const { model, task, sample } = options;
  const rendered = renderPrompt(sample.dialogue, model.promptStyle);
  const request: GenerateRequest = {
    kind: 'generate',
    prompt: rendered.prompt,
    settings: { ...model.generation, maxOutLen: task.maxOutLen ?? model.maxOutLen },
  };
  const key = stableHash({ identity: options.identity, settings: request.settings, prompt: request.prompt, version: task.version, gold: sample.gold });
  return { task, sample, rendered, request, key };
}

function baseRecord(item: WorkItem, started: number) {
  return {
    index: item.sample.index,
    key: item.key,
    originPrompt: item.rendered.originPrompt,
    gold: item.sample.gold,
    latencyMs: Date.now() - started,
  };
}
