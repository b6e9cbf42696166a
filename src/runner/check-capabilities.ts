import { UnsupportedRequestError, type DatasetTask, type ModelBackend } from '../spec/index.js';

/**
 * Refuse impossible work before any request: every (model, dataset) pair whose request kind the model's backend
 * does not declare is listed in one error.
 */
export function checkCapabilities(pairs: ReadonlyArray<{ modelLabel: string; backend: ModelBackend; tasks: readonly DatasetTask[] }>): void {
  const problems: string[] = [];
  for (const { modelLabel, backend, tasks } of pairs) {
    const missing = new Map<string, string[]>();
    for (const task of tasks) {
      if (!backend.capabilities.requestKinds.includes(task.requestKind)) {
        missing.set(task.requestKind, [...(missing.get(task.requestKind) ?? []), task.abbr]);
      }
    }
    for (const [kind, abbrs] of missing) {
      const shown = abbrs.length > 4 ? `${abbrs.slice(0, 3).join(', ')} … (${abbrs.length} datasets)` : abbrs.join(', ');
      problems.push(
        `model ${modelLabel} (backend ${backend.provider}, supports ${backend.capabilities.requestKinds.join(', ')}) cannot run ${shown}: they need ${kind} requests`,
      );
    }
  }
  if (problems.length > 0) {
    throw new UnsupportedRequestError({ message: `nothing was requested, because:\n  ${problems.join('\n  ')}` });
  }
}
