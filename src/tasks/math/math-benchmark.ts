import { join } from 'node:path';
import { readJsonLines, requireStringField } from '../../datasets/read-json-records.js';
import { lastBoxedOnlyString, mathPostprocessV2, removeBoxed } from '../../postprocess/index.js';
import { DataError, type BenchmarkDefinition, type DatasetTask, type Evaluator, type JsonValue } from '../../spec/index.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { renderGenSamples, type LoadedRow } from '../render-gen-samples.js';
import { createMathJudgeEvaluator } from './math-judge-evaluator.js';
import { mathFourShotInferConfig, mathLegacyInferConfig, mathZeroShotInferConfig } from './math-templates.js';

const testFile = join('math500', 'test.jsonl');

/** How a config reads MATH-500's rows (OpenCompass's loader for it). */
type MathLoader = 'custom' | 'math';

type Record = { readonly [key: string]: JsonValue };

/**
 * `CustomDataset` (`math_500_gen`): every field of the JSON line in file order; the reference is the whole worked
 * `solution`. Field values other than strings and numbers (none in MATH-500) are refused.
 */
function customRow(record: Record, where: { path: string; line: number }, index: number): LoadedRow {
  const fields: { [key: string]: string | number } = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new DataError({
        path: where.path,
        message: `${where.path}:${where.line}: field "${key}" must be a string or a number, found ${JSON.stringify(value)}`,
      });
    }
    fields[key] = value;
  }
  requireStringField(record, 'problem', where);
  const solution = requireStringField(record, 'solution', where);
  return { fields, gold: solution, id: typeof record.unique_id === 'string' ? record.unique_id : String(index) };
}

/** `MATHDataset`: `problem`, and as `solution` the last boxed answer of the worked solution (a row without one fails). */
function mathDatasetRow(record: Record, where: { path: string; line: number }, index: number): LoadedRow {
  const problem = requireStringField(record, 'problem', where);
  const solution = removeBoxed(lastBoxedOnlyString(requireStringField(record, 'solution', where)));
  if (solution === undefined)
    throw new DataError({ path: where.path, message: `${where.path}:${where.line}: field "solution" has no \\boxed{…} final answer` });
  return { fields: { problem, solution }, gold: solution, id: typeof record.unique_id === 'string' ? record.unique_id : String(index) };
}

function mathTask(options: {
  readonly abbr: string;
  readonly configName: string;
  readonly inferConfig: InferConfig;
  readonly loader: MathLoader;
  readonly evaluator: Evaluator;
  readonly legacyPostprocess?: boolean;
}): DatasetTask {
  const { inferConfig } = options;
  return {
    abbr: options.abbr,
    benchmark: 'math',
    configName: options.configName,
    version: datasetVersion(inferConfig),
    mode: 'gen',
    requestKind: 'generate',
    ...(inferConfig.inferencer.kind === 'gen' && inferConfig.inferencer.maxOutLen !== undefined ? { maxOutLen: inferConfig.inferencer.maxOutLen } : {}),
    ...(options.legacyPostprocess ? { postprocessorName: 'math_postprocess_v2', postprocess: mathPostprocessV2 } : { postprocess: (text: string) => text }),
    evaluator: options.evaluator,
    // The judge's extracted answer (`pred`, `null` when none was found).
    answerFormat: { kind: 'text' },
    dataFiles: [testFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, testFile);
      const records = await readJsonLines(path);
      const toRow = options.loader === 'custom' ? customRow : mathDatasetRow;
      const rows = records.map((record, index) => toRow(record, { path, line: index + 1 }, index));
      return renderGenSamples({ inferConfig, rows, outputColumn: 'solution', subdivision: `${options.abbr}_test`, ...(limit !== undefined ? { limit } : {}) });
    },
  };
}

const symbolicEvaluator = createMathJudgeEvaluator({ primary: 'symbolic' });
const legacyEvaluator = createMathJudgeEvaluator({ primary: 'legacy' });

/**
 * MATH-500 (PRM800K's 500 MATH test problems, `../shared/data/math500/test.jsonl`): OpenCompass's two MATH-500
 * configs, and `math_gen`'s 4-shot prompts (HEAD and legacy) applied to MATH-500. Metric `accuracy`.
 */
export const mathBenchmark: BenchmarkDefinition = {
  name: 'math',
  title: 'MATH-500',
  dataFolder: 'math500',
  configs: [
    {
      configName: 'math_500_gen',
      description: '0-shot CoT on MATH-500 (CustomDataset: the reference is the full solution), symbolic judge (MATHVerifyEvaluator-like)',
      mode: 'gen',
      datasets: () => [
        mathTask({ abbr: 'math-500', configName: 'math_500_gen', inferConfig: mathZeroShotInferConfig, loader: 'custom', evaluator: symbolicEvaluator }),
      ],
    },
    {
      configName: 'math_prm800k_500_0shot_cot_gen_11c4b5',
      aliases: ['math_prm800k_500_gen'],
      description: '0-shot CoT on MATH-500 (MATHDataset: the reference is the boxed answer), symbolic judge (MATHVerifyEvaluator-like)',
      mode: 'gen',
      datasets: () => [
        mathTask({
          abbr: 'math_prm800k_500',
          configName: 'math_prm800k_500_0shot_cot_gen_11c4b5',
          inferConfig: mathZeroShotInferConfig,
          loader: 'math',
          evaluator: symbolicEvaluator,
        }),
      ],
    },
    {
      configName: 'math_500_gen_a58d9d',
      description: "OpenCompass's math_gen (math_gen_a58d9d) 4-shot prompt, doubled braces included, on MATH-500; symbolic judge",
      mode: 'gen',
      datasets: () => [
        mathTask({
          abbr: 'math-500-a58d9d',
          configName: 'math_500_gen_a58d9d',
          inferConfig: mathFourShotInferConfig,
          loader: 'math',
          evaluator: symbolicEvaluator,
        }),
      ],
    },
    {
      configName: 'math_500_gen_265cce',
      description:
        'legacy math_gen (math_gen_265cce, until 2025-04-08) on MATH-500: the 4-shot prompt, max_out_len 512, math_postprocess_v2 + MATHEvaluator v2',
      mode: 'gen',
      datasets: () => [
        mathTask({
          abbr: 'math-500-265cce',
          configName: 'math_500_gen_265cce',
          inferConfig: mathLegacyInferConfig,
          loader: 'math',
          evaluator: legacyEvaluator,
          legacyPostprocess: true,
        }),
      ],
    },
  ],
  summaryGroups: () => [],
};
