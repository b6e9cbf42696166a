// `sextant compare` (the built CLI, text and JSON) and the viewer's compare page (in-process, over HTTP) on the
// newcomer's two cases, made with real runs against the test server: ceval_gen --limit 1 against --limit 2, and
// 5-shot (ceval_gen) against 0-shot (ceval_zero_shot_gen_bd40ef). Both must show the same pairing, warning, numbers
// and verdicts. Answers are decided here (gold for run A; by a hash of the prompt for run B), independently of src/.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type RunningViewer } from '../../src/api/start-viewer.js';
import { comparisonTables, fullScoresLine, methodsLines } from '../../src/compare/index.js';
import { startOpenAITestServer, type AnswerPolicy, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { humanPrompt, loadSubjects } from './ceval-reference.js';
import { CLI, DATA_DIR, runCli, type CliResult } from './cli-harness.js';

const goldByPrompt = new Map<string, string>();
const servers: OpenAITestServer[] = [];
let workDir = '';
let viewer: RunningViewer;
const runs: Record<'limit1' | 'limit2' | 'fiveShot' | 'zeroShot', string> = { limit1: '', limit2: '', fiveShot: '', zeroShot: '' };

const goldPolicy: AnswerPolicy = (info) => goldByPrompt.get(info.prompt) ?? 'Z';
/** Right on about half of the questions (by a hash of the prompt), else a wrong letter. */
const halfPolicy: AnswerPolicy = (info) => {
  const gold = goldByPrompt.get(info.prompt) ?? 'A';
  const byte = createHash('sha256').update(`half:${info.prompt}`, 'utf8').digest()[0] as number;
  return byte % 2 === 0 ? gold : 'ABCD'[('ABCD'.indexOf(gold) + 1) % 4]!;
};

function expectCleanExit(result: CliResult, code = 0): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(code);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

/** One run into the shared work dir; returns its folder name (found by listing before and after). */
async function runOnce(args: readonly string[], answer: AnswerPolicy): Promise<string> {
  const server = await startOpenAITestServer({ modelName: 'sextant-e2e', answer });
  servers.push(server);
  const before = new Set(await readdir(workDir));
  // Run folders are named by the second they start in: wait for a new second so two runs never share one.
  const started = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === started) await new Promise((resolve) => setTimeout(resolve, 50));
  const result = await runCli(['run', ...args, '--api-base', `${server.url}/v1`, '-w', workDir]);
  expectCleanExit(result);
  const added = (await readdir(workDir)).filter((name) => !before.has(name));
  expect(added).toHaveLength(1);
  return added[0]!;
}

function get(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, viewer.url);
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** CLI (stdout, --json) and viewer page for runs A and B. */
async function both(a: string, b: string, extra: readonly string[] = []) {
  const [text, json, page] = await Promise.all([
    runCli(['compare', join(workDir, a), join(workDir, b), ...extra]),
    runCli(['compare', join(workDir, a), join(workDir, b), '--json']),
    get(`/compare?a=${a}&b=${b}`),
  ]);
  expectCleanExit(json);
  expect(page.status).toBe(200);
  return { text, comparison: JSON.parse(json.stdout), page: page.body };
}

/** Every cell of every table row the CLI printed appears, in order, on one line of stdout and as one row of the page. */
function expectSameTables(comparison: any, stdout: string, page: string): void {
  const tables = comparisonTables(comparison, { rawWidth: 80 });
  for (const table of [tables.datasets, tables.groups]) {
    for (const row of table.rows) {
      expect(stdout).toMatch(new RegExp(`^${row.map(escapeRegExp).join('\\s+')}\\s*$`, 'm'));
      const verdict = table.header.indexOf('verdict');
      const cellClass = (column: number) => (table.rightAligned[column] ? ' class="num"' : column === verdict ? ' class="verdict"' : '');
      expect(page).toContain(row.map((cell, column) => `<td${cellClass(column)}>${escapeHtml(cell)}</td>`).join(''));
    }
  }
}

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  for (const { subject, val } of await loadSubjects(DATA_DIR)) {
    val.slice(0, 2).forEach((row, index) => goldByPrompt.set(humanPrompt(subject, row, true), val[index]?.answer ?? ''));
  }
  workDir = await mkdtemp(join(tmpdir(), 'sextant-e2e-compare-parity-'));
  runs.limit1 = await runOnce(['--datasets', 'ceval_gen', '--limit', '1'], goldPolicy);
  runs.limit2 = await runOnce(['--datasets', 'ceval_gen', '--limit', '2'], halfPolicy);
  runs.fiveShot = await runOnce(['--datasets', 'ceval_gen', '--limit', '2'], goldPolicy);
  runs.zeroShot = await runOnce(['--datasets', 'ceval_zero_shot_gen_bd40ef', '--limit', '2'], goldPolicy);
  viewer = await startViewer({ workDir });
}, 180_000);

afterAll(async () => {
  await viewer?.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('CLI and viewer agree', () => {
  it('--limit 1 against --limit 2: 52 pairs, 52 unpaired in B, paired accuracies, no verdict from one question a subject', async () => {
    const { text, comparison, page } = await both(runs.limit1, runs.limit2, ['--fail-if-worse', '1']);
    expect(comparison.pairing).toMatchObject({ paired: 52, onlyInA: 0, onlyInB: 52, excludedByVersion: 0, excludedByPrompt: 0 });
    const pairing =
      'Paired 52 samples in 52 dataset(s) by (dataset, index, prompt); unpaired: 0 only in A, 52 only in B; excluded: 0 samples (prompt version differs), 0 pairs (rendered prompt differs).';
    expect(text.stdout).toContain(pairing);
    expect(page).toContain(escapeHtml(pairing));
    // Both accuracies on the one paired question; each run's own full score beside them, labelled.
    for (const row of comparison.datasets) {
      expect(row.samples).toBe(1);
      expect([0, 100]).toContain(row.accuracyA);
      expect(row.fullB.samples).toBe(2);
      expect(row.verdict).toEqual({ direction: 'not-enough-data', text: 'not enough data (1 paired; a verdict needs ≥ 6)' });
      expect(row.upper - row.lower).toBeGreaterThan(50);
    }
    expect(page).not.toContain('paired 1');
    const overall = comparison.groups.find((row: any) => row.group === 'ceval' && row.metric === 'naive_average');
    expect(overall).toMatchObject({ samples: 52, c: 0, testMethod: 'sign-flip-mcnemar', intervalMethod: 'newcombe-pooled' });
    expect(overall.upper - overall.lower).toBeGreaterThan(5);
    expectSameTables(comparison, text.stdout, page);
    for (const line of methodsLines(comparison)) {
      expect(text.stdout).toContain(line);
      expect(page).toContain(escapeHtml(line));
    }
    expect(page).toContain(escapeHtml(fullScoresLine(comparison)));
    expect(text.stdout).toContain(fullScoresLine(comparison));
    // A dataset's "N discordant" link opens exactly the CLI's discordant samples of it.
    const withDiscordant = comparison.datasets.filter((row: any) => row.b + row.c > 0);
    expect(withDiscordant.length).toBeGreaterThan(0);
    for (const row of withDiscordant.slice(0, 3)) {
      const href = `/runs/${runs.limit1}/samples/sextant-e2e/${row.dataset}?discordant=1&amp;compare=${runs.limit2}&amp;compareModel=sextant-e2e`;
      expect(page).toContain(`<a href="${href}">${row.b + row.c} discordant</a>`);
      const listing = await get(href.replace(/&amp;/g, '&'));
      const listed = [...listing.body.matchAll(/<td class="num"><a href="[^"]*">#(\d+)<\/a>/g)].map((match) => Number(match[1]));
      expect(listed).toEqual(comparison.discordant.filter((sample: any) => sample.dataset === row.dataset).map((sample: any) => sample.index));
    }
    // The gate fails only where the whole interval lies below −1 point.
    const failing = [...comparison.datasets, ...comparison.groups].filter((row: any) => row.verdict.direction === 'lower' && row.upper < -1);
    expectCleanExit(text, failing.length > 0 ? 3 : 0);
  });

  it('5-shot against 0-shot: NOT A PURE DEPLOYMENT CHECK, every sample excluded, nothing compared', async () => {
    const { text, comparison, page } = await both(runs.fiveShot, runs.zeroShot, ['--fail-if-worse', '1']);
    expectCleanExit(text);
    expect(comparison.pairing).toMatchObject({ paired: 0, onlyInA: 0, onlyInB: 0, excludedByVersion: 208, excludedByPrompt: 0 });
    expect(comparison.datasets).toEqual([]);
    expect(comparison.groups).toEqual([]);
    const warning = comparison.measurementChanges[0];
    expect(warning).toMatch(
      /^prompt version differs for 52 dataset\(s\) \(e\.g\. ceval-computer_network: A [0-9a-f]{6}, B [0-9a-f]{6}\); their 208 samples were excluded$/,
    );
    for (const needle of [
      'NOT A PURE DEPLOYMENT CHECK: what is measured changed between A and B:',
      warning,
      'No paired samples: nothing can be compared (not enough data).',
      fullScoresLine(comparison),
    ]) {
      expect(text.stdout).toContain(needle);
      expect(page).toContain(escapeHtml(needle));
    }
    expect(text.stdout).toContain('excluded: 208 samples (prompt version differs)');
    expect(page).toContain('excluded: 208 samples (prompt version differs)');
    // Each run's own full score is shown, labelled, and never compared: A answered every 5-shot question right.
    expect(comparison.fullScores.a.find((score: any) => score.group === 'ceval' && score.metric === 'naive_average')).toMatchObject({
      samples: 104,
      accuracy: 100,
    });
    expect(text.stdout).toContain('Gate --fail-if-worse 1: passed');
  });
});
