// Execution throughput of the sandbox: HumanEval's 164 canonical solutions and MBPP's 500 reference solutions
// (HEAD's type-aware harness), with bubblewrap and with rlimits only, at 1, 2 and 4 workers.
// Usage: npm run build && node bench/exec-bench.mjs [--data-dir ../shared/data]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { createExecutionPool, detectIsolation, PythonSandbox } from '../dist/sandbox/index.js';
import { humanevalProgram } from '../dist/tasks/humaneval/humaneval-benchmark.js';
import { mbppProgram } from '../dist/tasks/mbpp/mbpp-program.js';

const dataDir = resolve(
  process.argv.includes('--data-dir') ? process.argv[process.argv.indexOf('--data-dir') + 1] : join(import.meta.dirname, '..', '..', 'shared', 'data'),
);
const lines = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const humaneval = lines(join(dataDir, 'humaneval', 'HumanEval.jsonl')).map((problem) => ({
  program: humanevalProgram(problem, problem.canonical_solution),
  timeoutMs: 3000,
}));
const mbpp = lines(join(dataDir, 'mbpp', 'mbpp.jsonl'))
  .slice(10, 510)
  .map((row) => ({ program: mbppProgram({ code: row.code, tests: row.test_list.join('\n') }), timeoutMs: 9000 }));

const base = await createExecutionPool({ workers: 1 });
const isolations = [await detectIsolation(), { level: 'rlimits', missing: ['(forced for the benchmark)'] }];
console.log(`python ${base.sandbox.interpreter.version}; load average at start ${loadavg()[0].toFixed(2)}`);
console.log('| suite | isolation | workers | programs | passed | wall s | programs/s |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
for (const [name, runs] of [
  ['HumanEval canonical', humaneval],
  ['MBPP reference (HEAD asserts)', mbpp],
]) {
  for (const isolation of isolations) {
    const sandbox = new PythonSandbox({ interpreter: base.sandbox.interpreter, isolation });
    for (const workers of [1, 2, 4]) {
      let next = 0;
      let passed = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < runs.length) {
            const run = runs[next++];
            if ((await sandbox.run(run.program, { timeoutMs: run.timeoutMs })).status === 'passed') passed += 1;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(`| ${name} | ${isolation.level} | ${workers} | ${runs.length} | ${passed} | ${seconds.toFixed(1)} | ${(runs.length / seconds).toFixed(1)} |`);
    }
  }
}
