#!/usr/bin/env node
// How close can *any* client that sends requests in order (without knowing their output lengths) get to the ideal
// makespan Σ service / N? Greedy FIFO list scheduling on N slots with zero client overhead is exactly what a perfect
// continuous client achieves; its makespan exceeds Σ/N by the end effect (the last long requests finishing while
// other slots sit idle). This prints that bound for the C-Eval short-answer model with different tails, over 20 seeds,
// using the prompt sizes of a recorded run (records saved by run-bench.mjs, or GET /_bench/records of the server).
//
//   node bench/end-effect.mjs bench/results/ceval-records.json [--slots 32] [--step-ms 30] [--prefill-ms-per-kchar 40]

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const file = args[0];
if (!file) {
  process.stderr.write('usage: end-effect.mjs RECORDS.json [--slots N] [--step-ms MS] [--prefill-ms-per-kchar MS]\n');
  process.exit(2);
}
const slots = option('slots', 32);
const stepMs = option('step-ms', 30);
const prefill = option('prefill-ms-per-kchar', 40);
const records = JSON.parse(readFileSync(file, 'utf8'));

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fifoMakespan(services, n) {
  const free = new Array(n).fill(0);
  for (const service of services) {
    let best = 0;
    for (let slot = 1; slot < n; slot += 1) if (free[slot] < free[best]) best = slot;
    free[best] += service;
  }
  return Math.max(...free);
}

/** The server's `short` model with a configurable tail share and cap (the server uses tail 0.2, cap 64). */
const shortAnswer = (tail, cap) => (random) =>
  random() >= tail ? 1 + Math.floor(8 * random() ** 2) : Math.min(cap, Math.floor(9 * (1 - random()) ** (-1 / 1.1)));

process.stdout.write(
  `${records.length} requests, ${slots} slots, ${stepMs} ms/step, ${prefill} ms/kchar prefill; FIFO bound = (Σ service / N) / FIFO makespan\n`,
);
process.stdout.write('| output lengths | FIFO-bound efficiency, median of 20 seeds | min | max |\n| --- | --- | --- | --- |\n');
for (const [tail, cap] of [
  [0.2, 64],
  [0.1, 64],
  [0.05, 64],
  [0.2, 32],
  [0.2, 16],
  [0, 8],
]) {
  const draw = shortAnswer(tail, cap);
  const bounds = [];
  for (let seed = 1; seed <= 20; seed += 1) {
    const random = mulberry32(seed * 7919);
    const services = records.map((record) => (prefill * record.promptChars) / 1000 + stepMs * draw(random));
    const total = services.reduce((a, b) => a + b, 0);
    bounds.push(total / slots / fifoMakespan(services, slots));
  }
  bounds.sort((a, b) => a - b);
  const label = tail === 0 ? '1-8 tokens, no tail' : `1-8 tokens, ${tail * 100} % tail up to ${cap}`;
  process.stdout.write(`| ${label} | ${bounds[10].toFixed(3)} | ${bounds[0].toFixed(3)} | ${bounds.at(-1).toFixed(3)} |\n`);
}
