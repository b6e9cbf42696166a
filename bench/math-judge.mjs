#!/usr/bin/env node
/**
 * MATH-500 judging time: the evaluator of `math_prm800k_500_gen` (symbolic judge primary, legacy judge recorded
 * beside it) over 500 answers, as whole-solution predictions (each problem's worked solution, so every gold is
 * extracted and compared) and as rewritten equivalent forms (`\dfrac`, spacing, `\fbox`), which reach the CAS more
 * often, and as `0+gold` / `gold+1`, which always need the CAS. Reports the CAS load time separately. Needs `npm run build`.
 *   node bench/math-judge.mjs [--repeat N]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadSymbolicMathJudge } from '../dist/postprocess/index.js';
import { resolveDatasets } from '../dist/registry/index.js';

const args = process.argv.slice(2);
const repeatIndex = args.indexOf('--repeat');
const repeat = repeatIndex === -1 ? 3 : Number(args[repeatIndex + 1]);
const dataRoot = process.env.SEXTANT_DATA_DIR ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const rows = (await readFile(`${dataRoot}/math500/test.jsonl`, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

let started = performance.now();
await loadSymbolicMathJudge();
const loadMs = performance.now() - started;

const [task] = resolveDatasets(['math_prm800k_500_gen']);
const references = rows.map((row) => row.answer);
const rewrite = (answer, index) =>
  [`$\\boxed{${answer.replaceAll('\\frac', '\\dfrac')}}$`, `\\boxed{ ${answer.replaceAll(' ', '')} }`, `\\fbox{${answer}}`][index % 3];
// `0+x` and `x+1` are never textually equal to `x`: every one of these goes through the CAS (parse, numeric check).
const sets = {
  solutions: rows.map((row) => row.solution),
  rewrites: references.map(rewrite),
  'cas-equal (0+gold)': references.map((answer) => `\\boxed{0+${answer}}`),
  'cas-wrong (gold+1)': references.map((answer) => `\\boxed{${answer}+1}`),
};

for (const [name, predictions] of Object.entries(sets)) {
  const times = [];
  let accuracy;
  for (let round = 0; round < repeat; round += 1) {
    started = performance.now();
    const result = await task.evaluator.evaluate({
      predictions,
      references,
      originPredictions: predictions,
      evaluatorInputs: predictions.map(() => ({})),
      context: { signal: new AbortController().signal },
    });
    times.push(performance.now() - started);
    accuracy = result.metrics.accuracy;
  }
  const best = Math.min(...times);
  console.log(
    `${name}: 500 answers, accuracy ${accuracy.toFixed(2)}, best of ${repeat} ${best.toFixed(0)} ms (${(best / 500).toFixed(2)} ms/answer), first ${times[0].toFixed(0)} ms`,
  );
}
console.log(`CAS load (@cortex-js/compute-engine import + engine): ${loadMs.toFixed(0)} ms`);
