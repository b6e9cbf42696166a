import { ConfigError, type DatasetTask, type SummaryGroup } from '../spec/index.js';
import { cevalAliases, cevalDatasets, cevalSummaryGroups, cevalVariants } from '../tasks/ceval/index.js';
import { closestNames } from '../utils/closest-names.js';

/** A dataset config name sextant knows, as `sextant list` shows it. */
export interface DatasetConfigEntry {
  readonly name: string;
  /** The config an alias points to. */
  readonly aliasOf?: string;
  readonly description: string;
  readonly mode: 'gen' | 'ppl';
  readonly datasetCount: number;
}

const variantsByName = new Map(cevalVariants.map((variant) => [variant.configName, variant]));
const aliases: Readonly<Record<string, string>> = { ...cevalAliases };

/** Every dataset config name, aliases included, in a stable order. */
export function listDatasetConfigs(): DatasetConfigEntry[] {
  const entries: DatasetConfigEntry[] = [];
  for (const [alias, target] of Object.entries(aliases)) {
    const variant = variantsByName.get(target);
    if (variant) entries.push({ name: alias, aliasOf: target, description: variant.description, mode: mode(variant), datasetCount: 52 * variant.splits.length });
  }
  for (const variant of cevalVariants) {
    entries.push({ name: variant.configName, description: variant.description, mode: mode(variant), datasetCount: 52 * variant.splits.length });
  }
  return entries;
}

function mode(variant: (typeof cevalVariants)[number]): 'gen' | 'ppl' {
  return variant.inferConfig({ key: '', chineseName: '', category: 'stem', hard: false, valCount: 0 }).inferencer.kind;
}

/** The datasets of the named configs, in order; an unknown name fails with close suggestions. */
export function resolveDatasets(names: readonly string[]): DatasetTask[] {
  const tasks: DatasetTask[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const variant = variantsByName.get(aliases[name] ?? name);
    if (!variant) {
      const known = listDatasetConfigs().map((entry) => entry.name);
      const suggestions = closestNames(name, known);
      throw new ConfigError({
        field: 'datasets',
        message: `unknown dataset "${name}"${suggestions.length > 0 ? `; did you mean ${suggestions.map((entry) => `"${entry}"`).join(' or ')}?` : ''} (\`sextant list\` shows all)`,
      });
    }
    for (const task of cevalDatasets(variant)) {
      if (seen.has(task.abbr)) {
        throw new ConfigError({ field: 'datasets', message: `dataset ${task.abbr} is listed twice (from "${name}"); each dataset abbr must be unique` });
      }
      seen.add(task.abbr);
      tasks.push(task);
    }
  }
  return tasks;
}

/** Every summary group sextant knows. */
export function summaryGroups(): SummaryGroup[] {
  return cevalSummaryGroups();
}
