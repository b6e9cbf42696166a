import { join } from 'node:path';
import { readJsonLines } from '../../datasets/read-json-records.js';
import { mbppProcessAnswer } from '../../postprocess/code-postprocess.js';
import { DataError, type BenchmarkDefinition, type DatasetTask, type EvaluationInput, type EvaluationResult, type Evaluator } from '../../spec/index.js';
import { executeCached, type StoredOutcome } from '../execute-cached.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { mbppProgram } from './mbpp-program.js';
import { mbppInferConfig } from './mbpp-templates.js';

const dataFile = join('mbpp', 'mbpp.jsonl');
/** OpenCompass's MBPP runner: a 9 s SIGALRM in the child, the parent kills at 10 s. */
const timeoutMs = 9000;

/** OpenCompass's MBPP outcome names. */
export type MbppResult = 'pass' | 'timeout' | 'wrong_answer' | 'failed';

export function mbppResult(outcome: StoredOutcome): MbppResult {
  switch (outcome.status) {
    case 'passed':
      return 'pass';
    case 'timeout':
    case 'no-report':
      return 'timeout';
    case 'failed':
      return outcome.errorType === 'AssertionError' ? 'wrong_answer' : 'failed';
    default: {
      const unreachable: never = outcome.status;
      throw new TypeError(`unknown outcome ${String(unreachable)}`);
    }
  }
}

/**
 * `MBPPEvaluator`: each answer's code and the task's three asserts run in the sandbox; `score` = 100 × passed /
 * total, plus the counts of `pass`, `timeout`, `failed` and `wrong_answer`. `legacyEquality` (or the run's
 * evaluator option `mbppLegacyEquality`) scores with plain `==` as OpenCompass did before 2026-07-28.
 */
export function createMbppEvaluator(options: { legacyEquality?: boolean; timeoutMs?: number } = {}): Evaluator {
  return {
    name: 'MBPPEvaluator',
    metrics: ['score', 'pass', 'timeout', 'failed', 'wrong_answer'],
    executesPrograms: true,
    async evaluate(input: EvaluationInput): Promise<EvaluationResult> {
      const legacyEquality = options.legacyEquality ?? input.context.options?.mbppLegacyEquality === true;
      const outcomes = await Promise.all(
        input.predictions.map((code, index) => {
          const program = mbppProgram({ code, tests: String(input.references[index]), ...(legacyEquality ? { legacyEquality: true } : {}) });
          return executeCached(input.context, { program, timeoutMs: options.timeoutMs ?? timeoutMs });
        }),
      );
      const counts: Record<MbppResult, number> = { pass: 0, timeout: 0, failed: 0, wrong_answer: 0 };
      const samples = outcomes.map((outcome, index) => {
        const result = mbppResult(outcome);
        counts[result] += 1;
        const exception: { exception?: string } =
          outcome.status === 'failed' ? { exception: `${outcome.errorType ?? 'Exception'}: ${outcome.errorMessage ?? ''}` } : {};
        return {
          correct: result === 'pass',
          pred: input.predictions[index] as string,
          fields: { result, is_correct: result === 'pass', ...exception, program_hash: outcome.key },
        };
      });
      const total = outcomes.length;
      return { metrics: { score: total === 0 ? Number.NaN : 100 * (counts.pass / total), ...counts }, samples };
    },
  };
}

function mbppTask(): DatasetTask {
  return {
    abbr: 'mbpp',
    benchmark: 'mbpp',
    configName: 'mbpp_gen_830460',
    version: datasetVersion(mbppInferConfig),
    mode: 'gen',
    requestKind: 'generate',
    maxOutLen: 512,
    postprocessorName: 'mbpp_process_answer',
    postprocess: mbppProcessAnswer,
    evaluator: createMbppEvaluator(),
    answerFormat: { kind: 'program' },
    dataFiles: [dataFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, dataFile);
      const records = await readJsonLines(path);
      // MBPPDataset: rows 0-9 (tasks 1-10) are the train split, rows 10-509 (tasks 11-510) the scored test split.
      if (records.length < 510) throw new DataError({ path, message: `${path} has ${records.length} rows; MBPP's test split is rows 11-510` });
      const rows = records.slice(10, 510).map((record, offset) => {
        const line = offset + 11;
        const tests = record.test_list;
        if (typeof record.text !== 'string' || !Array.isArray(tests) || !tests.every((test) => typeof test === 'string')) {
          throw new DataError({ path, message: `${path}:${line}: expected a string "text" and a list of strings "test_list"` });
        }
        const testList = (tests as string[]).join('\n');
        return { fields: { text: record.text, test_list: testList, test_list_2: testList }, gold: testList, id: String(record.task_id) };
      });
      return renderGenSamples({
        inferConfig: mbppInferConfig,
        rows,
        outputColumn: 'test_list_2',
        subdivision: 'mbpp_test',
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  };
}

/** MBPP: tasks 11-510, 3-shot `[BEGIN]`/`[DONE]` prompt, programs run in the sandbox, `score`. */
export const mbppBenchmark: BenchmarkDefinition = {
  name: 'mbpp',
  title: 'MBPP',
  dataFolder: 'mbpp',
  configs: [
    {
      configName: 'mbpp_gen_830460',
      aliases: ['mbpp_gen'],
      description: 'tasks 11-510, 3-shot [BEGIN]/[DONE], programs run in the sandbox with type-aware asserts (HEAD)',
      mode: 'gen',
      datasets: () => [mbppTask()],
    },
  ],
  summaryGroups: () => [],
};
