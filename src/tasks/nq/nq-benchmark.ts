import { join } from 'node:path';
import { readJsonLines, requireStringField } from '../../datasets/read-json-records.js';
import { generalPostprocess } from '../../postprocess/general-postprocess.js';
import { stripPythonWhitespace } from '../../postprocess/strip-python-whitespace.js';
import { DataError, type BenchmarkDefinition, type DatasetTask, type JsonValue } from '../../spec/index.js';
import { createMatchEvaluator } from '../../evaluators/index.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { nqInferConfig } from './nq-templates.js';

const testFile = join('nq_open', 'NQ-open.dev.jsonl');

/**
 * `NQEvaluator`'s reading of a prediction: stripped, its first line, lower-cased, what follows the last
 * `answer is` if any, then `general_postprocess`.
 */
export function nqPrediction(prediction: string): string {
  let text = (stripPythonWhitespace(prediction).split('\n')[0] as string).toLowerCase();
  if (text.includes('answer is')) text = text.split('answer is').at(-1) as string;
  return generalPostprocess(text);
}

/** `NQEvaluator`'s reading of the gold answers: each through `general_postprocess`, then lower-cased. */
export function nqReferences(reference: JsonValue): JsonValue {
  if (!Array.isArray(reference)) return [];
  return reference.map((answer) => generalPostprocess(String(answer)).toLowerCase());
}

/**
 * Correct when any processed gold answer is contained in the processed prediction (containment, not equality;
 * an answer that normalises to `''`, such as "The", is contained in every prediction, as in OpenCompass).
 */
export function nqIsCorrect(pred: JsonValue, reference: JsonValue): boolean {
  if (typeof pred !== 'string' || !Array.isArray(reference)) return false;
  return reference.some((answer) => typeof answer === 'string' && pred.includes(answer));
}

function nqTask(): DatasetTask {
  return {
    abbr: 'nq',
    benchmark: 'nq',
    configName: 'nq_gen_3dcea1',
    version: datasetVersion(nqInferConfig),
    mode: 'gen',
    requestKind: 'generate',
    postprocess: (prediction) => prediction,
    postprocessReference: nqReferences,
    evaluator: createMatchEvaluator({ name: 'NQEvaluator', metric: 'score', extract: nqPrediction, isCorrect: nqIsCorrect }),
    answerFormat: { kind: 'text' },
    dataFiles: [testFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, testFile);
      const records = await readJsonLines(path);
      const rows = records.map((record, index) => {
        const where = { path, line: index + 1 };
        const question = requireStringField(record, 'question', where);
        const answers = record.answer;
        if (!Array.isArray(answers) || answers.length === 0 || !answers.every((answer) => typeof answer === 'string')) {
          throw new DataError({ path, message: `${path}:${index + 1}: field "answer" must be a non-empty list of strings` });
        }
        return { fields: { question, answer: '' }, gold: answers as JsonValue, id: String(index) };
      });
      return renderGenSamples({ inferConfig: nqInferConfig, rows, outputColumn: 'answer', subdivision: 'nq_test', ...(limit !== undefined ? { limit } : {}) });
    },
  };
}

/**
 * NQ-Open (`nq_gen` = `nq_gen_3dcea1`): the 3,610-question NQ-open evaluation set, 0-shot, `score` = any gold
 * answer contained in the normalised prediction. Read from `NQ-open.dev.jsonl`, the same questions as the DPR
 * `nq-test.qa.csv` OpenCompass reads (row order may differ; it does not change the score).
 */
export const nqBenchmark: BenchmarkDefinition = {
  name: 'nq',
  title: 'NQ-Open',
  dataFolder: 'nq_open',
  configs: [
    {
      configName: 'nq_gen_3dcea1',
      aliases: ['nq_gen'],
      description: '0-shot open questions on the 3,610 NQ-open questions, score = a gold answer contained in the answer',
      mode: 'gen',
      datasets: () => [nqTask()],
    },
  ],
  summaryGroups: () => [],
};
