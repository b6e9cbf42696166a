#!/usr/bin/env node
// The baseline sextant is compared with: OpenCompass's batch-synchronous dispatch. Requests go out in batches of
// `batchSize` sent together; the next batch starts only when the slowest member of the current one has returned.
// Batches do not cross datasets (OpenCompass's inferencer works through one dataset at a time), so with
// groupBy: 'subject' each C-Eval subject's requests are batched on their own, in the order sextant sent them.
//
// The client itself is minimal (Node's http module, keep-alive, no retries, no files): its wall time is the
// pattern's cost, with no harness start-up. Used by run-bench.mjs; also runnable on a requests dump:
//   node bench/batch-sync-client.mjs URL REQUESTS.json BATCH_SIZE

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The C-Eval subject of a captured request body (OpenCompass's prompt names it), else '' (one group). */
function subjectOf(body) {
  return /以下是中国关于(.+?)考试/.exec(body)?.[1] ?? '';
}

function post(agent, baseUrl, path, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * OpenCompass's batches: per dataset (C-Eval subject, in order of first appearance), consecutive runs of `batchSize`
 * requests in the order given; the last batch of a dataset may be smaller.
 * @template {{ body: string }} Request
 * @param {Request[]} requests
 * @param {number} batchSize
 * @param {'subject' | 'none'} [groupBy]
 * @returns {Request[][]}
 */
export function batchesOf(requests, batchSize, groupBy = 'subject') {
  const groups = new Map();
  for (const entry of requests) {
    const key = groupBy === 'none' ? '' : subjectOf(entry.body);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(entry);
  }
  const batches = [];
  for (const group of groups.values()) for (let index = 0; index < group.length; index += batchSize) batches.push(group.slice(index, index + batchSize));
  return batches;
}

/**
 * @param {{ baseUrl: string, requests: Array<{ path: string, body: string }>, batchSize: number, groupBy?: 'subject' | 'none' }} options
 * @returns {Promise<{ wallMs: number, batches: number[][] }>} `batches` holds, per batch, the server-side sequence
 *   numbers of its requests (the order they were sent in this replay).
 */
export async function runBatchSynchronous(options) {
  const { baseUrl, requests, batchSize } = options;
  const batches = batchesOf(requests, batchSize, options.groupBy);
  const agent = new Agent({ keepAlive: true, maxSockets: batchSize });
  const sequence = [];
  let sent = 0;
  const started = performance.now();
  for (const batch of batches) {
    const numbers = batch.map(() => sent++);
    sequence.push(numbers);
    await Promise.all(batch.map((entry) => post(agent, baseUrl, entry.path, entry.body)));
  }
  const wallMs = performance.now() - started;
  agent.destroy();
  return { wallMs, batches: sequence };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [baseUrl, file, size] = process.argv.slice(2);
  const requests = JSON.parse(readFileSync(file, 'utf8'));
  const { wallMs, batches } = await runBatchSynchronous({ baseUrl, requests, batchSize: Number(size ?? 8), groupBy: 'subject' });
  process.stdout.write(`${JSON.stringify({ wallMs, batches: batches.length })}\n`);
}
