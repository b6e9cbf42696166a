import { join } from 'node:path';
import { postprocessors, type PostprocessorName } from '../../postprocess/index.js';
import { buildPplDialogues, createGenDialogueBuilder, type TemplateRow } from '../../prompts/index.js';
import { csvRecordLine, readCsvRecords } from '../../datasets/index.js';
import { accEvaluator } from '../../evaluators/index.js';
import { DataError, type DatasetTask, type RenderedPrompt, type SummaryGroup, type TaskSample } from '../../spec/index.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { cevalSubjects, type CevalCategory, type CevalSubject } from './ceval-subjects.js';
import { cevalGenInferConfig, cevalPplInferConfig, cevalZeroShotInferConfig } from './ceval-templates.js';

type CevalSplit = 'val' | 'test';

/** One C-Eval dataset config of OpenCompass, by its file name. */
export interface CevalVariant {
  readonly configName: string;
  readonly description: string;
  readonly splits: readonly CevalSplit[];
  readonly inferConfig: (subject: CevalSubject) => InferConfig;
  readonly postprocessorName?: PostprocessorName;
}

export const cevalVariants: readonly CevalVariant[] = [
  {
    configName: 'ceval_gen_5f30c7',
    description: '5-shot generation on val (dev rows 0-4 as examples), first_capital_postprocess',
    splits: ['val'],
    inferConfig: (subject) => cevalGenInferConfig(subject.chineseName),
    postprocessorName: 'first_capital_postprocess',
  },
  {
    configName: 'ceval_gen_2daf24',
    description: '5-shot generation on val and test (test labels are not public: test scores are ~0)',
    splits: ['val', 'test'],
    inferConfig: (subject) => cevalGenInferConfig(subject.chineseName),
    postprocessorName: 'first_capital_postprocess',
  },
  {
    configName: 'ceval_zero_shot_gen_bd40ef',
    description: '0-shot "让我们一步一步思考" generation on val, max_out_len 256, first_option_postprocess',
    splits: ['val'],
    inferConfig: (subject) => cevalZeroShotInferConfig(subject.chineseName),
    postprocessorName: 'first_option_postprocess',
  },
  {
    configName: 'ceval_ppl_578f8d',
    description: "5-shot perplexity on val: each label's prompt scored, prediction = lowest PPL (needs perplexity)",
    splits: ['val'],
    inferConfig: (subject) => cevalPplInferConfig(subject.chineseName),
  },
];

/** Short names OpenCompass's `ceval_gen.py` / `ceval_ppl.py` point to. */
export const cevalAliases: Readonly<Record<string, string>> = {
  ceval_gen: 'ceval_gen_5f30c7',
  ceval_ppl: 'ceval_ppl_578f8d',
};

/** The datasets of one variant, in OpenCompass's order (split loop outside, subject loop inside). */
export function cevalDatasets(variant: CevalVariant): DatasetTask[] {
  return variant.splits.flatMap((split) => cevalSubjects.map((subject) => cevalDataset(variant, subject, split)));
}

function cevalDataset(variant: CevalVariant, subject: CevalSubject, split: CevalSplit): DatasetTask {
  const abbr = split === 'val' ? `ceval-${subject.key}` : `ceval-test-${subject.key}`;
  const inferConfig = variant.inferConfig(subject);
  const mode = inferConfig.inferencer.kind;
  const postprocess = variant.postprocessorName ? postprocessors[variant.postprocessorName] : (text: string) => text;
  return {
    abbr,
    benchmark: 'ceval',
    configName: variant.configName,
    version: datasetVersion(inferConfig),
    mode,
    requestKind: mode === 'gen' ? 'generate' : 'perplexity',
    ...(inferConfig.inferencer.kind === 'gen' && inferConfig.inferencer.maxOutLen !== undefined ? { maxOutLen: inferConfig.inferencer.maxOutLen } : {}),
    ...(variant.postprocessorName ? { postprocessorName: variant.postprocessorName } : {}),
    postprocess,
    evaluator: accEvaluator,
    dataFiles: [devFile(subject), splitFile(subject, split)],
    label: { key: split === 'val' ? subject.key : `test-${subject.key}`, name: subject.chineseName, category: subject.category },
    ...(split === 'test' ? { caveat: `${abbr}: the public C-Eval test split has no answers, so its accuracy is ~0 (OpenCompass issue #703)` } : {}),
    loadSamples: (options) => loadCevalSamples({ ...options, subject, split, abbr, inferConfig }),
  };
}

async function loadCevalSamples(options: {
  dataRoot: string;
  limit?: number;
  subject: CevalSubject;
  split: CevalSplit;
  abbr: string;
  inferConfig: InferConfig;
}): Promise<TaskSample[]> {
  const { dataRoot, subject, split, abbr, inferConfig } = options;
  const devPath = join(dataRoot, devFile(subject));
  const needsExamples = inferConfig.retriever.kind !== 'zero';
  const devRows = needsExamples ? normaliseRows(await readValidated(devPath, { labelled: true }), `${abbr}_dev`) : [];
  const scoredPath = join(dataRoot, splitFile(subject, split));
  const scoredRows = normaliseRows(await readValidated(scoredPath, { labelled: split !== 'test' }), `${abbr}_${split}`);
  const limited = options.limit === undefined ? scoredRows : scoredRows.slice(0, options.limit);
  const examples = pickExamples(inferConfig, devRows, devPath);
  const template = inferConfig.iceTemplate ?? inferConfig.promptTemplate;
  if (!template) throw new TypeError(`${abbr}: infer config has no template`);
  const isGen = inferConfig.inferencer.kind === 'gen';
  // One gen builder per number of kept examples, made when first needed (`max_seq_len` truncation asks for fewer).
  const genBuilders = new Map<number, ReturnType<typeof createGenDialogueBuilder>>();
  const genBuilder = (keep: number) => {
    let builder = genBuilders.get(keep);
    if (!builder) {
      builder = createGenDialogueBuilder({ template, examples: examples.slice(0, keep), outputColumn: 'answer' });
      genBuilders.set(keep, builder);
    }
    return builder;
  };
  const render = (row: (typeof limited)[number], keep: number): RenderedPrompt => {
    if (isGen) return { dialogue: genBuilder(keep)(row) };
    const candidates = buildPplDialogues({ template, examples: examples.slice(0, keep), row, outputColumn: 'answer' });
    return { dialogue: candidates[0]?.dialogue ?? [], candidates };
  };
  return limited.map((row, index): TaskSample => {
    const rendered = render(row, examples.length);
    return {
      index,
      id: String(row.id),
      gold: String(row.answer),
      dialogue: rendered.dialogue,
      ...(rendered.candidates ? { candidates: rendered.candidates } : {}),
      ...(examples.length > 0
        ? { examples: { count: examples.length, render: (keep: number) => render(row, Math.max(0, Math.min(keep, examples.length))) } }
        : {}),
    };
  });
}

const devFile = (subject: CevalSubject) => `ceval/dev/${subject.key}_dev.csv`;
const splitFile = (subject: CevalSubject, split: CevalSplit) => `ceval/${split}/${subject.key}_${split}.csv`;
const requiredColumns = ['id', 'question', 'A', 'B', 'C', 'D'] as const;
const labels = new Set(['A', 'B', 'C', 'D']);

/**
 * A C-Eval CSV checked against the definition: the columns `id, question, A-D` (and `answer` in labelled splits),
 * and each labelled row's answer one of A-D. A bad file fails with a `DataError` naming the file, line and field.
 */
async function readValidated(path: string, options: { labelled: boolean }): Promise<Record<string, string>[]> {
  const records = await readCsvRecords(path);
  const first = records[0];
  if (!first) return records;
  const missing = [...requiredColumns, ...(options.labelled ? ['answer'] : [])].filter((column) => !(column in first));
  if (missing.length > 0) {
    throw new DataError({
      path,
      message: `${path}:1: the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (C-Eval rows need id, question, A, B, C, D${options.labelled ? ', answer' : ''})`,
    });
  }
  if (!options.labelled) return records;
  const bad = records.findIndex((record) => !labels.has(record.answer as string));
  if (bad >= 0) {
    const line = await csvRecordLine(path, bad);
    throw new DataError({
      path,
      message: `${path}:${line ?? `record ${bad + 1}`}: field "answer" is ${JSON.stringify(records[bad]?.answer)}; expected one of A, B, C, D`,
    });
  }
  return records;
}

/**
 * Rows as OpenCompass's C-Eval loader and base dataset shape them: the header's columns in file order, a missing
 * `answer` or `explanation` set to `''`, then `subdivision` and `idx` appended. Template filling follows this order.
 */
function normaliseRows(records: Record<string, string>[], subdivision: string): TemplateRow[] {
  return records.map((record, idx) => ({ ...record, answer: record.answer ?? '', explanation: record.explanation ?? '', subdivision, idx }));
}

function pickExamples(inferConfig: InferConfig, devRows: TemplateRow[], devPath: string): TemplateRow[] {
  if (inferConfig.retriever.kind === 'zero') return [];
  return inferConfig.retriever.fixIdList.map((index) => {
    const row = devRows[index];
    if (!row) throw new DataError({ path: devPath, message: `${devPath} has ${devRows.length} rows; in-context example ${index} is missing` });
    return row;
  });
}

const categoryGroups = [
  ['stem', 'ceval-stem'],
  ['social-science', 'ceval-social-science'],
  ['humanities', 'ceval-humanities'],
  ['other', 'ceval-other'],
] as const;

/** The report's names of C-Eval's categories, in English and Chinese. */
const categoryLabels: Readonly<Record<CevalCategory, string>> = {
  stem: 'STEM 理工',
  'social-science': 'Social science 社科',
  humanities: 'Humanities 人文',
  other: 'Other 其他',
};

/** OpenCompass's C-Eval summary groups (naive means), plus sextant's question-weighted `ceval` row. */
export function cevalSummaryGroups(): SummaryGroup[] {
  const groupsFor = (prefix: string, groupPrefix: string): SummaryGroup[] => {
    const abbr = (subject: CevalSubject) => `${prefix}${subject.key}`;
    const all = cevalSubjects.map(abbr);
    const split = groupPrefix === 'ceval' ? '' : 'test · ';
    return [
      ...categoryGroups.map(([category, name]) => ({
        name: name.replace('ceval', groupPrefix),
        subsets: cevalSubjects.filter((subject) => subject.category === category).map(abbr),
        average: 'naive' as const,
        label: `${split}${categoryLabels[category]}`,
      })),
      { name: `${groupPrefix}-hard`, subsets: cevalSubjects.filter((subject) => subject.hard).map(abbr), average: 'naive', label: `${split}Hard 困难` },
      { name: groupPrefix, subsets: all, average: 'naive', label: `${split}Overall 总体` },
      { name: groupPrefix, subsets: all, average: 'questions', label: `${split}Overall 总体` },
    ];
  };
  return [...groupsFor('ceval-', 'ceval'), ...groupsFor('ceval-test-', 'ceval-test')];
}
