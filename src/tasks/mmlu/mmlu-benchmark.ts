import { join } from 'node:path';
import { readCsvRows, rowError } from '../../datasets/index.js';
import { accEvaluator, accWithDetailsEvaluator } from '../../evaluators/index.js';
import { firstOptionPostprocess, matchAnswerPattern } from '../../postprocess/index.js';
import type { TemplateRow } from '../../prompts/index.js';
import type { BenchmarkDefinition, DatasetConfigDefinition, DatasetTask, Evaluator, SummaryGroup } from '../../spec/index.js';
import { createSampleRenderer } from '../create-sample-renderer.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { pickExamples } from '../pick-examples.js';
import { renderTaskSample } from '../render-task-sample.js';
import { mmluCategorySubjects, mmluSubjects, type MmluCategory, type MmluSubject } from './mmlu-subjects.js';
import { mmluAnswerPattern, mmluLegacyGenInferConfig, mmluPplInferConfig, mmluSimpleEvalsGenInferConfig } from './mmlu-templates.js';

interface MmluVariant {
  readonly configName: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly inferConfig: (subject: MmluSubject) => InferConfig;
  readonly postprocessorName?: string;
  readonly postprocess: (prediction: string) => string;
  readonly evaluator: Evaluator;
}

const variants: readonly MmluVariant[] = [
  {
    configName: 'mmlu_openai_simple_evals_gen_b618ea',
    aliases: ['mmlu_gen'],
    description: "0-shot chain of thought (OpenAI simple-evals); match_answer_pattern on the first 'ANSWER: X'",
    inferConfig: () => mmluSimpleEvalsGenInferConfig(),
    postprocessorName: 'match_answer_pattern',
    postprocess: (prediction) => matchAnswerPattern(prediction, mmluAnswerPattern),
    evaluator: accEvaluator,
  },
  {
    configName: 'mmlu_ppl_ac766d',
    aliases: ['mmlu_ppl'],
    description: "5-shot perplexity (dev rows 0-4): each label's prompt scored, prediction = lowest PPL (needs perplexity)",
    inferConfig: (subject) => mmluPplInferConfig(subject.key),
    postprocess: (prediction) => prediction,
    evaluator: accWithDetailsEvaluator,
  },
  {
    configName: 'mmlu_gen_4d595a',
    aliases: [],
    description: 'legacy mmlu_gen (until 2025-03-25): 5-shot generation after "Answer: ", first_option_postprocess(ABCD)',
    inferConfig: (subject) => mmluLegacyGenInferConfig(subject.key),
    postprocessorName: 'first_option_postprocess',
    postprocess: (prediction) => firstOptionPostprocess(prediction, { options: 'ABCD' }),
    evaluator: accWithDetailsEvaluator,
  },
];

function mmluDataset(variant: MmluVariant, subject: MmluSubject): DatasetTask {
  const abbr = `lukaemon_mmlu_${subject.key}`;
  const inferConfig = variant.inferConfig(subject);
  const mode = inferConfig.inferencer.kind;
  const needsDev = inferConfig.retriever.kind === 'fix-k';
  const devFile = join('mmlu', 'dev', `${subject.key}_dev.csv`);
  const testFile = join('mmlu', 'test', `${subject.key}_test.csv`);
  return {
    abbr,
    benchmark: 'mmlu',
    configName: variant.configName,
    version: datasetVersion(inferConfig),
    mode,
    requestKind: mode === 'gen' ? 'generate' : 'perplexity',
    ...(variant.postprocessorName ? { postprocessorName: variant.postprocessorName } : {}),
    postprocess: variant.postprocess,
    evaluator: variant.evaluator,
    dataFiles: needsDev ? [devFile, testFile] : [testFile],
    label: { key: subject.key, category: subject.category },
    async loadSamples({ dataRoot, limit }) {
      const devPath = join(dataRoot, devFile);
      const trainRows = needsDev ? await readMmluRows(devPath, `${abbr}_dev`) : [];
      const examples = pickExamples({ inferConfig, trainRows, path: devPath });
      const testRows = await readMmluRows(join(dataRoot, testFile), `${abbr}_test`);
      const renderer = createSampleRenderer({ inferConfig, examples, outputColumn: 'target' });
      return testRows.slice(0, limit).map((row, index) => renderTaskSample({ renderer, row, index, id: String(index), gold: row.target as string }));
    },
  };
}

/**
 * Rows as OpenCompass's `MMLUDataset` gives them: no header, exactly 6 columns `input, A, B, C, D, target`, then
 * the base dataset's `subdivision` and `idx`. The files have no id column, so a sample's id is its row number.
 */
async function readMmluRows(path: string, subdivision: string): Promise<TemplateRow[]> {
  const records = await readCsvRows(path);
  return records.map(({ fields, line }, idx) => {
    if (fields.length !== 6) throw rowError({ path, line, message: `expected 6 columns (question,A,B,C,D,answer), found ${fields.length}` });
    const [input, A, B, C, D, target] = fields as [string, string, string, string, string, string];
    if (!/^[ABCD]$/.test(target)) throw rowError({ path, line, message: `field answer (column 6) must be one of A, B, C, D, found ${JSON.stringify(target)}` });
    return { input, A, B, C, D, target, subdivision, idx };
  });
}

const categoryGroups: ReadonlyArray<readonly [MmluCategory, string]> = [
  ['humanities', 'mmlu-humanities'],
  ['stem', 'mmlu-stem'],
  ['social-science', 'mmlu-social-science'],
  ['other', 'mmlu-other'],
];

/**
 * OpenCompass's MMLU groups: the four categories and `mmlu` (naive means of subject scores; `mmlu` lists the
 * categories' subjects one after another), and `mmlu-weighted`, weighted by test-set size (the micro average).
 */
export function mmluSummaryGroups(): SummaryGroup[] {
  const abbr = (key: string) => `lukaemon_mmlu_${key}`;
  const all = categoryGroups.flatMap(([category]) => mmluCategorySubjects[category].map(abbr));
  const weights = Object.fromEntries(mmluSubjects.map((subject) => [abbr(subject.key), subject.testCount]));
  return [
    ...categoryGroups.map(([category, name]) => ({ name, subsets: mmluCategorySubjects[category].map(abbr), average: 'naive' as const })),
    { name: 'mmlu', subsets: all, average: 'naive' },
    { name: 'mmlu-weighted', subsets: all, average: 'weighted', weights },
  ];
}

function configDefinition(variant: MmluVariant): DatasetConfigDefinition {
  return {
    configName: variant.configName,
    aliases: variant.aliases,
    description: variant.description,
    mode: variant.inferConfig(mmluSubjects[0] as MmluSubject).inferencer.kind,
    datasets: () => mmluSubjects.map((subject) => mmluDataset(variant, subject)),
  };
}

/** MMLU (57 subjects, 14,042 test questions; data: `mmlu/{dev,test}/<subject>_{dev,test}.csv`). */
export const mmluBenchmark: BenchmarkDefinition = {
  name: 'mmlu',
  title: 'MMLU',
  dataFolder: 'mmlu',
  configs: variants.map(configDefinition),
  summaryGroups: mmluSummaryGroups,
};
