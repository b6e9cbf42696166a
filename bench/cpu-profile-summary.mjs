#!/usr/bin/env node
// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function (file:line), optionally
// restricted to a time window, so hot spots can be reported as file:line with a share of the time.
//
//   node bench/cpu-profile-summary.mjs PROFILE.cpuprofile [--top 25] [--from MS] [--to MS] [--filter TEXT]
//
// Times are in ms from the profile's start. Lines are 1-based, as editors show them. Paths under dist/ are mapped
// back to src/*.ts through the .js.map files when present (first mapping on the line).

import { decodeVlqSegment } from './decode-vlq-segment.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  process.stderr.write('usage: cpu-profile-summary.mjs PROFILE [--top N] [--from MS] [--to MS] [--filter TEXT]\n');
  process.exit(2);
}
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const top = Number(option('top', 25));
const from = Number(option('from', 0));
const to = Number(option('to', Number.POSITIVE_INFINITY));
const filter = option('filter', undefined);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Source maps: dist/x.js line → src/x.ts line (a tiny VLQ decoder, first segment of each generated line).
const maps = new Map();
function sourceLine(url, line0) {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return undefined;
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? decodeMap(JSON.parse(readFileSync(path, 'utf8')), path) : null);
  }
  const map = maps.get(url);
  return map?.[line0];
}
function decodeMap(map, path) {
  const lines = [];
  let source = 0;
  let srcLine = 0;
  for (const segmentLine of map.mappings.split(';')) {
    let first;
    for (const segment of segmentLine.split(',')) {
      if (!segment) continue;
      const values = decodeVlqSegment(segment);
      if (values.length >= 4) {
        source += values[1];
        srcLine += values[2];
        first ??= `${new URL(map.sources[source], `file://${path}`).pathname.replace(/^.*\/(src|node_modules)\//, '$1/')}:${srcLine + 1}`;
      }
    }
    lines.push(first);
  }
  return lines;
}

function label(node) {
  const frame = node.callFrame;
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const mapped = sourceLine(frame.url, frame.lineNumber);
  const shortUrl = frame.url.replace(/^file:\/\/.*?\/(dist|node_modules|bench)\//, '$1/').replace(/^node:/, 'node:');
  return `${name} ${mapped ?? `${shortUrl}:${frame.lineNumber + 1}`}`;
}

// Sample times: profile.timeDeltas are µs between samples.
const self = new Map();
const inclusive = new Map();
let total = 0;
let t = 0;
const start = profile.startTime;
for (let index = 0; index < profile.samples.length; index += 1) {
  t += profile.timeDeltas[index] ?? 0;
  const ms = t / 1000;
  const next = (profile.timeDeltas[index + 1] ?? 0) / 1000;
  if (ms < from || ms > to) continue;
  const node = nodes.get(profile.samples[index]);
  const weight = next;
  total += weight;
  const own = label(node);
  self.set(own, (self.get(own) ?? 0) + weight);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const name = label(nodes.get(id));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + weight);
  }
}
const durationMs = (profile.endTime - start) / 1000;
const idle = self.get('(idle)') ?? 0;
process.stdout.write(
  `profile ${durationMs.toFixed(0)} ms; window ${from}-${Number.isFinite(to) ? to : 'end'} ms: ${total.toFixed(0)} ms sampled, ${idle.toFixed(0)} ms idle, ${(total - idle).toFixed(0)} ms busy\n`,
);
const show = (title, table) => {
  process.stdout.write(`\n${title} (ms, % of busy)\n`);
  const rows = [...table.entries()]
    .filter(([name]) => name !== '(idle)' && name !== '(root)' && (!filter || name.includes(filter)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [name, ms] of rows)
    process.stdout.write(`${ms.toFixed(1).padStart(9)} ${((100 * ms) / Math.max(1e-9, total - idle)).toFixed(1).padStart(5)}%  ${name}\n`);
};
show('self time', self);
show('inclusive time', inclusive);
