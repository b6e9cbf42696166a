import { join } from 'node:path';
import { readJsonLines, requireStringField } from '../../datasets/read-json-records.js';
import { gsm8kDatasetPostprocess, gsm8kPostprocess } from '../../postprocess/gsm8k-postprocess.js';
import { pythonFloat, pythonInt } from '../../postprocess/python-character-classes.js';
import { DataError, type BenchmarkDefinition, type DatasetTask, type JsonValue } from '../../spec/index.js';
import { createMatchEvaluator } from '../../evaluators/index.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { gsm8kInferConfig } from './gsm8k-templates.js';

const testFile = join('gsm8k', 'test.jsonl');

/**
 * `Gsm8kEvaluator`'s test: equal as strings, or `abs(float(pred) - int(ref)) < 1e-6`; a prediction or reference
 * Python cannot convert (`NULL`, `3.5` as an int) is wrong.
 */
export function gsm8kIsEqual(pred: JsonValue, reference: JsonValue): boolean {
  if (typeof pred !== 'string' || typeof reference !== 'string') return false;
  if (pred === reference) return true;
  const predicted = pythonFloat(pred);
  const expected = pythonInt(reference);
  return predicted !== undefined && expected !== undefined && Math.abs(predicted - expected) < 1e-6;
}

function gsm8kTask(): DatasetTask {
  return {
    abbr: 'gsm8k',
    benchmark: 'gsm8k',
    configName: 'gsm8k_gen_1d7fe4',
    version: datasetVersion(gsm8kInferConfig),
    mode: 'gen',
    requestKind: 'generate',
    maxOutLen: 512,
    postprocessorName: 'gsm8k_postprocess',
    postprocess: gsm8kPostprocess,
    postprocessReference: (reference) => gsm8kDatasetPostprocess(String(reference)),
    evaluator: createMatchEvaluator({ name: 'Gsm8kEvaluator', metric: 'accuracy', isCorrect: gsm8kIsEqual }),
    answerFormat: { kind: 'number' },
    dataFiles: [testFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, testFile);
      const records = await readJsonLines(path);
      const rows = records.map((record, index) => {
        const where = { path, line: index + 1 };
        const question = requireStringField(record, 'question', where);
        const answer = requireStringField(record, 'answer', where);
        if (!answer.includes('#### ')) throw new DataError({ path, message: `${path}:${index + 1}: field "answer" has no "#### " final-answer marker` });
        return { fields: { question, answer }, gold: answer, id: String(index) };
      });
      return renderGenSamples({
        inferConfig: gsm8kInferConfig,
        rows,
        outputColumn: 'answer',
        subdivision: 'gsm8k_test',
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  };
}

/** GSM8K (`gsm8k_gen` = `gsm8k_gen_1d7fe4`): 1,319 test problems, 4-shot chain of thought, `accuracy`. */
export const gsm8kBenchmark: BenchmarkDefinition = {
  name: 'gsm8k',
  title: 'GSM8K',
  dataFolder: 'gsm8k',
  configs: [
    {
      configName: 'gsm8k_gen_1d7fe4',
      aliases: ['gsm8k_gen'],
      description: '4-shot chain of thought on the 1,319 test problems, max_out_len 512, last number vs "#### " answer',
      mode: 'gen',
      datasets: () => [gsm8kTask()],
    },
  ],
  summaryGroups: () => [],
};
