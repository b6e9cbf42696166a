import { join } from 'node:path';
import { readJsonLines, requireStringField } from '../../datasets/read-json-records.js';
import { humanevalPostprocessV2 } from '../../postprocess/code-postprocess.js';
import type { BenchmarkDefinition, DatasetTask, EvaluationInput, EvaluationResult, Evaluator, JsonValue } from '../../spec/index.js';
import { executeCached, passAtK, type StoredOutcome } from '../execute-cached.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { renderGenSamples } from '../render-gen-samples.js';
import { humanevalInferConfig, humanevalLegacyInferConfig } from './humaneval-templates.js';

const problemsFile = join('humaneval', 'HumanEval.jsonl');
/** human-eval's in-process limit: a 3 s SIGALRM (the parent kills 1 s later). */
const timeoutMs = 3000;
const ks = [1, 10, 100] as const;

/** human-eval's outcome text: `passed`, `timed out`, or `failed: <str(exception)>`; no report counts as timed out. */
export function humanevalResult(outcome: StoredOutcome): string {
  switch (outcome.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed: ${outcome.errorMessage ?? ''}`;
    case 'timeout':
    case 'no-report':
      return 'timed out';
    default: {
      const unreachable: never = outcome.status;
      throw new TypeError(`unknown outcome ${String(unreachable)}`);
    }
  }
}

/** The program human-eval runs for one completion. */
export function humanevalProgram(problem: { prompt: string; test: string; entry_point: string }, completion: string): string {
  return `${problem.prompt}${completion}\n${problem.test}\n` + `check(${problem.entry_point})`;
}

/**
 * `HumanEvalEvaluator`: each completion runs in the sandbox against its problem's tests; pass@k (the unbiased
 * estimator) averaged over problems, for every k in 1, 10, 100 that each problem has enough samples for.
 */
export const humanevalEvaluator: Evaluator = {
  name: 'HumanEvalEvaluator',
  metrics: ks.map((k) => `humaneval_pass@${k}`),
  executesPrograms: true,
  async evaluate(input: EvaluationInput): Promise<EvaluationResult> {
    const outcomes = await Promise.all(
      input.predictions.map(async (completion, index) => {
        const problem = input.evaluatorInputs[index] as { prompt: string; test: string; entry_point: string };
        return executeCached(input.context, { program: humanevalProgram(problem, completion), timeoutMs });
      }),
    );
    const byProblem = new Map<string, { samples: number; passed: number }>();
    outcomes.forEach((outcome, index) => {
      const taskId = String(input.references[index]);
      const tally = byProblem.get(taskId) ?? { samples: 0, passed: 0 };
      byProblem.set(taskId, { samples: tally.samples + 1, passed: tally.passed + (outcome.status === 'passed' ? 1 : 0) });
    });
    const tallies = [...byProblem.values()];
    const metrics: Record<string, number> = {};
    for (const k of ks) {
      if (tallies.length === 0 || tallies.some((tally) => tally.samples < k)) continue;
      metrics[`humaneval_pass@${k}`] = 100 * (tallies.reduce((total, tally) => total + passAtK(tally.samples, tally.passed, k), 0) / tallies.length);
    }
    return {
      metrics,
      samples: outcomes.map((outcome, index) => {
        const passed = outcome.status === 'passed';
        return {
          correct: passed,
          pred: input.predictions[index] as string,
          fields: { result: humanevalResult(outcome), passed, is_correct: passed, program_hash: outcome.key },
        };
      }),
    };
  },
};

function humanevalTask(configName: string, inferConfig: InferConfig): DatasetTask {
  return {
    abbr: 'openai_humaneval',
    benchmark: 'humaneval',
    configName,
    version: datasetVersion(inferConfig),
    mode: 'gen',
    requestKind: 'generate',
    ...(inferConfig.inferencer.kind === 'gen' && inferConfig.inferencer.maxOutLen !== undefined ? { maxOutLen: inferConfig.inferencer.maxOutLen } : {}),
    postprocessorName: 'humaneval_postprocess_v2',
    postprocess: humanevalPostprocessV2,
    evaluator: humanevalEvaluator,
    answerFormat: { kind: 'program' },
    dataFiles: [problemsFile],
    async loadSamples({ dataRoot, limit }) {
      const path = join(dataRoot, problemsFile);
      const rows = (await readJsonLines(path)).map((record, index) => {
        const where = { path, line: index + 1 };
        const [taskId, prompt, test, entryPoint] = ['task_id', 'prompt', 'test', 'entry_point'].map((field) => requireStringField(record, field, where)) as [
          string,
          string,
          string,
          string,
        ];
        const evaluatorInput: { [key: string]: JsonValue } = { prompt, test, entry_point: entryPoint };
        return { fields: { task_id: taskId, prompt }, gold: taskId, id: taskId, evaluatorInput };
      });
      return renderGenSamples({ inferConfig, rows, outputColumn: 'task_id', subdivision: 'openai_humaneval_test', ...(limit !== undefined ? { limit } : {}) });
    },
  };
}

/** HumanEval: 164 problems, 0-shot, completions executed in the sandbox, `humaneval_pass@1`. */
export const humanevalBenchmark: BenchmarkDefinition = {
  name: 'humaneval',
  title: 'HumanEval',
  dataFolder: 'humaneval',
  configs: [
    {
      configName: 'humaneval_openai_sample_evals_gen_dcae0e',
      aliases: ['humaneval_gen'],
      description: '164 problems, 0-shot "fully implement the function", programs run in the sandbox, pass@k',
      mode: 'gen',
      datasets: () => [humanevalTask('humaneval_openai_sample_evals_gen_dcae0e', humanevalInferConfig)],
    },
    {
      configName: 'humaneval_gen_8e312c',
      description: 'legacy humaneval_gen (until 2025-03): "Complete the following python code:", max_out_len 512',
      mode: 'gen',
      datasets: () => [humanevalTask('humaneval_gen_8e312c', humanevalLegacyInferConfig)],
    },
  ],
  summaryGroups: () => [],
};
