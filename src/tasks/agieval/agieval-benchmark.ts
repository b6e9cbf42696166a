import { join } from 'node:path';
import { readJsonLines } from '../../datasets/read-json-records.js';
import { isMathEquivalent, parseMathAnswer } from '../../postprocess/agieval-math-answer.js';
import { firstOptionPostprocess } from '../../postprocess/index.js';
import {
  DataError,
  type AnswerFormat,
  type BenchmarkDefinition,
  type DatasetConfigDefinition,
  type DatasetTask,
  type Evaluator,
  type JsonValue,
  type SummaryGroup,
} from '../../spec/index.js';
import { accEvaluator, createMatchEvaluator, pythonStr } from '../../evaluators/index.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { agievalInferConfig, agievalSubsets, type AgievalSubset } from './agieval-templates.js';

/** OpenCompass's `first_capital_postprocess_multi`: the first run of ASCII `A`–`D`, or `''`. */
export function firstCapitalPostprocessMulti(text: string): string {
  return /([A-D]+)/u.exec(text)?.[1] ?? '';
}

/** `AGIEvalEvaluator` (cloze sets): `parse_math_answer` on the prediction, Hendrycks `is_equiv` with the gold. */
const clozeEvaluator = createMatchEvaluator({
  name: 'AGIEvalEvaluator',
  metric: 'score',
  extract: (prediction) => parseMathAnswer(prediction) ?? null,
  isCorrect: (pred, reference) => isMathEquivalent(typeof pred === 'string' ? pred : undefined, reference === null ? undefined : pythonStr(reference)),
});

/** Python's truth value of a JSON value: `''`, `[]`, `{}`, `0`, `false` and `None` are false. */
function pythonTruthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * A row as `AGIEvalDataset_v2` (zero-shot) builds it: `passage` (or `''`) and `question` concatenated with no
 * separator; options joined by `\n`; the label, else the answer, a list joined into one string, `None` kept.
 */
export function agievalRow(
  record: { readonly [key: string]: JsonValue },
  where: { path: string; line: number },
): { question: string; options: string; label: JsonValue } {
  const text = (field: string): string => {
    const value = record[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string')
      throw new DataError({ path: where.path, message: `${where.path}:${where.line}: field "${field}" must be a string, found ${JSON.stringify(value)}` });
    return value;
  };
  const question = text('passage') + text('question');
  const options = record.options;
  if (options !== undefined && options !== null && !(Array.isArray(options) && options.every((option) => typeof option === 'string'))) {
    throw new DataError({ path: where.path, message: `${where.path}:${where.line}: field "options" must be a list of strings` });
  }
  const rawLabel = pythonTruthy(record.label) ? record.label : record.answer;
  const label: JsonValue =
    rawLabel === undefined || rawLabel === null ? null : Array.isArray(rawLabel) ? rawLabel.map((part) => pythonStr(part)).join('') : pythonStr(rawLabel);
  return { question, options: Array.isArray(options) ? options.join('\n') : '', label };
}

function evaluatorFor(subset: AgievalSubset): {
  evaluator: Evaluator;
  postprocessorName?: string;
  postprocess: (text: string) => string;
  answerFormat: AnswerFormat;
} {
  switch (subset.kind) {
    case 'single-choice':
      return {
        evaluator: accEvaluator,
        postprocessorName: 'first_option_postprocess',
        postprocess: (text) => firstOptionPostprocess(text, { options: 'ABCDE' }),
        answerFormat: { kind: 'options', options: 'ABCDE' },
      };
    case 'multi-choice':
      return {
        evaluator: accEvaluator,
        postprocessorName: 'first_capital_postprocess_multi',
        postprocess: firstCapitalPostprocessMulti,
        answerFormat: { kind: 'options', options: 'ABCDE', multiple: true },
      };
    case 'cloze':
      return { evaluator: clozeEvaluator, postprocess: (text) => text, answerFormat: { kind: 'text' } };
    default: {
      const unreachable: never = subset.kind;
      throw new TypeError(`unknown AGIEval subset kind ${String(unreachable)}`);
    }
  }
}

function agievalTask(subset: AgievalSubset, config: { configName: string; legacyMath: boolean }): DatasetTask {
  const inferConfig = agievalInferConfig(subset, { legacyMath: config.legacyMath });
  const dataFile = join('agieval', 'v1', `${subset.name}.jsonl`);
  const abbr = `agieval-${subset.name}`;
  return {
    abbr,
    benchmark: 'agieval',
    configName: config.configName,
    version: datasetVersion(inferConfig),
    mode: 'gen',
    requestKind: 'generate',
    maxOutLen: 1024,
    ...evaluatorFor(subset),
    dataFiles: [dataFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, dataFile);
      const records = await readJsonLines(path);
      const rows = records.map((record, index) => {
        const row = agievalRow(record, { path, line: index + 1 });
        return { fields: { question: row.question, options: row.options, label: '' }, gold: row.label, id: String(index) };
      });
      return renderGenSamples({ inferConfig, rows, outputColumn: 'label', subdivision: `${abbr}_test`, ...(limit !== undefined ? { limit } : {}) });
    },
  };
}

function agievalConfig(configName: string, legacyMath: boolean, description: string, aliases?: readonly string[]): DatasetConfigDefinition {
  return {
    configName,
    ...(aliases ? { aliases } : {}),
    description,
    mode: 'gen',
    datasets: () => agievalSubsets.map((subset) => agievalTask(subset, { configName, legacyMath })),
  };
}

const chineseGroup = [
  'gaokao-chinese',
  'gaokao-english',
  'gaokao-geography',
  'gaokao-history',
  'gaokao-biology',
  'gaokao-chemistry',
  'gaokao-physics',
  'gaokao-mathqa',
  'logiqa-zh',
  'jec-qa-kd',
  'jec-qa-ca',
  'gaokao-mathcloze',
];
const englishGroup = ['lsat-ar', 'lsat-lr', 'lsat-rc', 'logiqa-en', 'sat-math', 'sat-en', 'sat-en-without-passage', 'aqua-rat', 'math'];
const gaokaoGroup = [
  'gaokao-chinese',
  'gaokao-english',
  'gaokao-geography',
  'gaokao-history',
  'gaokao-biology',
  'gaokao-chemistry',
  'gaokao-physics',
  'gaokao-mathqa',
  'gaokao-mathcloze',
];

/** OpenCompass's `summarizers/groups/agieval.py`: naive means of each subset's first metric. */
function agievalGroups(): SummaryGroup[] {
  const group = (name: string, subsets: readonly string[]): SummaryGroup => ({ name, subsets: subsets.map((subset) => `agieval-${subset}`), average: 'naive' });
  return [
    group('agieval-chinese', chineseGroup),
    group('agieval-english', englishGroup),
    group('agieval-gaokao', gaokaoGroup),
    group(
      'agieval',
      agievalSubsets.map((subset) => subset.name),
    ),
  ];
}

/** AGIEval v1, 0-shot: 16 single-choice, 3 multi-choice (`accuracy`) and 2 cloze sets (`score`). */
export const agievalBenchmark: BenchmarkDefinition = {
  name: 'agieval',
  title: 'AGIEval',
  dataFolder: 'agieval',
  configs: [
    agievalConfig(
      'agieval_gen_5c79b4',
      false,
      '21 subsets, 0-shot, max_out_len 1024; choice sets by first_option_postprocess, cloze sets by math equivalence',
      ['agieval_gen'],
    ),
    agievalConfig('agieval_gen_617738', true, 'legacy agieval_gen (until 2026-07-16): the math subset says "Please select the correct answer."'),
  ],
  summaryGroups: agievalGroups,
};
