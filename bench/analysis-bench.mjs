#!/usr/bin/env node
/**
 * Figures for the analysis side (issue: paired comparison, viewer, report):
 *  - `sextant compare` of two synthetic 14,040-sample C-Eval runs (52 subjects × 270), whole CLI, start-up included;
 *  - the viewer's first pages of a 100,048-sample run (52 subjects × 1,924 samples), cold (no index yet);
 *  - the size of report.html for a 52-subject, two-model run.
 * Synthetic runs have the real run-folder layout (configs/, samples/*.jsonl, predictions/, results/), written by
 * sextant's own store functions, with ~2.8 kB prompts per sample like real C-Eval 5-shot lines.
 *   npm run build && node bench/analysis-bench.mjs
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startViewer, writeRunReport } from '../dist/api/index.js';
import { resolveDatasets } from '../dist/registry/dataset-registry.js';
import { scoreTask } from '../dist/runner/index.js';
import { SampleLogWriter, writePredictionsFile } from '../dist/store/index.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const tasks = resolveDatasets(['ceval_gen']);
const question = '以下是中国关于计算机网络考试的单项选择题，请选出其中的正确答案。\n'.repeat(20);

function seeded(seed) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

async function makeRun({ root, abbr, perDataset, seed, flip = 0 }) {
  const random = seeded(seed);
  await mkdir(join(root, 'configs'), { recursive: true });
  await writeFile(
    join(root, 'configs', '20260101_000000_1.json'),
    JSON.stringify({
      sextantVersion: 'bench',
      datasets: ['ceval_gen'],
      datasetVersions: Object.fromEntries(tasks.map((task) => [task.abbr, task.version])),
      limit: null,
      models: [{ abbr, modelName: abbr, promptStyle: { kind: 'messages', messageStyle: 'api' }, generation: { temperature: 0, stopWords: [] } }],
    }),
  );
  for (const task of tasks) {
    const writer = new SampleLogWriter(join(root, 'samples', abbr, `${task.abbr}.jsonl`), { batchSize: 512 });
    const records = [];
    for (let index = 0; index < perDataset; index += 1) {
      const gold = 'ABCD'[index % 4];
      const base = random() < 0.6 ? gold : 'ABCD'[(index + 1) % 4];
      const prediction = random() < flip ? gold : base;
      const record = { index, key: `k${index}`, originPrompt: [{ role: 'HUMAN', prompt: `${question}${index}` }], prediction, gold, attempts: 1, latencyMs: 1 };
      records.push(record);
      writer.append(record);
    }
    await writer.close();
    const predictions = join(root, 'predictions', abbr, `${task.abbr}.json`);
    await writePredictionsFile(predictions, records);
    await scoreTask({ task, predictionsPath: predictions, resultsPath: join(root, 'results', abbr, `${task.abbr}.json`) });
  }
}

const work = await mkdtemp(join(tmpdir(), 'sextant-analysis-bench-'));
try {
  // 1. compare two 14,040-sample runs
  await makeRun({ root: join(work, 'a', '20260101_000000'), abbr: 'model-a', perDataset: 270, seed: 1 });
  await makeRun({ root: join(work, 'b', '20260101_000000'), abbr: 'model-b', perDataset: 270, seed: 1, flip: 0.05 });
  const compareTimes = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    await run(process.execPath, [cli, 'compare', join(work, 'a'), join(work, 'b'), '--json'], { maxBuffer: 1 << 28 });
    compareTimes.push((performance.now() - started) / 1000);
  }
  console.log(`compare, two runs of ${52 * 270} samples: ${compareTimes.map((seconds) => seconds.toFixed(2)).join(' / ')} s (goal < 2 s)`);

  // 2. viewer, first pages of a 100,048-sample run, cold
  await makeRun({ root: join(work, 'big', '20260101_000000'), abbr: 'model-big', perDataset: 1924, seed: 2 });
  const bytes = (await stat(join(work, 'big', '20260101_000000', 'samples', 'model-big', 'ceval-computer_network.jsonl'))).size;
  for (const [label, path] of [
    ['run list', '/'],
    ['run page', '/runs/20260101_000000'],
    ['first samples page', '/runs/20260101_000000/samples/model-big/ceval-computer_network'],
  ]) {
    const viewer = await startViewer({ workDir: join(work, 'big') });
    const started = performance.now();
    const response = await fetch(new URL(path, viewer.url));
    await response.text();
    console.log(`viewer ${label} of a ${52 * 1924}-sample run, cold: ${(performance.now() - started).toFixed(0)} ms (HTTP ${response.status}; goal < 300 ms)`);
    await viewer.close();
  }
  console.log(`  (one dataset's sample log: ${(bytes / 1e6).toFixed(1)} MB)`);

  // 3. report size for a 52-subject run
  const report = await writeRunReport({ runDirectory: join(work, 'a', '20260101_000000') });
  console.log(`report.html of a 52-subject run: ${(report.bytes / 1024).toFixed(0)} KiB (goal < 1 MB)`);
} finally {
  await rm(work, { recursive: true, force: true });
}
