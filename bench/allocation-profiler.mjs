// Preload (`node --import ./bench/allocation-profiler.mjs dist/cli/main.js run …`) that records a sampling
// allocation profile of every allocation, including objects the GC later collected (the churn that inflates the
// heap and the peak RSS), and at exit prints the top allocating functions (file:line, mapped to src/ through the
// source maps when present) on stderr. Env: SEXTANT_BENCH_ALLOC_TOP (default 25), SEXTANT_BENCH_ALLOC_OUT (also
// save the raw .heapprofile there).
import { decodeVlqSegment } from './decode-vlq-segment.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';

const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startSampling', {
  samplingInterval: 32 * 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});

const maps = new Map();
function mapped(url, line0) {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return undefined;
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? firstSourceLines(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  return maps.get(url)?.[line0];
}
function firstSourceLines(map) {
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
        first ??= `${map.sources[source].replace(/^(\.\.\/)+/, '')}:${srcLine + 1}`;
      }
    }
    lines.push(first);
  }
  return lines;
}

process.on('exit', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) {
      process.stderr.write(`allocation profile failed: ${error.message}\n`);
      return;
    }
    const profile = result.profile;
    if (process.env.SEXTANT_BENCH_ALLOC_OUT) writeFileSync(process.env.SEXTANT_BENCH_ALLOC_OUT, JSON.stringify(profile));
    const self = new Map();
    /** Allocations charged to the nearest sextant frame (dist/ or src/) on the stack: builtins (join, sort, …) and library code count for their caller. */
    const owned = new Map();
    let total = 0;
    const labelOf = (frame) => {
      const where = mapped(frame.url, frame.lineNumber) ?? `${frame.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')}:${frame.lineNumber + 1}`;
      return `${frame.functionName || '(anonymous)'} ${where}`;
    };
    const walk = (node, owner) => {
      const frame = node.callFrame;
      const key = labelOf(frame);
      const mine = frame.url.includes('/dist/') ? key : owner;
      const bytes = node.selfSize;
      total += bytes;
      self.set(key, (self.get(key) ?? 0) + bytes);
      owned.set(mine ?? '(outside sextant)', (owned.get(mine ?? '(outside sextant)') ?? 0) + bytes);
      for (const child of node.children) walk(child, mine);
    };
    walk(profile.head, undefined);
    const top = Number(process.env.SEXTANT_BENCH_ALLOC_TOP ?? 25);
    const print = (title, table) => {
      process.stderr.write(`${title}\n`);
      for (const [key, bytes] of [...table.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        process.stderr.write(`${(bytes / 2 ** 20).toFixed(1).padStart(8)} MB ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${key}\n`);
      }
    };
    process.stderr.write(`allocations (sampled, incl. collected): ${(total / 2 ** 20).toFixed(0)} MB\n`);
    print('by allocating function:', self);
    print('by nearest sextant function on the stack:', owned);
  });
});
