#!/usr/bin/env node
// Suite-scale figures (BENCHMARKS.md, "Suite scale"): one `sextant run` over the gen config that each registered
// benchmark's short name points to (`ceval_gen`, `cmmlu_gen`, …), against the zero-latency simulated server. It
// records the time from spawn to the first request reaching the server, the peak RSS of the sextant process and the
// samples/s of the whole run (spawn to exit). Asserts nothing about timings; it measures and records.
//
//   node bench/suite-bench.mjs [--datasets a,b,...] [--skip BENCHMARK,...] [--limit N] [--slots N] [--data-dir DIR] [--out FILE]
//
// --skip (default humaneval,mbpp,math): benchmarks left out of the default suite; the code benchmarks' evaluators
// execute programs and MATH's judge loads a CAS, which is not what this bench measures (issue 10's suite is C-Eval,
// CMMLU, MMLU, AGIEval, BBH, PIQA, GSM8K, NQ).
// Needs a built dist/ (`npm run build`). Data: --data-dir, else SEXTANT_DATA_DIR, else ../shared/data.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repository, 'dist/cli/main.js');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : argv[at + 1];
};
const slots = Number(option('slots', 64));
const limit = option('limit', undefined);
const dataDir = resolve(option('data-dir', process.env.SEXTANT_DATA_DIR ?? join(repository, '../shared/data')));
const outFile = resolve(option('out', join(repository, 'bench/results/suite.json')));
const skipped = new Set(option('skip', 'humaneval,mbpp,math').split(',').filter(Boolean));
const log = (line) => process.stderr.write(`${line}\n`);
const round = (value, digits = 3) => Number(value.toFixed(digits));

if (!existsSync(cli)) {
  log('suite-bench: no dist/cli/main.js; run `npm run build` first');
  process.exit(2);
}

/** The gen configs the benchmarks' short names point to, skipping any whose datasets another one already has. */
async function defaultSuite() {
  const { listDatasetConfigs, resolveDatasets } = await import(join(repository, 'dist/registry/dataset-registry.js'));
  const chosen = [];
  const seen = new Set();
  for (const entry of listDatasetConfigs()) {
    if (!entry.aliasOf || entry.mode !== 'gen' || skipped.has(entry.benchmark) || chosen.some((name) => name.target === entry.aliasOf)) continue;
    const abbrs = resolveDatasets([entry.name]).map((task) => task.abbr);
    if (abbrs.some((abbr) => seen.has(abbr))) continue;
    for (const abbr of abbrs) seen.add(abbr);
    chosen.push({ name: entry.name, target: entry.aliasOf, benchmark: entry.benchmark, datasets: abbrs.length });
  }
  return chosen;
}

function startServer() {
  const child = spawn(
    process.execPath,
    [join(repository, 'bench/simulated-server.mjs'), '--slots', String(slots), '--workload', 'zero', '--log-bodies', 'false'],
    {
      cwd: repository,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline !== -1) {
        const url = JSON.parse(buffer.slice(0, newline)).url;
        resolvePromise({
          url,
          stats: async () => (await fetch(`${url}/_bench/stats`)).json(),
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done(undefined));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`simulated server exited with ${code}`)));
  });
}

function runTimed(args) {
  return new Promise((resolvePromise, reject) => {
    const stderr = [];
    const startedAt = performance.timeOrigin + performance.now();
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: repository, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      child.on('close', () => resolvePromise({ code, wallMs, startedAt, stderr: Buffer.concat(stderr).toString('utf8') }));
    });
  });
}

const explicit = option('datasets', undefined);
const suite = explicit ? explicit.split(',').map((name) => ({ name, target: name, benchmark: '?', datasets: null })) : await defaultSuite();
log(`suite-bench: ${suite.map((entry) => entry.name).join(' ')} against the zero-latency server (${slots} slots)${limit ? `, --limit ${limit}` : ''}`);
const server = await startServer();
const workDir = mkdtempSync(join(tmpdir(), 'sextant-suite-bench-'));
try {
  const args = [
    '--import',
    join(repository, 'bench/report-max-rss.mjs'),
    cli,
    'run',
    '--datasets',
    ...suite.map((entry) => entry.name),
    '--api-base',
    `${server.url}/v1`,
    '--concurrency',
    String(slots),
    '--data-dir',
    dataDir,
    '-w',
    workDir,
    ...(limit ? ['--limit', limit] : []),
  ];
  const loadBefore = loadavg()[0];
  const run = await runTimed(args);
  if (run.code !== 0) throw new Error(`sextant exited with ${run.code}: ${run.stderr.slice(-3000)}`);
  const stats = await server.stats();
  const offset = stats.originEpochMs - run.startedAt;
  const rssKb = Number(/maxRSS (\d+)/.exec(run.stderr)?.[1]);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model, loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) } },
    node: process.version,
    slots,
    limit: limit ? Number(limit) : null,
    configs: suite,
    datasets: suite.reduce((total, entry) => total + (entry.datasets ?? 0), 0),
    samples: stats.served,
    wallS: round(run.wallMs / 1000),
    firstRequestS: round((stats.firstArrivalMs + offset) / 1000),
    samplesPerS: round(stats.served / (run.wallMs / 1000), 0),
    steadyStateSamplesPerS: round(stats.served / ((stats.lastEndMs - stats.firstArrivalMs) / 1000), 0),
    peakRssMB: round(rssKb / 1024, 1),
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `  ${result.samples} samples over ${result.datasets} datasets in ${result.wallS} s: first request after ${result.firstRequestS} s, ` +
      `${result.samplesPerS} samples/s (steady state ${result.steadyStateSamplesPerS}/s), peak RSS ${result.peakRssMB} MB -> ${outFile}`,
  );
  process.stdout.write(
    `| ${suite.map((entry) => entry.name).join(' ')} | ${result.datasets} | ${result.samples} | ${result.firstRequestS} s | ${result.peakRssMB} MB | ${result.samplesPerS}/s |\n`,
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
  await server.stop();
}
