/**
 * Lifecycle events of a run, delivered to reporters' optional `on<Subject><Event>` hooks. The runner never prints;
 * reporters decide what a person sees.
 */
export interface TaskProgress {
  readonly modelAbbr: string;
  readonly datasetAbbr: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Samples taken from the store of an earlier, interrupted run. */
  readonly reused: number;
}

export interface RunReporter {
  /**
   * `sampleCount` is absent when datasets are loaded lazily (as dispatch reaches them); each dataset's count then
   * arrives with its `onTaskStart`.
   */
  onRunStart?(info: { runDirectory: string; mode: string; taskCount: number; sampleCount?: number }): void;
  onModelStart?(info: { modelAbbr: string; modelName: string; apiBase?: string; concurrency: number | string }): void;
  onWarning?(info: { modelAbbr?: string; message: string }): void;
  onTaskStart?(progress: TaskProgress): void;
  onSampleEnd?(progress: TaskProgress & { readonly error?: string }): void;
  onTaskEnd?(progress: TaskProgress): void;
  onRunEnd?(info: { runDirectory: string; elapsedMs: number }): void;
  /** Verbose lines (`--debug`). */
  onDebug?(message: string): void;
}
