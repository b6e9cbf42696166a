import type { RunInfo } from '../store/index.js';
import { stableStringify } from '../utils/index.js';
import type { RunModelInfo } from './read-model-run.js';

/**
 * What a recorded setting governs:
 * - `prompt-version`: a dataset's OpenCompass prompt version hash (its samples are then not paired);
 * - `template`: how dialogues become requests (prompt style, meta template, chat template settings);
 * - `generation`: sampling parameters, stop words, maximum output length;
 * - `datasets`: which dataset configs, datasets and how many samples were run;
 * - `backend`: where and how the model was served (model name, endpoint, engine settings);
 * - `run`: the sextant version.
 */
export type ConfigDifferenceKind = 'prompt-version' | 'template' | 'generation' | 'datasets' | 'backend' | 'run';

/** One recorded setting that differs between run A and run B. */
export interface ConfigDifference {
  readonly kind: ConfigDifferenceKind;
  /** Dotted path in the run's config dump, e.g. `generation.stopWords`, `datasetVersions.ceval-law`. */
  readonly field: string;
  /** A's value; `null` when A did not record it. */
  readonly a: unknown;
  /** B's value; `null` when B did not record it. */
  readonly b: unknown;
  /**
   * True for prompt-version, template and generation differences: they change what is measured, so a gap between
   * the runs is no longer evidence about the deployment (backend, engine, hardware) alone.
   */
  readonly changesMeasurement: boolean;
}

/** The config-dump view of one side of a comparison. */
export interface ComparedSide {
  readonly info: RunInfo;
  readonly model: RunModelInfo;
}

const measurementKinds: ReadonlySet<ConfigDifferenceKind> = new Set(['prompt-version', 'template', 'generation']);
/** Model config keys the resolved fields (`generation`, `promptStyle`, `maxOutLen`, …) already report, or that always differ. */
const coveredConfigKeys = new Set([
  'abbr',
  'apiKey',
  'apiBase',
  'modelName',
  'temperature',
  'topP',
  'topK',
  'stopWords',
  'maxOutLen',
  'promptStyle',
  'mode',
  'metaTemplate',
]);
const generationConfigKeys = new Set(['genConfig', 'generationKwargs', 'endStr', 'maxNewTokens', 'minOutLen', 'seed']);
const templatePattern = /template/i;

/**
 * Lists every recorded setting that differs between two runs' models, measurement-changing kinds first (then by
 * field). Plain objects are compared key by key (so the path names the leaf that differs); arrays and scalars
 * as a whole, by their key-sorted JSON. Datasets recorded by only one run are `datasets` differences, not prompt
 * versions. Pure.
 */
export function detectConfigDifferences(options: { a: ComparedSide; b: ComparedSide }): ConfigDifference[] {
  const { a, b } = options;
  const found: ConfigDifference[] = [];
  const add = (kind: ConfigDifferenceKind, field: string, left: unknown, right: unknown) =>
    found.push({ kind, field, a: left ?? null, b: right ?? null, changesMeasurement: measurementKinds.has(kind) });
  const diff = (field: string, left: unknown, right: unknown, classify: (path: string) => ConfigDifferenceKind | undefined) =>
    walkDifferences(field, left, right, (path, leftValue, rightValue) => {
      const kind = classify(path);
      if (kind) add(kind, path, leftValue, rightValue);
    });

  for (const dataset of new Set([...Object.keys(a.info.datasetVersions), ...Object.keys(b.info.datasetVersions)])) {
    const left = a.info.datasetVersions[dataset];
    const right = b.info.datasetVersions[dataset];
    if (left === right) continue;
    add(left !== undefined && right !== undefined ? 'prompt-version' : 'datasets', `datasetVersions.${dataset}`, left, right);
  }
  diff('datasets', a.info.datasets, b.info.datasets, () => 'datasets');
  diff('limit', a.info.limit, b.info.limit, () => 'datasets');
  diff('promptStyle', a.model.promptStyle, b.model.promptStyle, () => 'template');
  diff('generation', a.model.generation, b.model.generation, () => 'generation');
  diff('maxOutLen', a.model.maxOutLen, b.model.maxOutLen, () => 'generation');
  diff('backendSettings', a.model.backendSettings, b.model.backendSettings, (path) => (templatePattern.test(path) ? 'template' : 'backend'));
  diff('modelName', a.model.modelName, b.model.modelName, () => 'backend');
  diff('apiBase', a.model.apiBase, b.model.apiBase, () => 'backend');
  diff('config', a.model.config, b.model.config, classifyModelConfigField);
  diff('sextantVersion', a.info.sextantVersion, b.info.sextantVersion, () => 'run');

  const rank = (difference: ConfigDifference) => (difference.changesMeasurement ? 0 : 1);
  return found.sort((left, right) => rank(left) - rank(right) || compareText(left.field, right.field));
}

function classifyModelConfigField(path: string): ConfigDifferenceKind | undefined {
  const key = path.split('.')[1] ?? '';
  if (coveredConfigKeys.has(key)) return undefined;
  if (templatePattern.test(key)) return 'template';
  if (generationConfigKeys.has(key)) return 'generation';
  return 'backend';
}

/** Calls `report` for each differing leaf; recurses into plain objects only. */
function walkDifferences(path: string, left: unknown, right: unknown, report: (path: string, left: unknown, right: unknown) => void): void {
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort(compareText);
    for (const key of keys) walkDifferences(`${path}.${key}`, left[key], right[key], report);
    return;
  }
  if (stableStringify(left ?? null) !== stableStringify(right ?? null)) report(path, left, right);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
