import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  redactSecrets,
  resolveConfig,
  type ConfigOverrides,
  type ConfigWarning,
  type ResolvedConfig,
  type ResolvedModel,
  type UserConfig,
} from '../config/index.js';
import { resolveDataRoot } from '../datasets/index.js';
import { buildSummary, datasetScore, writeSummaryFiles, type DatasetScore, type SummaryRowRequest, type SummaryTable } from '../report/index.js';
import { createBackends, findSummarizer, summaryGroups } from '../registry/index.js';
import {
  checkCapabilities,
  EndpointPool,
  formatGroupedCaveat,
  groupCaveats,
  inferModel,
  notifyReporters,
  planModel,
  replicateSamples,
  scoreTask,
  type DatasetPlan,
  type FailureCounts,
  type ModelPlan,
} from '../runner/index.js';
import { ConfigError, redactText, type DatasetTask, type ModelBackend, type RunReporter, type TaskSample } from '../spec/index.js';
import { failedSampleCount } from '../metrics/index.js';
import { lockRunDirectory, openRunDirectory, readResultsFile, removeIfEmpty, type RunDirectory } from '../store/index.js';
import { formatJsonFile, writeFileAtomic } from '../utils/atomic-write.js';
import { releaseHeap } from '../utils/release-heap.js';
import { formatTimestamp } from '../utils/timestamp.js';
import { checkDatasetRows, checkRowsWhileSending, type BackgroundRowCheck } from './check-dataset-rows.js';
import { checkRunInputs, type PlannedLaunch } from './check-run-inputs.js';
import { detectChatTemplates } from './detect-chat-templates.js';
import { withRecordedRun } from './with-recorded-run.js';
import { selectDatasets } from './select-datasets.js';
import { sextantVersion } from './version.js';

export type { FailureCounts } from '../runner/index.js';

/** OpenCompass's stages: `all` = infer + eval + viz; `eval` re-scores stored predictions; `viz` re-summarises results. */
export type RunMode = 'all' | 'infer' | 'eval' | 'viz';

export interface RunEvaluationOptions {
  readonly config: UserConfig;
  readonly overrides?: ConfigOverrides;
  /** Where the config came from (a file path), for messages. */
  readonly configSource?: string;
  /** Settings of the config file that cannot take effect (`loadConfigFileWithWarnings`); recorded in each model's log. */
  readonly configWarnings?: readonly ConfigWarning[];
  /** @default 'all' */
  readonly mode?: RunMode;
  /** Continue a run: a timestamp folder name, or `'latest'`. */
  readonly reuse?: string;
  /** One model and one dataset at a time, verbose. */
  readonly debug?: boolean;
  /**
   * Resolve config and data and make the plan without generating: prompt tokens (from backends that count tokens,
   * which may ask the server's tokenize route) and `maxSeqLen` truncations per dataset.
   */
  readonly dryRun?: boolean;
  /** With `dryRun`: send the first 20 requests to the real server and extrapolate an ETA. */
  readonly estimate?: boolean;
  readonly reporters?: readonly RunReporter[];
  /** Aborting stops dispatching; finished samples stay saved. */
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunEvaluationResult {
  /** Absent for a dry run. */
  readonly runDirectory?: string;
  readonly summary?: SummaryTable;
  /** The tabulate and markdown renderings printed at the end. */
  readonly summaryText?: { readonly tabulate: string; readonly markdown: string };
  readonly summaryFiles?: { readonly csv: string; readonly txt: string; readonly md: string; readonly intervals: string };
  /** The run's self-contained `report.html`. */
  readonly reportFile?: string;
  /** Samples that failed after all retries, per model. */
  readonly failed: Readonly<Record<string, number>>;
  /** Of the samples that failed in this run's inference, per model: how many by kind (absent for `eval`/`viz`). */
  readonly failureKinds?: Readonly<Record<string, FailureCounts>>;
  /** The plan, for a dry run: (model label, dataset abbr, samples, prompt tokens, truncated prompts). */
  readonly plan?: ReadonlyArray<{ model: string } & DatasetPlan>;
  /** The plan per model, with totals, notes and the `estimate` probe. */
  readonly modelPlans?: readonly ModelPlan[];
  /** For a dry run: the servers the run would launch, with their command lines. */
  readonly launches?: readonly PlannedLaunch[];
}

/** Evaluate every configured model on every configured dataset: sextant's main use case. */
export async function runEvaluation(options: RunEvaluationOptions): Promise<RunEvaluationResult> {
  const started = Date.now();
  const launchDate = new Date();
  const launchTimestamp = formatTimestamp(launchDate);
  const mode = options.mode ?? 'all';
  const reporters = options.reporters ?? [];
  const signal = options.signal ?? new AbortController().signal;
  const configured = resolveConfig({
    config: await withRecordedRun({
      config: options.config,
      overrides: options.overrides ?? {},
      rescoring: mode === 'eval' || mode === 'viz',
      reuse: options.reuse,
    }),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.configSource ? { source: options.configSource } : {}),
    ...(options.configWarnings ? { configWarnings: options.configWarnings } : {}),
  });
  const resolved: ResolvedConfig = { ...configured, models: await detectChatTemplates(configured.models) };
  const needsData = mode === 'all' || mode === 'infer' || options.dryRun === true;
  const dataRoot = resolveDataRoot({ ...(resolved.dataDir ? { dataDir: resolved.dataDir } : {}), ...(options.env ? { env: options.env } : {}) });
  // Every benchmark's files are checked before anything is requested; samples are loaded later, dataset by dataset.
  // A dry run checks the data with everything else it checks, so that every problem is reported at once.
  const tasks = await selectDatasets({ resolved, root: dataRoot, checkData: needsData && options.dryRun !== true });
  const summarizer = resolved.summarizer.name !== undefined ? findSummarizer(resolved.summarizer.name) : undefined;
  const backends = await Promise.all(resolved.models.map((model) => createBackends(model)));
  checkCapabilities(
    resolved.models.map((model, index) => ({ modelLabel: modelLabel(model, index), backend: (backends[index] as ModelBackend[])[0] as ModelBackend, tasks })),
  );
  for (const caveat of groupCaveats(tasks)) notifyReporters(reporters, 'onWarning', { message: formatGroupedCaveat(caveat) });

  const readSamples = async (task: DatasetTask) =>
    replicateSamples(
      await task.loadSamples({ dataRoot: dataRoot.path, ...(resolved.limit !== undefined ? { limit: resolved.limit } : {}) }),
      resolved.numSamples,
    );
  // Rows are checked without delaying the first request: the first dataset's before any request (a bad row there
  // fails the run with nothing sent), the others' in the background while it is being sent. A bad row found there
  // aborts dispatch at once (`rowCheck.signal`), and no dataset after the first is loaded until every row has passed,
  // so nothing beyond the first dataset is requested (docs/decisions/2026-12-02-row-check-in-background.md).
  // Samples are loaded lazily, one dataset at a time, as dispatch reaches them, so a suite never holds every prompt.
  const rowCheck =
    (mode === 'all' || mode === 'infer') && !options.dryRun
      ? await checkRowsWhileSending({ tasks, dataRoot: dataRoot.path, ...(resolved.limit !== undefined ? { limit: resolved.limit } : {}) })
      : undefined;
  const loadSamples = async (task: DatasetTask) => {
    if (rowCheck && task !== tasks[0]) await rowCheck.done;
    return readSamples(task);
  };
  if (resolved.numSamples > 1 && resolved.models.some((model) => Number(model.generation.extra?.temperature ?? model.generation.temperature ?? 0) === 0)) {
    notifyReporters(reporters, 'onWarning', {
      message: `--num-samples ${resolved.numSamples} with greedy decoding: every generation of a sample will be the same; give sampling settings (--generation-kwargs temperature=0.8 top_p=0.95)`,
    });
  }
  if (options.estimate && !options.dryRun)
    throw new ConfigError({ field: '--estimate', message: '--estimate works with --dry-run (it times 20 requests to plan the run)' });
  if (options.dryRun) {
    // Everything the run would stop at is checked first (the data read once to validate it); then the plan, one
    // dataset at a time. Backends that count tokens on a running server (or in process) are asked for counts; a
    // server the run would launch is not started.
    const labels = resolved.models.map(modelLabel);
    const launches = await checkRunInputs({
      resolved,
      labels,
      reuse: options.reuse,
      env: options.env ?? process.env,
      loadData: async () => {
        await selectDatasets({ resolved, root: dataRoot, checkData: true });
        await checkDatasetRows({ tasks, dataRoot: dataRoot.path, ...(resolved.limit !== undefined ? { limit: resolved.limit } : {}) });
      },
    });
    const launched = new Set(launches.map((launch) => launch.model));
    const modelPlans: ModelPlan[] = [];
    try {
      for (const [index, model] of resolved.models.entries()) {
        const backend = (backends[index] as ModelBackend[])[0] as ModelBackend;
        const label = labels[index] as string;
        modelPlans.push(
          await planModel({
            model,
            modelLabel: label,
            backend,
            tasks,
            loadSamples,
            estimate: options.estimate === true,
            startBackend: !launched.has(label),
            signal,
          }),
        );
      }
    } finally {
      await Promise.all(backends.flat().map((backend) => backend.doClose().catch(() => undefined)));
    }
    const plan = modelPlans.flatMap((modelPlan) => modelPlan.datasets.map((entry) => ({ model: modelPlan.model, ...entry })));
    return { failed: {}, plan, modelPlans, launches };
  }
  if ((mode === 'eval' || mode === 'viz') && options.reuse === undefined) {
    throw new ConfigError({ field: '--mode', message: `--mode ${mode} works on an earlier run: add -r/--reuse [TIMESTAMP]` });
  }
  // The work dir is checked, and the run folder created (a unique name) and locked, before any request.
  const runDirectory = await openRunDirectory({ workDir: resolved.workDir, now: launchDate, ...(options.reuse !== undefined ? { reuse: options.reuse } : {}) });
  let releaseLock: () => Promise<void>;
  try {
    releaseLock = await lockRunDirectory(runDirectory, { onStale: (message) => notifyReporters(reporters, 'onWarning', { message }) });
  } catch (error) {
    if (runDirectory.created) await removeIfEmpty(runDirectory.root);
    throw error;
  }
  try {
    return await evaluateInRunDirectory({
      options,
      resolved,
      tasks,
      backends,
      loadSamples,
      rowCheck,
      summarizer,
      runDirectory,
      reporters,
      signal,
      mode,
      started,
      launchTimestamp,
    });
  } finally {
    await releaseLock();
    if (runDirectory.created) await removeIfEmpty(runDirectory.root);
  }
}

async function evaluateInRunDirectory(context: {
  options: RunEvaluationOptions;
  resolved: ResolvedConfig;
  tasks: readonly DatasetTask[];
  backends: ReadonlyArray<readonly ModelBackend[]>;
  loadSamples: (task: DatasetTask) => Promise<readonly TaskSample[]>;
  rowCheck: BackgroundRowCheck | undefined;
  summarizer: ReturnType<typeof findSummarizer> | undefined;
  runDirectory: RunDirectory;
  reporters: readonly RunReporter[];
  signal: AbortSignal;
  mode: RunMode;
  started: number;
  launchTimestamp: string;
}): Promise<RunEvaluationResult> {
  const { options, resolved, tasks, backends, loadSamples, rowCheck, summarizer, runDirectory, reporters, signal, mode, started, launchTimestamp } = context;
  let abbrs: string[];
  let failureKinds: Record<string, FailureCounts> = {};
  try {
    notifyReporters(reporters, 'onRunStart', {
      runDirectory: runDirectory.root,
      mode,
      taskCount: tasks.length * resolved.models.length,
    });
    if (mode === 'all' || mode === 'infer') {
      const inferred = inferAll({
        resolved,
        backends,
        tasks,
        loadSamples,
        runDirectory,
        reporters,
        signal: rowCheck ? AbortSignal.any([signal, rowCheck.signal]) : signal,
        debug: options.debug === true,
        launchTimestamp,
      });
      // A bad row found in the background is the run's error (not the "interrupted" of the dispatch it stopped); it is
      // thrown once the samples in flight have settled.
      const outcome = await inferred.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await rowCheck?.done;
      if ('error' in outcome) throw outcome.error;
      ({ abbrs, failureKinds } = outcome.value);
    } else {
      abbrs = await recordedAbbrs(runDirectory, resolved);
    }
  } finally {
    await Promise.all(backends.flat().map((backend) => backend.doClose().catch(() => undefined)));
  }
  const failed: Record<string, number> = {};
  // What inference held (prompts, sample records, HTTP buffers) is garbage now: a full collection hands it back
  // before scoring and the report grow the heap again (the CLI only; see releaseHeap).
  releaseHeap();
  if (mode === 'infer') {
    notifyReporters(reporters, 'onRunEnd', { runDirectory: runDirectory.root, elapsedMs: Date.now() - started });
    return { runDirectory: runDirectory.root, failed, failureKinds };
  }
  // The end phase's modules (the sandbox pool; report.html with its extraction audit) load only when it is reached,
  // so that they do not delay a run's first request.
  const [{ programExecutor }, { writeRunReport }] = await Promise.all([import('./program-executor.js'), import('./write-report.js')]);
  // Programs (HumanEval, MBPP) run in one sandbox pool for the whole eval stage, created only when needed.
  const execution = programExecutor({
    resolved,
    ...(options.env ? { env: options.env } : {}),
    warn: (message) => notifyReporters(reporters, 'onWarning', { message }),
  });
  const scores = new Map<string, Map<string, DatasetScore>>();
  const raw: Array<{ model: string; results: Array<{ dataset: string; result: unknown }> }> = [];
  for (const abbr of abbrs) {
    const modelScores = new Map<string, DatasetScore>();
    const modelRaw: Array<{ dataset: string; result: unknown }> = [];
    for (const task of tasks) {
      const resultsPath = runDirectory.results(abbr, task.abbr);
      const results =
        mode === 'viz'
          ? await readResultsFile(resultsPath)
          : await scoreTask({
              task,
              predictionsPath: runDirectory.predictions(abbr, task.abbr),
              resultsPath,
              samplesPath: runDirectory.samples(abbr, task.abbr),
              cachePath: runDirectory.evaluationCache(abbr, task.abbr),
              signal,
              evaluatorOptions: { ...resolved.evaluatorOptions },
              reExecute: resolved.execution.reExecute,
              ...(task.evaluator.executesPrograms ? { execution: await execution.get() } : {}),
              warn: (message) => notifyReporters(reporters, 'onWarning', { modelAbbr: abbr, message }),
            });
      if (!results) continue;
      const { details: _details, ...metrics } = results;
      modelScores.set(task.abbr, datasetScore(results));
      // `failed` is a count: a BigInt renders as a Python int in the raw block.
      const failedSamples = failedSampleCount(results);
      modelRaw.push({
        dataset: task.abbr,
        result: {
          ...metrics,
          ...(typeof results.failed === 'number' ? { failed: BigInt(results.failed) } : {}),
          ...(results.failed_samples !== undefined ? { failed_samples: BigInt(failedSamples) } : {}),
        },
      });
      failed[abbr] = (failed[abbr] ?? 0) + failedSamples;
    }
    scores.set(abbr, modelScores);
    raw.push({ model: abbr, results: modelRaw });
  }
  const summary = buildSummary({
    datasets: tasks,
    models: abbrs,
    scores,
    groups: [...summaryGroups(), ...(summarizer?.groups ?? [])],
    ...summaryRows(resolved.summarizer.datasetAbbrs, summarizer?.rows),
  });
  const summaryFiles = {
    csv: runDirectory.summary(launchTimestamp, 'csv'),
    txt: runDirectory.summary(launchTimestamp, 'txt'),
    md: runDirectory.summary(launchTimestamp, 'md'),
    intervals: runDirectory.summaryIntervals(launchTimestamp),
  };
  const summaryText = await writeSummaryFiles({ table: summary, raw, timeString: launchTimestamp, paths: summaryFiles });
  releaseHeap();
  // The report is a view of what is stored: failing to write it must not fail the run.
  const report = await writeRunReport({ runDirectory: runDirectory.root }).catch((error: unknown) => {
    notifyReporters(reporters, 'onWarning', { message: `report.html not written: ${(error as Error).message}` });
    return undefined;
  });
  notifyReporters(reporters, 'onRunEnd', { runDirectory: runDirectory.root, elapsedMs: Date.now() - started });
  return { runDirectory: runDirectory.root, summary, summaryText, summaryFiles, ...(report ? { reportFile: report.path } : {}), failed, failureKinds };
}

function modelLabel(model: ResolvedModel, index: number): string {
  const config = model.config;
  const modelName = 'modelName' in config ? config.modelName : undefined;
  const apiBase = 'apiBase' in config && config.apiBase !== undefined ? [config.apiBase].flat().join(',') : undefined;
  const path = 'path' in config ? config.path : undefined;
  return model.abbr ?? modelName ?? apiBase ?? path ?? `models[${index}]`;
}

/** A summarizer's rows: the config's `datasetAbbrs`, else the named summarizer's, else none (the default layout). */
function summaryRows(
  datasetAbbrs: ReadonlyArray<string | readonly [string, string]> | undefined,
  named: ReadonlyArray<string | { readonly abbr: string; readonly metric: string }> | undefined,
): { datasetAbbrs?: SummaryRowRequest[] } {
  if (datasetAbbrs) return { datasetAbbrs: datasetAbbrs.map((entry) => (typeof entry === 'string' ? entry : { abbr: entry[0], metric: entry[1] })) };
  return named ? { datasetAbbrs: [...named] } : {};
}

async function inferAll(options: {
  resolved: ResolvedConfig;
  backends: ReadonlyArray<readonly ModelBackend[]>;
  tasks: readonly DatasetTask[];
  loadSamples: (task: DatasetTask) => Promise<readonly TaskSample[]>;
  runDirectory: RunDirectory;
  reporters: readonly RunReporter[];
  signal: AbortSignal;
  debug: boolean;
  launchTimestamp: string;
}): Promise<{ abbrs: string[]; failureKinds: Record<string, FailureCounts> }> {
  const { resolved, backends, runDirectory, reporters } = options;
  const failureKinds: Record<string, FailureCounts> = {};
  // Every endpoint must answer before any sample is sent; a model's endpoints report its name once.
  const startedAll = await Promise.all(backends.map((endpoints) => Promise.all(endpoints.map((backend) => backend.doStart({ signal: options.signal })))));
  const started = startedAll.map((infos) => {
    const first = infos[0];
    const names = new Set(infos.map((info) => info.modelName));
    const warnings = infos.flatMap((info) => info.warnings);
    if (names.size > 1) warnings.push({ type: 'other', message: `the endpoints of one model serve different model names (${[...names].join(', ')})` });
    const engineMessages = [...new Set(infos.flatMap((info) => info.engineMessages ?? []))];
    return first
      ? {
          ...first,
          apiBase: infos
            .map((info) => info.apiBase)
            .filter(Boolean)
            .join(', '),
          warnings,
          engineMessages,
        }
      : undefined;
  });
  const abbrs = resolved.models.map((model, index) => model.abbr ?? (started[index]?.modelName as string));
  const duplicate = abbrs.find((abbr, index) => abbrs.indexOf(abbr) !== index);
  if (duplicate) throw new ConfigError({ field: 'models', message: `two models share the abbr "${duplicate}"; give each an abbr` });
  await writeFileAtomic(
    runDirectory.configFile(options.launchTimestamp),
    formatJsonFile(
      redactSecrets({
        sextantVersion,
        launchedAt: options.launchTimestamp,
        datasets: resolved.datasets,
        ...(resolved.subjects ? { subjects: resolved.subjects } : {}),
        ...(resolved.customDatasets.length > 0 ? { customDatasets: resolved.customDatasets } : {}),
        datasetVersions: Object.fromEntries(options.tasks.map((task) => [task.abbr, task.version])),
        limit: resolved.limit ?? null,
        dataDir: resolved.dataDir ?? null,
        models: resolved.models.map((model, index) => ({
          abbr: abbrs[index],
          modelName: started[index]?.modelName,
          apiBase: started[index]?.apiBase,
          config: model.config,
          promptStyle: model.promptStyle,
          generation: model.generation,
          maxOutLen: model.maxOutLen,
          concurrency: model.concurrency,
          maxConcurrency: model.maxConcurrency,
          backendSettings: started[index]?.effectiveSettings,
          ...(started[index]?.engineMessages?.length ? { engineMessages: started[index]?.engineMessages } : {}),
          timeoutMs: model.timeoutMs,
          retry: model.retry,
          warnings: [...model.warnings, ...(started[index]?.warnings ?? [])],
        })),
      }),
    ),
  );
  const runModel = async (model: ResolvedModel, index: number) => {
    const abbr = abbrs[index] as string;
    const info = started[index];
    const logPath = runDirectory.inferLog(abbr);
    await mkdir(dirname(logPath), { recursive: true });
    const log = (line: string) => appendFile(logPath, `${new Date().toISOString()} ${redactText(line, { urls: true })}\n`).catch(() => undefined);
    const logReporter: RunReporter = {
      onTaskEnd: (progress) =>
        void log(`${progress.datasetAbbr}: ${progress.done}/${progress.total} done, ${progress.failed} failed, ${progress.reused} reused`),
      onSampleEnd: (progress) => {
        if (progress.error) void log(`${progress.datasetAbbr}: sample failed: ${progress.error}`);
      },
    };
    const endpoints = backends[index] as readonly ModelBackend[];
    const pool = EndpointPool.create({
      backends: endpoints.map((backend, endpointIndex) => ({ backend, label: startedAll[index]?.[endpointIndex]?.apiBase ?? backend.connectionKey })),
      ...(model.concurrency !== 'auto' ? { fixedConcurrency: model.concurrency } : {}),
      maxConcurrency: model.maxConcurrency,
      onEvent: (message) => {
        notifyReporters(reporters, 'onWarning', { modelAbbr: abbr, message });
        void log(message);
      },
    });
    notifyReporters(reporters, 'onModelStart', {
      modelAbbr: abbr,
      modelName: info?.modelName ?? '?',
      ...(info?.apiBase ? { apiBase: info.apiBase } : {}),
      concurrency: model.concurrency === 'auto' ? `auto (up to ${model.maxConcurrency} per endpoint)` : model.concurrency,
    });
    await log(`model ${info?.modelName} at ${info?.apiBase ?? '-'}; concurrency ${model.concurrency}; prompt style ${JSON.stringify(model.promptStyle)}`);
    if (info?.effectiveSettings) await log(`backend settings ${JSON.stringify(info.effectiveSettings)}`);
    if (typeof info?.effectiveSettings?.launchCommand === 'string') await log(`launched: ${info.effectiveSettings.launchCommand}`);
    for (const task of options.tasks) if (task.caveat) await log(`caveat: ${task.caveat}`);
    for (const message of info?.engineMessages ?? []) {
      notifyReporters(reporters, 'onDebug', `${abbr}: ${message}`);
      await log(`engine: ${message}`);
    }
    for (const warning of [...model.warnings, ...(info?.warnings ?? [])]) {
      const message = warning.type === 'unsupported-setting' ? `${warning.setting}: ${warning.details ?? 'not supported'}` : warning.message;
      notifyReporters(reporters, 'onWarning', { modelAbbr: abbr, message });
      await log(`warning: ${message}`);
    }
    failureKinds[abbr] = await inferModel({
      model,
      modelAbbr: abbr,
      modelName: info?.modelName ?? abbr,
      pool,
      tasks: options.tasks,
      loadSamples: options.loadSamples,
      runDirectory,
      reporters: [...reporters, logReporter],
      signal: options.signal,
      sequentialTasks: options.debug,
    });
  };
  if (options.debug) {
    for (const [index, model] of resolved.models.entries()) await runModel(model, index);
  } else {
    await Promise.all(resolved.models.map(runModel));
  }
  return { abbrs, failureKinds };
}

/** Model abbrs of an earlier run: from the config, else from the newest config dump in its `configs/`. */
async function recordedAbbrs(runDirectory: RunDirectory, resolved: ResolvedConfig): Promise<string[]> {
  if (resolved.models.every((model) => model.abbr !== undefined)) return resolved.models.map((model) => model.abbr as string);
  const files = (await readdir(runDirectory.configsFolder()).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort();
  const newest = files.at(-1);
  if (!newest) throw new ConfigError({ field: 'models', message: `${runDirectory.root} has no recorded config; give each model an abbr` });
  const dump = JSON.parse(await readFile(join(runDirectory.configsFolder(), newest), 'utf8')) as { models?: Array<{ abbr?: string }> };
  return resolved.models.map((model, index) => model.abbr ?? dump.models?.[index]?.abbr ?? `models[${index}]`);
}
