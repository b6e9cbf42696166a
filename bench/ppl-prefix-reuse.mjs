#!/usr/bin/env node
/**
 * Tokens evaluated and wall time of C-Eval PPL scoring (ceval_ppl_578f8d prompts) on the shared GGUF model, with
 * and without shared-prefix reuse, and whether both give the same predictions.
 *   node bench/ppl-prefix-reuse.mjs [SUBJECT...] [--limit N]
 */
import { fileURLToPath } from 'node:url';
import { LlamaCppBackend } from '../dist/backends/llama-cpp/index.js';
import { renderBaseText } from '../dist/prompts/index.js';
import { resolveDatasets } from '../dist/registry/index.js';

const args = process.argv.slice(2);
const limitIndex = args.indexOf('--limit');
const limit = limitIndex === -1 ? 3 : Number(args[limitIndex + 1]);
const subjects = args.filter((arg, index) => !arg.startsWith('--') && index !== limitIndex + 1);
const chosen = subjects.length > 0 ? subjects : ['middle_school_geography', 'art_studies'];
const dataRoot = process.env.SEXTANT_DATA_DIR ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const modelPath = fileURLToPath(new URL('../../shared/models/stories260K-gguf/stories260Ktok512.gguf', import.meta.url));

const tasks = resolveDatasets(['ceval_ppl']).filter((task) => chosen.includes(task.abbr.replace(/^ceval-/, '')));
const requests = [];
for (const task of tasks) {
  for (const sample of await task.loadSamples({ dataRoot, limit })) {
    requests.push({
      task: task.abbr,
      index: sample.index,
      candidates: sample.candidates.map((candidate) => ({ text: renderBaseText(candidate.dialogue), suffix: renderBaseText(candidate.withoutExamples) })),
      labels: sample.candidates.map((candidate) => candidate.label),
    });
  }
}

async function score(prefixReuse) {
  const backend = new LlamaCppBackend({ modelPath, promptKind: 'text', threads: 1, contextSize: 16384, prefixReuse });
  await backend.doStart({});
  const started = performance.now();
  let evaluatedTokens = 0;
  let naiveTokens = 0;
  const predictions = [];
  for (const request of requests) {
    const result = await backend.doPerplexity({ kind: 'perplexity', candidates: request.candidates }, {});
    evaluatedTokens += result.evaluatedTokens ?? 0;
    naiveTokens += result.scores.reduce((total, score) => total + score.tokenCount, 0);
    let best = 0;
    result.scores.forEach((score, index) => {
      if (score.ppl < result.scores[best].ppl) best = index;
    });
    predictions.push(request.labels[best]);
  }
  const seconds = (performance.now() - started) / 1000;
  await backend.doClose();
  return { prefixReuse, questions: requests.length, evaluatedTokens, naiveTokens, seconds, predictions };
}

const withReuse = await score(true);
const withoutReuse = await score(false);
const same = withReuse.predictions.every((label, index) => label === withoutReuse.predictions[index]);
console.log(`subjects: ${chosen.join(', ')}; ${requests.length} questions × 4 candidates (5-shot ceval_ppl prompts)`);
for (const run of [withoutReuse, withReuse]) {
  console.log(
    `${run.prefixReuse ? 'prefix reuse ' : 'naive        '}  tokens evaluated ${String(run.evaluatedTokens).padStart(8)}  wall ${run.seconds.toFixed(1).padStart(6)} s`,
  );
}
console.log(
  `tokens ratio ${(withReuse.evaluatedTokens / withoutReuse.evaluatedTokens).toFixed(3)} (goal ≤ 0.333); time ratio ${(withReuse.seconds / withoutReuse.seconds).toFixed(3)}; same predictions: ${same}`,
);
