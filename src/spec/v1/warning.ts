/**
 * A setting a backend cannot honour is never dropped silently: it becomes a warning, recorded in the run's log
 * and shown once on the console.
 */
export type Warning =
  { readonly type: 'unsupported-setting'; readonly setting: string; readonly details?: string } | { readonly type: 'other'; readonly message: string };
