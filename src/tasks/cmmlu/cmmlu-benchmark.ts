import { join } from 'node:path';
import { readCsvRows, rowError } from '../../datasets/index.js';
import { accEvaluator, accWithDetailsEvaluator } from '../../evaluators/index.js';
import { firstCapitalPostprocess, matchAnswerPattern } from '../../postprocess/index.js';
import type { TemplateRow } from '../../prompts/index.js';
import type { BenchmarkDefinition, DatasetConfigDefinition, DatasetTask, Evaluator, SummaryGroup } from '../../spec/index.js';
import { createSampleRenderer } from '../create-sample-renderer.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { pickExamples } from '../pick-examples.js';
import { renderTaskSample } from '../render-task-sample.js';
import { cmmluSubjects, type CmmluCategory, type CmmluSubject } from './cmmlu-subjects.js';
import { cmmluAnswerPattern, cmmluCotGenInferConfig, cmmluLegacyGenInferConfig, cmmluPplInferConfig } from './cmmlu-templates.js';

interface CmmluVariant {
  readonly configName: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly inferConfig: (subject: CmmluSubject) => InferConfig;
  readonly postprocessorName?: string;
  readonly postprocess: (prediction: string) => string;
  readonly evaluator: Evaluator;
}

const variants: readonly CmmluVariant[] = [
  {
    configName: 'cmmlu_0shot_cot_gen_305931',
    aliases: ['cmmlu_gen'],
    description: "0-shot chain of thought; match_answer_pattern on the first '答案: X' (ASCII colon)",
    inferConfig: (subject) => cmmluCotGenInferConfig(subject.chineseName),
    postprocessorName: 'match_answer_pattern',
    postprocess: (prediction) => matchAnswerPattern(prediction, cmmluAnswerPattern),
    evaluator: accEvaluator,
  },
  {
    configName: 'cmmlu_ppl_8b9c76',
    aliases: ['cmmlu_ppl'],
    description: "5-shot perplexity (dev rows 0-4): each label's prompt scored, prediction = lowest PPL (needs perplexity)",
    inferConfig: (subject) => cmmluPplInferConfig(subject.chineseName),
    postprocess: (prediction) => prediction,
    evaluator: accEvaluator,
  },
  {
    configName: 'cmmlu_gen_c13365',
    aliases: [],
    description: "legacy cmmlu_gen (until 2025-03-25): 5-shot generation after '答案是: ', first_capital_postprocess",
    inferConfig: (subject) => cmmluLegacyGenInferConfig(subject.chineseName),
    postprocessorName: 'first_capital_postprocess',
    postprocess: firstCapitalPostprocess,
    evaluator: accWithDetailsEvaluator,
  },
];

function cmmluDataset(variant: CmmluVariant, subject: CmmluSubject): DatasetTask {
  const abbr = `cmmlu-${subject.key}`;
  const inferConfig = variant.inferConfig(subject);
  const mode = inferConfig.inferencer.kind;
  const needsDev = inferConfig.retriever.kind === 'fix-k';
  const devFile = join('cmmlu', 'dev', `${subject.key}.csv`);
  const testFile = join('cmmlu', 'test', `${subject.key}.csv`);
  return {
    abbr,
    benchmark: 'cmmlu',
    configName: variant.configName,
    version: datasetVersion(inferConfig),
    mode,
    requestKind: mode === 'gen' ? 'generate' : 'perplexity',
    ...(variant.postprocessorName ? { postprocessorName: variant.postprocessorName } : {}),
    postprocess: variant.postprocess,
    evaluator: variant.evaluator,
    dataFiles: needsDev ? [devFile, testFile] : [testFile],
    label: { key: subject.key, name: subject.chineseName, category: subject.category },
    async loadSamples({ dataRoot, limit }) {
      const devPath = join(dataRoot, devFile);
      const trainRows = needsDev ? (await readCmmluRows(devPath, `${abbr}_dev`)).map(({ row }) => row) : [];
      const examples = pickExamples({ inferConfig, trainRows, path: devPath });
      const testRows = await readCmmluRows(join(dataRoot, testFile), `${abbr}_test`);
      const renderer = createSampleRenderer({ inferConfig, examples, outputColumn: 'answer' });
      return testRows.slice(0, limit).map(({ row, id }, index) => renderTaskSample({ renderer, row, index, id, gold: row.answer as string }));
    },
  };
}

/**
 * Rows as OpenCompass's `CMMLUDataset` gives them: the header skipped, exactly 7 columns, columns 1-6 as
 * `question, A, B, C, D, answer` (the unnamed index column 0 becomes the sample id), then the base dataset's
 * `subdivision` and `idx`. Template filling follows this key order (13 test rows hold `{A}`-like LaTeX).
 */
async function readCmmluRows(path: string, subdivision: string): Promise<Array<{ row: TemplateRow; id: string }>> {
  const [, ...records] = await readCsvRows(path);
  return records.map(({ fields, line }, idx) => {
    if (fields.length !== 7) throw rowError({ path, line, message: `expected 7 columns (index,Question,A,B,C,D,Answer), found ${fields.length}` });
    const [id, question, A, B, C, D, answer] = fields as [string, string, string, string, string, string, string];
    if (!/^[ABCD]$/.test(answer)) throw rowError({ path, line, message: `field Answer must be one of A, B, C, D, found ${JSON.stringify(answer)}` });
    return { row: { question, A, B, C, D, answer, subdivision, idx }, id };
  });
}

const categoryGroups: ReadonlyArray<readonly [CmmluCategory, string]> = [
  ['humanities', 'cmmlu-humanities'],
  ['stem', 'cmmlu-stem'],
  ['social-science', 'cmmlu-social-science'],
  ['other', 'cmmlu-other'],
];

/** OpenCompass's CMMLU groups (naive means), plus sextant's question-weighted `cmmlu` row. */
export function cmmluSummaryGroups(): SummaryGroup[] {
  const abbr = (subject: CmmluSubject) => `cmmlu-${subject.key}`;
  const all = cmmluSubjects.map(abbr);
  return [
    ...categoryGroups.map(([category, name]) => ({
      name,
      subsets: cmmluSubjects.filter((subject) => subject.category === category).map(abbr),
      average: 'naive' as const,
    })),
    { name: 'cmmlu-china-specific', subsets: cmmluSubjects.filter((subject) => subject.chinaSpecific).map(abbr), average: 'naive' },
    { name: 'cmmlu', subsets: all, average: 'naive' },
    { name: 'cmmlu', subsets: all, average: 'questions' },
  ];
}

function configDefinition(variant: CmmluVariant): DatasetConfigDefinition {
  return {
    configName: variant.configName,
    aliases: variant.aliases,
    description: variant.description,
    mode: variant.inferConfig(cmmluSubjects[0] as CmmluSubject).inferencer.kind,
    datasets: () => cmmluSubjects.map((subject) => cmmluDataset(variant, subject)),
  };
}

/** CMMLU (67 subjects, 11,582 test questions; data: `cmmlu/{dev,test}/<subject>.csv`). */
export const cmmluBenchmark: BenchmarkDefinition = {
  name: 'cmmlu',
  title: 'CMMLU',
  dataFolder: 'cmmlu',
  configs: variants.map(configDefinition),
  summaryGroups: cmmluSummaryGroups,
};
