import type { DatasetTask } from '../spec/index.js';

/** One caveat shared by several datasets. */
export interface GroupedCaveat {
  /** The caveat without its `<abbr>: ` prefix. */
  readonly message: string;
  /** The datasets it applies to, in run order. */
  readonly datasets: readonly string[];
}

/**
 * The tasks' caveats, one entry per distinct text (a caveat's leading `<abbr>: ` is set aside), so a warning that
 * applies to 52 subjects is shown once, not 52 times.
 */
export function groupCaveats(tasks: readonly DatasetTask[]): GroupedCaveat[] {
  const groups = new Map<string, string[]>();
  for (const task of tasks) {
    if (!task.caveat) continue;
    const prefix = `${task.abbr}: `;
    const message = task.caveat.startsWith(prefix) ? task.caveat.slice(prefix.length) : task.caveat;
    groups.set(message, [...(groups.get(message) ?? []), task.abbr]);
  }
  return [...groups].map(([message, datasets]) => ({ message, datasets }));
}

/** A grouped caveat as one console line: `ceval-a: …`, or `52 datasets (ceval-a, ceval-b, …): …`. */
export function formatGroupedCaveat(caveat: GroupedCaveat): string {
  const [first, second] = caveat.datasets;
  if (caveat.datasets.length === 1) return `${first}: ${caveat.message}`;
  const named = caveat.datasets.length === 2 ? `${first}, ${second}` : `${first}, ${second}, …`;
  return `${caveat.datasets.length} datasets (${named}): ${caveat.message}`;
}
