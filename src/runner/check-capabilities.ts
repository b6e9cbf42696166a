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
    const pplOnChat = tasks.filter((task) => task.requestKind === 'perplexity' && backend.capabilities.promptKind !== 'text');
    if (pplOnChat.length > 0 && !missing.has('perplexity')) {
      problems.push(
        `model ${modelLabel} sends chat messages, but ${describe(pplOnChat.map((task) => task.abbr))} score text prompts by perplexity (as in OpenCompass, chat models cannot run PPL datasets; use a completion/base model)`,
      );
    }
    for (const [kind, abbrs] of missing) {
      const shown = describe(abbrs);
      problems.push(
        `model ${modelLabel} (backend ${backend.provider}, supports ${backend.capabilities.requestKinds.join(', ')}) cannot run ${shown}: they need ${kind} requests`,
      );
    }
  }
  if (problems.length > 0) {
    throw new UnsupportedRequestError({ message: `nothing was requested, because:\n  ${problems.join('\n  ')}` });
  }
}

function describe(abbrs: readonly string[]): string {
  return abbrs.length > 4 ? `${abbrs.slice(0, 3).join(', ')} … (${abbrs.length} datasets)` : abbrs.join(', ');
}
