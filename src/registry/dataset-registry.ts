import {
  ConfigError,
  type BenchmarkDefinition,
  type DatasetConfigDefinition,
  type DatasetTask,
  type InferenceMode,
  type SummarizerDefinition,
  type SummaryGroup,
} from '../spec/index.js';
import { benchmarks, summarizers } from '../tasks/index.js';
import { closestNames } from '../utils/closest-names.js';

/** A dataset config name sextant knows, as `sextant list` shows it. */
export interface DatasetConfigEntry {
  readonly name: string;
  /** The config an alias points to. */
  readonly aliasOf?: string;
  /** The benchmark's name (`ceval`) and title (`C-Eval`). */
  readonly benchmark: string;
  readonly benchmarkTitle: string;
  readonly description: string;
  readonly mode: InferenceMode;
  readonly datasetCount: number;
  /** What a backend must offer to run it, e.g. `ppl: needs a backend with perplexity`. */
  readonly needs: string;
}

/** What selects datasets besides config names. */
export interface DatasetSelection {
  /**
   * Keep only datasets whose abbr is one of these or ends in `-NAME` / `_NAME` (a subject key such as
   * `computer_network`). Every name must select at least one dataset.
   */
  readonly subjects?: readonly string[];
}

interface ConfigEntry {
  readonly benchmark: BenchmarkDefinition;
  readonly config: DatasetConfigDefinition;
}

const needsByMode: Readonly<Record<InferenceMode, string>> = {
  gen: 'gen: any backend that generates',
  ppl: 'ppl: needs a backend with perplexity (completion/base prompts: lmdeploy, vllm, openai with promptLogprobs, .gguf, ONNX)',
};

let configIndex: Map<string, ConfigEntry> | undefined;
let aliasIndex: Map<string, string> | undefined;
let abbrIndex: Map<string, ConfigEntry> | undefined;

function configsByName(): Map<string, ConfigEntry> {
  configIndex ??= new Map(benchmarks.flatMap((benchmark) => benchmark.configs.map((config) => [config.configName, { benchmark, config }] as const)));
  return configIndex;
}

function aliases(): Map<string, string> {
  aliasIndex ??= new Map(
    benchmarks.flatMap((benchmark) => benchmark.configs.flatMap((config) => (config.aliases ?? []).map((alias) => [alias, config.configName] as const))),
  );
  return aliasIndex;
}

/**
 * Dataset abbr → the config it is taken from when named alone: the first config holding it, configs that a short
 * name points to (`ceval_gen` → `ceval_gen_5f30c7`) before the others.
 */
function configsByAbbr(): Map<string, ConfigEntry> {
  if (abbrIndex) return abbrIndex;
  const index = new Map<string, ConfigEntry>();
  const ordered = benchmarks.flatMap((benchmark) => {
    const entries = benchmark.configs.map((config) => ({ benchmark, config }));
    return [...entries.filter((entry) => entry.config.aliases?.length), ...entries.filter((entry) => !entry.config.aliases?.length)];
  });
  for (const entry of ordered) for (const task of tasksOf(entry.config)) if (!index.has(task.abbr)) index.set(task.abbr, entry);
  abbrIndex = index;
  return index;
}

const tasksByConfig = new Map<string, readonly DatasetTask[]>();

/** A config's datasets, built once (tasks hold no data; building them hashes every infer config). */
function tasksOf(config: DatasetConfigDefinition): readonly DatasetTask[] {
  let tasks = tasksByConfig.get(config.configName);
  if (!tasks) {
    tasks = config.datasets();
    tasksByConfig.set(config.configName, tasks);
  }
  return tasks;
}

/** The benchmark with this name (`ceval`), if registered. */
export function findBenchmark(name: string): BenchmarkDefinition | undefined {
  return benchmarks.find((benchmark) => benchmark.name === name);
}

/** Every dataset config name, aliases included (each alias before the configs), in registration order. */
export function listDatasetConfigs(): DatasetConfigEntry[] {
  const entries: DatasetConfigEntry[] = [];
  const describe = ({ benchmark, config }: ConfigEntry) => ({
    benchmark: benchmark.name,
    benchmarkTitle: benchmark.title,
    description: config.description,
    mode: config.mode,
    datasetCount: tasksOf(config).length,
    needs: needsByMode[config.mode],
  });
  for (const [alias, target] of aliases()) {
    const entry = configsByName().get(target);
    if (entry) entries.push({ name: alias, aliasOf: target, ...describe(entry) });
  }
  for (const entry of configsByName().values()) entries.push({ name: entry.config.configName, ...describe(entry) });
  return entries;
}

/**
 * The datasets the names select, in order: a config file name (`ceval_gen_5f30c7`, `.py` allowed), a short name
 * (`ceval_gen`), or one dataset's abbr (`ceval-computer_network`, from the config its benchmark's short name points
 * to); then `selection.subjects` filters them. An unknown name fails with close suggestions.
 */
export function resolveDatasets(names: readonly string[], selection: DatasetSelection = {}): DatasetTask[] {
  const tasks: DatasetTask[] = [];
  const seen = new Map<string, DatasetTask>();
  for (const rawName of names) {
    const name = rawName.replace(/\.py$/, '');
    const configEntry = configsByName().get(aliases().get(name) ?? name);
    const abbrEntry = configEntry ? undefined : configsByAbbr().get(name);
    if (!configEntry && !abbrEntry) {
      const known = [...aliases().keys(), ...configsByName().keys(), ...configsByAbbr().keys()];
      const suggestions = closestNames(name, known);
      throw new ConfigError({
        field: 'datasets',
        message: `unknown dataset "${rawName}"${suggestions.length > 0 ? `; did you mean ${suggestions.map((entry) => `"${entry}"`).join(' or ')}?` : ''} (\`sextant list\` shows all)`,
      });
    }
    const selected = configEntry ? tasksOf(configEntry.config) : tasksOf((abbrEntry as ConfigEntry).config).filter((task) => task.abbr === name);
    for (const task of selected) {
      const earlier = seen.get(task.abbr);
      if (earlier && earlier.configName === task.configName) continue;
      if (earlier) {
        throw new ConfigError({
          field: 'datasets',
          message: `dataset ${task.abbr} comes from both ${earlier.configName} and ${task.configName} (via "${rawName}"); each dataset abbr must be unique in a run`,
        });
      }
      seen.set(task.abbr, task);
      tasks.push(task);
    }
  }
  return selection.subjects ? filterSubjects(tasks, selection.subjects) : tasks;
}

function filterSubjects(tasks: readonly DatasetTask[], subjects: readonly string[]): DatasetTask[] {
  const matches = (abbr: string, subject: string) => abbr === subject || abbr.endsWith(`-${subject}`) || abbr.endsWith(`_${subject}`);
  const unmatched = subjects.filter((subject) => !tasks.some((task) => matches(task.abbr, subject)));
  if (unmatched.length > 0) {
    const keys = [...new Set(tasks.map((task) => task.abbr.replace(/^.*?[-]/, '')))];
    const hints = unmatched.map((subject) => {
      const close = closestNames(subject, keys);
      return `"${subject}"${close.length > 0 ? ` (did you mean ${close.map((entry) => `"${entry}"`).join(' or ')}?)` : ''}`;
    });
    throw new ConfigError({
      field: 'subjects',
      message: `--subjects ${hints.join(', ')} match${unmatched.length === 1 ? 'es' : ''} no dataset of ${[...new Set(tasks.map((task) => task.configName))].join(', ')}`,
    });
  }
  return tasks.filter((task) => subjects.some((subject) => matches(task.abbr, subject)));
}

/** Every summary group of every registered benchmark. */
export function summaryGroups(): SummaryGroup[] {
  return benchmarks.flatMap((benchmark) => benchmark.summaryGroups());
}

/** The summarizer with this name (`chat_OC15`); an unknown name fails with close suggestions. */
export function findSummarizer(name: string): SummarizerDefinition {
  const found = summarizers.find((summarizer) => summarizer.name === name);
  if (found) return found;
  const suggestions = closestNames(
    name,
    summarizers.map((summarizer) => summarizer.name),
  );
  throw new ConfigError({
    field: 'summarizer',
    message: `unknown summarizer "${name}"${suggestions.length > 0 ? `; did you mean ${suggestions.map((entry) => `"${entry}"`).join(' or ')}?` : ''} (known: ${summarizers.map((summarizer) => summarizer.name).join(', ')})`,
  });
}

/** Every named summarizer. */
export function listSummarizers(): readonly SummarizerDefinition[] {
  return summarizers;
}
