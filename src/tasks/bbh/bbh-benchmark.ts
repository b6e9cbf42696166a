import { join } from 'node:path';
import { readJsonFile } from '../../datasets/read-json-records.js';
import { bbhFreeformNormalize, bbhMcqPostprocess, pythonCasefold } from '../../postprocess/bbh-postprocess.js';
import { DataError, type BenchmarkDefinition, type DatasetConfigDefinition, type DatasetTask, type JsonValue, type SummaryGroup } from '../../spec/index.js';
import { createMatchEvaluator } from '../../evaluators/index.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { bbhInferConfig } from './bbh-templates.js';
import { bbhTasks, type BbhTask } from './bbh-tasks.js';
import { readBbhHint } from './read-bbh-hint.js';

const mcqEvaluator = createMatchEvaluator({ name: 'BBHEvaluator_mcq', metric: 'score', isCorrect: (pred, reference) => pred === reference });

/** HEAD's `BBHEvaluator`: both sides through the free-form normaliser, equal after casefolding. */
const freeformEvaluator = createMatchEvaluator({
  name: 'BBHEvaluator',
  metric: 'score',
  extract: bbhFreeformNormalize,
  isCorrect: (pred, reference) => typeof pred === 'string' && typeof reference === 'string' && pythonCasefold(pred) === pythonCasefold(reference),
});

async function loadBbhRows(path: string): Promise<Array<{ input: string; target: string }>> {
  const content = await readJsonFile(path);
  const examples = typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as { examples?: JsonValue }).examples : undefined;
  if (!Array.isArray(examples)) throw new DataError({ path, message: `${path}: expected an object with an "examples" list` });
  return examples.map((example, index) => {
    const record = example as { input?: JsonValue; target?: JsonValue };
    if (typeof record.input !== 'string' || typeof record.target !== 'string') {
      throw new DataError({ path, message: `${path}: examples[${index}] must have string fields "input" and "target"` });
    }
    return { input: record.input, target: record.target };
  });
}

function bbhTask(task: BbhTask, config: { configName: string; legacy: boolean }): DatasetTask {
  const version = config.legacy ? task.versions.legacy : task.versions.head;
  const dataFile = join('bbh', `${task.name}.json`);
  const hintFile = join('bbh', 'cot-prompts', `${task.name}.txt`);
  const mcq = task.kind === 'mcq';
  return {
    abbr: `bbh-${task.name}`,
    benchmark: 'bbh',
    configName: config.configName,
    version,
    mode: 'gen',
    requestKind: 'generate',
    ...(config.legacy ? { maxOutLen: 512 } : {}),
    ...(mcq
      ? {
          postprocessorName: 'bbh_mcq_postprocess',
          postprocess: bbhMcqPostprocess,
          postprocessReference: (reference: JsonValue) => bbhMcqPostprocess(String(reference)),
        }
      : { postprocess: (prediction: string) => prediction, postprocessReference: (reference: JsonValue) => bbhFreeformNormalize(String(reference)) }),
    evaluator: mcq ? mcqEvaluator : freeformEvaluator,
    // Multiple-choice tasks answer `(A)`…`(R)`; free-form ones a word, a number or a sequence.
    answerFormat: mcq ? { kind: 'options', options: 'ABCDEFGHIJKLMNOPQR' } : { kind: 'text' },
    dataFiles: [dataFile, hintFile],
    async loadSamples({ dataRoot, limit }) {
      const hintPath = join(dataRoot, hintFile);
      const inferConfig = bbhInferConfig(await readBbhHint(hintPath), { legacyMaxOutLen: config.legacy });
      const computed = datasetVersion(inferConfig);
      if (computed !== version) {
        throw new DataError({
          path: hintPath,
          message: `${hintPath} differs from OpenCompass's lib_prompt/${task.name}.txt (prompt version ${computed}, expected ${version})`,
        });
      }
      const examples = await loadBbhRows(join(dataRoot, dataFile));
      const rows = examples.map((example, index) => ({ fields: { input: example.input, target: example.target }, gold: example.target, id: String(index) }));
      return renderGenSamples({ inferConfig, rows, outputColumn: 'target', subdivision: `bbh-${task.name}_test`, ...(limit !== undefined ? { limit } : {}) });
    },
  };
}

function bbhConfig(configName: string, legacy: boolean, description: string, aliases?: readonly string[]): DatasetConfigDefinition {
  return {
    configName,
    ...(aliases ? { aliases } : {}),
    description,
    mode: 'gen',
    datasets: () => bbhTasks.map((task) => bbhTask(task, { configName, legacy })),
  };
}

/** OpenCompass's `bbh` group: the naive mean of the 27 task scores (`score` and `naive_average` rows). */
function bbhGroups(): SummaryGroup[] {
  return [{ name: 'bbh', subsets: bbhTasks.map((task) => `bbh-${task.name}`), average: 'naive' }];
}

/** BIG-Bench Hard: 27 tasks, 3-shot chain of thought from each task's prompt file, metric `score`. */
export const bbhBenchmark: BenchmarkDefinition = {
  name: 'bbh',
  title: 'BBH',
  dataFolder: 'bbh',
  configs: [
    bbhConfig(
      'bbh_gen_ee62e9',
      false,
      '27 tasks, 3-shot chain of thought; multiple choice by bbh_mcq_postprocess, free form by the normaliser + casefold (HEAD)',
      ['bbh_gen'],
    ),
    bbhConfig('bbh_gen_5b92b0', true, 'legacy bbh_gen (until 2025-03): the same prompts with max_out_len 512'),
  ],
  summaryGroups: bbhGroups,
};
