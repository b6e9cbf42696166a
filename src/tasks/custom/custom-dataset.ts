import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { accEvaluator } from '../../evaluators/index.js';
import {
  buildPplDialogues,
  createGenDialogueBuilder,
  isDialogueTemplate,
  type DialogueTemplate,
  type PromptTemplateConfig,
  type TemplateRow,
} from '../../prompts/index.js';
import { ConfigError, DataError, type DatasetTask, type Evaluator, type JsonValue, type TaskSample } from '../../spec/index.js';
import { closestNames } from '../../utils/closest-names.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { optionSimAccEvaluator } from './option-sim-acc-evaluator.js';

/** One custom dataset as configured (`customDatasets: [{ path, … }]` or `--custom-dataset-path`). */
export interface CustomDatasetOptions {
  readonly path: string;
  readonly abbr?: string;
  readonly dataType?: 'mcq' | 'qa';
  readonly inferMethod?: 'gen' | 'ppl';
  readonly metaPath?: string;
}

/** What a `FILE.meta.json` may set (OpenCompass's meta keys). */
const metaKeys = ['abbr', 'data_type', 'infer_method', 'human_prompt', 'bot_prompt', 'template', 'evaluator', 'options', 'output_column'] as const;
const evaluatorNames = ['AccEvaluator', 'OptionSimAccEvaluator'] as const;

interface CustomMeta {
  readonly path: string;
  readonly abbr: string;
  readonly dataType: 'mcq' | 'qa';
  readonly inferMethod: 'gen' | 'ppl';
  readonly options: readonly string[];
  readonly outputColumn: string | undefined;
  readonly humanPrompt?: string;
  readonly botPrompt?: string;
  readonly template?: unknown;
  readonly evaluator?: (typeof evaluatorNames)[number];
}

/**
 * The task of one custom dataset, as OpenCompass's `make_custom_dataset_config` builds it: the first row decides the
 * defaults (options = the consecutive letters `A`, `B`, … present; `mcq` with two or more options, else `qa`; the
 * output column `answer` when present; the abbr the file name up to its first `.`), then `FILE.meta.json` (or
 * `metaPath`), then the config override them. Prompts: mcq `Question: {question}\nA. {A}…` / `Answer: {answer}`
 * (gen: OptionSimAccEvaluator; ppl: one prompt per option, AccEvaluator); qa `{question}` / `{answer}`, gen only,
 * AccEvaluator (exact match). Rows are checked when loaded: a missing field names the file, line and field.
 */
export async function customDatasetTask(options: CustomDatasetOptions): Promise<DatasetTask> {
  const path = resolve(options.path);
  const rows = await readCustomRows(path);
  const meta = await resolveMeta(path, rows[0]?.row ?? {}, options);
  const inferConfig = customInferConfig(meta);
  const evaluator = customEvaluator(meta);
  const mode = meta.inferMethod;
  return {
    abbr: meta.abbr,
    benchmark: 'custom',
    configName: `custom:${basename(path)}`,
    version: datasetVersion(inferConfig),
    mode,
    requestKind: mode === 'gen' ? 'generate' : 'perplexity',
    postprocess: (text) => text,
    evaluator,
    answerFormat: meta.dataType === 'mcq' ? { kind: 'options', options: meta.options.join('') } : { kind: 'text' },
    dataFiles: [path],
    loadSamples: async ({ limit }) => customSamples({ meta, inferConfig, rows: await readCustomRows(path), ...(limit !== undefined ? { limit } : {}) }),
  };
}

interface NumberedRow {
  readonly line: number;
  readonly row: Record<string, unknown>;
}

/** JSONL (one object a line; blank lines skipped) or CSV with a header, UTF-8 with or without BOM. */
async function readCustomRows(path: string): Promise<NumberedRow[]> {
  if (!/\.(jsonl|csv)$/i.test(path)) throw new DataError({ path, message: `${path}: a custom dataset is a .jsonl or .csv file` });
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DataError({ path, message: `custom dataset not found or unreadable: ${path} (${(error as Error).message})`, cause: error });
  });
  const content = text.replace(/^\uFEFF/, '');
  if (/\.jsonl$/i.test(path)) {
    const rows: NumberedRow[] = [];
    content.split('\n').forEach((line, index) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new DataError({ path, message: `${path}:${index + 1}: not a JSON object (${(error as Error).message})`, cause: error });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new DataError({ path, message: `${path}:${index + 1}: expected a JSON object, got ${JSON.stringify(value).slice(0, 40)}` });
      rows.push({ line: index + 1, row: value as Record<string, unknown> });
    });
    return rows;
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content.replace(/\r\n?/g, '\n'), { skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new DataError({ path, message: `${path} is not valid CSV: ${(error as Error).message}`, cause: error });
  }
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((entry, index) => {
    const start = (records[index]?.info.lines ?? 0) + 1;
    if (entry.record.length !== header.record.length) {
      throw new DataError({
        path,
        message: `${path}:${start}: ${entry.record.length} fields for the header's ${header.record.length} (${header.record.join(', ')})`,
      });
    }
    return { line: start, row: Object.fromEntries(header.record.map((column, position) => [column, entry.record[position]])) };
  });
}

async function resolveMeta(path: string, first: Record<string, unknown>, options: CustomDatasetOptions): Promise<CustomMeta> {
  const letters: string[] = [];
  for (let code = 65; code <= 90 && String.fromCharCode(code) in first; code += 1) letters.push(String.fromCharCode(code));
  const metaPath = options.metaPath ? resolve(options.metaPath) : `${path}.meta.json`;
  const fromFile = options.metaPath || existsSync(metaPath) ? await readMetaFile(metaPath) : {};
  const stringField = (name: string): string | undefined => {
    const value = fromFile[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ConfigError({ source: metaPath, field: name, message: `expected a string, got ${JSON.stringify(value)}` });
    return value;
  };
  const oneOf = <Value extends string>(name: string, allowed: readonly Value[]): Value | undefined => {
    const value = stringField(name);
    if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
      throw new ConfigError({ source: metaPath, field: name, message: `expected one of ${allowed.join(', ')}, got "${value}"` });
    }
    return value as Value | undefined;
  };
  const metaOptions = fromFile.options;
  if (metaOptions !== undefined && (!Array.isArray(metaOptions) || !metaOptions.every((option) => typeof option === 'string' && /^[A-Z]$/.test(option)))) {
    throw new ConfigError({ source: metaPath, field: 'options', message: `expected a list of single capital letters, got ${JSON.stringify(metaOptions)}` });
  }
  const optionList = (metaOptions as string[] | undefined) ?? letters;
  const outputColumn = fromFile.output_column === null ? undefined : (stringField('output_column') ?? ('answer' in first ? 'answer' : undefined));
  const dataType = options.dataType ?? oneOf('data_type', ['mcq', 'qa'] as const) ?? (optionList.length > 1 ? 'mcq' : 'qa');
  const inferMethod = options.inferMethod ?? oneOf('infer_method', ['gen', 'ppl'] as const) ?? 'gen';
  if (dataType === 'qa' && inferMethod === 'ppl') {
    throw new ConfigError({
      source: path,
      field: 'inferMethod',
      message: `${path}: open questions (qa, no options A, B, …) run in gen mode only; ppl needs multiple-choice rows`,
    });
  }
  const template = fromFile.template;
  const humanPrompt = stringField('human_prompt');
  const botPrompt = stringField('bot_prompt');
  const evaluator = oneOf('evaluator', evaluatorNames);
  return {
    path,
    abbr: options.abbr ?? stringField('abbr') ?? (basename(path).split('.')[0] as string),
    dataType,
    inferMethod,
    options: optionList,
    outputColumn,
    ...(humanPrompt !== undefined ? { humanPrompt } : {}),
    ...(botPrompt !== undefined ? { botPrompt } : {}),
    ...(template !== undefined ? { template } : {}),
    ...(evaluator !== undefined ? { evaluator } : {}),
  };
}

async function readMetaFile(metaPath: string): Promise<Record<string, unknown>> {
  const text = await readFile(metaPath, 'utf8').catch((error: unknown) => {
    throw new ConfigError({ source: metaPath, field: 'metaPath', message: `cannot read ${metaPath}: ${(error as Error).message}` });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ source: metaPath, field: 'meta', message: `${metaPath} is not JSON: ${(error as Error).message}` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError({ source: metaPath, field: 'meta', message: `${metaPath}: expected a JSON object` });
  for (const key of Object.keys(value)) {
    if (!(metaKeys as readonly string[]).includes(key)) {
      const close = closestNames(key, metaKeys);
      throw new ConfigError({
        source: metaPath,
        field: key,
        message: `unknown meta field${close.length ? `; did you mean "${close[0]}"?` : ''} (known: ${metaKeys.join(', ')})`,
      });
    }
  }
  return value as Record<string, unknown>;
}

/** OpenCompass's custom-dataset `infer_cfg`: a `prompt_template`, `ZeroRetriever`, Gen- or PPLInferencer. */
function customInferConfig(meta: CustomMeta): InferConfig {
  const output = meta.outputColumn ?? 'answer';
  let template: PromptTemplateConfig['template'];
  if (meta.template !== undefined) {
    template = checkedTemplate(meta);
  } else if (meta.dataType === 'mcq') {
    const human = meta.humanPrompt ?? `Question: {question}${meta.options.map((option) => `\n${option}. {${option}}`).join('')}`;
    const bot = meta.botPrompt ?? `Answer: {${output}}`;
    const round = (botPrompt: string): DialogueTemplate => ({
      round: [
        { role: 'HUMAN', prompt: human },
        { role: 'BOT', prompt: botPrompt },
      ],
    });
    // PPL: the BOT prompt with the answer put in by Python's str.format (only `{answer}` is replaced).
    template =
      meta.inferMethod === 'gen' ? round(bot) : Object.fromEntries(meta.options.map((option) => [option, round(bot.split(`{${output}}`).join(option))]));
  } else {
    const human = meta.humanPrompt ?? '{question}';
    template =
      meta.outputColumn === undefined
        ? { round: [{ role: 'HUMAN', prompt: human }] }
        : {
            round: [
              { role: 'HUMAN', prompt: human },
              { role: 'BOT', prompt: meta.botPrompt ?? `{${output}}` },
            ],
          };
  }
  return { promptTemplate: { template }, retriever: { kind: 'zero' }, inferencer: { kind: meta.inferMethod } };
}

function checkedTemplate(meta: CustomMeta): PromptTemplateConfig['template'] {
  const source = `${meta.path}.meta.json`;
  const isRound = (value: unknown): value is DialogueTemplate =>
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as DialogueTemplate).round) &&
    (value as DialogueTemplate).round.every(
      (turn) => typeof turn?.prompt === 'string' && (turn.role === 'HUMAN' || turn.role === 'BOT' || turn.role === 'SYSTEM'),
    );
  const template = meta.template;
  if (meta.inferMethod === 'gen') {
    if (!isRound(template))
      throw new ConfigError({ source, field: 'template', message: 'expected {"round": [{"role": "HUMAN", "prompt": "…"}, {"role": "BOT", "prompt": "…"}]}' });
    return template;
  }
  if (typeof template !== 'object' || template === null || !Object.values(template).every(isRound)) {
    throw new ConfigError({ source, field: 'template', message: 'ppl: expected one {"round": […]} per option label, e.g. {"A": {"round": […]}, "B": …}' });
  }
  return template as Record<string, DialogueTemplate>;
}

function customEvaluator(meta: CustomMeta): Evaluator {
  const name = meta.evaluator ?? (meta.dataType === 'mcq' && meta.inferMethod === 'gen' ? 'OptionSimAccEvaluator' : 'AccEvaluator');
  return name === 'OptionSimAccEvaluator' ? optionSimAccEvaluator(meta.options) : accEvaluator;
}

function customSamples(options: { meta: CustomMeta; inferConfig: InferConfig; rows: readonly NumberedRow[]; limit?: number }): TaskSample[] {
  const { meta, inferConfig } = options;
  const rows = options.limit === undefined ? options.rows : options.rows.slice(0, options.limit);
  const template = inferConfig.promptTemplate as PromptTemplateConfig;
  const output = meta.outputColumn;
  const required = [
    ...(meta.template === undefined && meta.humanPrompt === undefined ? ['question'] : []),
    ...(meta.dataType === 'mcq' ? meta.options : []),
    ...(output ? [output] : []),
  ];
  const buildDialogue =
    inferConfig.inferencer.kind === 'gen' && isDialogueTemplate(template.template as DialogueTemplate)
      ? createGenDialogueBuilder({ template, examples: [], outputColumn: output ?? 'answer' })
      : undefined;
  return rows.map(({ line, row }, index) => {
    for (const field of required) {
      const value = row[field];
      if (value === undefined || value === null)
        throw new DataError({
          path: meta.path,
          message: `${meta.path}:${line}: field "${field}" is missing (${meta.dataType} rows need ${required.join(', ')})`,
        });
      if (typeof value === 'object')
        throw new DataError({
          path: meta.path,
          message: `${meta.path}:${line}: field "${field}" must be a string or a number, got ${JSON.stringify(value).slice(0, 40)}`,
        });
    }
    const gold = output ? pythonText(row[output]) : '';
    if (meta.dataType === 'mcq' && output && !meta.options.includes(gold)) {
      throw new DataError({
        path: meta.path,
        message: `${meta.path}:${line}: field "${output}" is ${JSON.stringify(gold)}; expected one of ${meta.options.join(', ')}`,
      });
    }
    // OpenCompass's rows: the file's keys in order (values as str()), then `subdivision` and `idx`.
    const templateRow: TemplateRow = {
      ...Object.fromEntries(Object.entries(row).map(([key, value]) => [key, pythonText(value)])),
      subdivision: meta.abbr,
      idx: index,
    };
    const base = {
      index,
      id: String(line),
      gold: gold as JsonValue,
      ...(meta.dataType === 'mcq' ? { evaluatorInput: Object.fromEntries(meta.options.map((option) => [option, pythonText(row[option])])) } : {}),
    };
    if (buildDialogue) return { ...base, dialogue: buildDialogue(templateRow) };
    const candidates = buildPplDialogues({ template, examples: [], row: templateRow, outputColumn: output ?? 'answer' });
    return { ...base, dialogue: candidates[0]?.dialogue ?? [], candidates };
  });
}

/** Python's `str()` of a JSON scalar as it reaches a template (`1` for 1, `True`, `None`). */
function pythonText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // A number prints as JavaScript does; JSON's `1.0` has already become 1 (Python would print `1.0`).
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
