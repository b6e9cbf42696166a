// MATH-500 through the built CLI against the real-HTTP test server: answered with each problem's own worked
// solution (accuracy 100 under both judges), then with equivalent rewrites of the golds and some wrong answers,
// whose expected score the test computes from how it built them; `sextant audit` lists where the judges disagree.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { DATA_DIR, onlyRunDir, readJson, runCli } from './cli-harness.js';

const MODEL = 'sextant-math';
const LIMIT = 24;
const instruction = '\nPlease reason step by step, and put your final answer within \\boxed{}.';

interface Row {
  readonly problem: string;
  readonly solution: string;
  readonly answer: string;
}

let rows: Row[];
let root: string;
let server: OpenAITestServer;
let mode: 'gold' | 'perturbed' = 'gold';

/** Equivalent rewrites of a gold by position (cycle of 4), and every 5th answer wrong. */
function perturbed(index: number, gold: string): { text: string; correct: boolean } {
  if (index % 5 === 4) return { text: `Therefore the answer is $\\boxed{${gold}+1000}$.`, correct: false };
  switch (index % 4) {
    case 0:
      return { text: `So we get $\\boxed{${gold.replaceAll('\\frac', '\\dfrac')}}$.`, correct: true };
    case 1:
      return { text: `Hence $\\boxed{  ${gold.replaceAll(' ', '')}  }$.`, correct: true };
    case 2:
      return { text: `Hence \\fbox{${gold}} is it.`, correct: true };
    default:
      return { text: `The solution is $\\boxed{\\displaystyle ${gold}}$.`, correct: true };
  }
}

function answerFor(prompt: string): string {
  const index = rows.findIndex((row) => prompt.startsWith(row.problem + instruction));
  if (index < 0) return 'I cannot tell.';
  const row = rows[index] as Row;
  return mode === 'gold' ? row.solution : perturbed(index, row.answer).text;
}

beforeAll(async () => {
  const text = await readFile(join(DATA_DIR, 'math500', 'test.jsonl'), 'utf8');
  rows = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
  root = await mkdtemp(join(tmpdir(), 'sextant-math-'));
  server = await startOpenAITestServer({ modelName: MODEL, answer: ({ prompt }) => answerFor(prompt) });
});

afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('MATH-500 through the CLI', () => {
  it('scores 100 when the model answers with the worked solutions (math_prm800k_500_gen and math_500_gen)', async () => {
    mode = 'gold';
    const work = join(root, 'gold');
    // Worked solutions run past the default 256 new tokens (one code point each on the test server).
    const run = await runCli(
      ['run', '--datasets', 'math_prm800k_500_gen', 'math_500_gen', '--api-base', server.url, '--limit', String(LIMIT), '--max-out-len', '4096', '-w', work],
      { timeoutMs: 90_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const runDir = await onlyRunDir(work);
    for (const abbr of ['math_prm800k_500', 'math-500']) {
      const results = await readJson(join(runDir, 'results', MODEL, `${abbr}.json`));
      expect(results.accuracy).toBe(100);
      const details = Object.entries(results.details)
        .filter(([key]) => /^\d+$/.test(key))
        .map(([, detail]) => detail as { symbolic: { correct: boolean }; legacy: { correct: boolean } });
      expect(details).toHaveLength(LIMIT);
      expect(details.every((detail) => detail.symbolic.correct && detail.legacy.correct)).toBe(true);
    }
    expect(run.stdout).toMatch(/math_prm800k_500 +11c4b5 +accuracy +gen +100\.00/);
  }, 120_000);

  it('scores equivalent rewrites as right and wrong answers as wrong; audit lists where the two judges disagree', async () => {
    mode = 'perturbed';
    const work = join(root, 'perturbed');
    const run = await runCli(['run', '--datasets', 'math_prm800k_500_gen', '--api-base', server.url, '--limit', String(LIMIT), '-w', work], {
      timeoutMs: 90_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const expected = rows.slice(0, LIMIT).map((row, index) => perturbed(index, row.answer).correct);
    const runDir = await onlyRunDir(work);
    const results = await readJson(join(runDir, 'results', MODEL, 'math_prm800k_500.json'));
    const details = rows
      .slice(0, LIMIT)
      .map((_, index) => results.details[String(index)] as { correct: boolean; symbolic: { correct: boolean }; legacy: { correct: boolean } });
    expect(details.map((detail) => detail.correct)).toEqual(expected);
    expect(results.accuracy).toBe(100 * (expected.filter(Boolean).length / LIMIT));

    const audit = await runCli(['audit', runDir, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    const report = JSON.parse(audit.stdout) as {
      formatVersion: number;
      datasets: Array<{
        dataset: string;
        rule: string;
        samples: number;
        extracted: number;
        judges?: { judges: string[]; judged: number; disagreements: Array<{ index: number }> };
      }>;
    };
    // A free-form answer is audited as text: extracted where the deciding judge found an answer (its `pred`).
    const found = rows.slice(0, LIMIT).filter((_, index) => {
      const pred = (results.details[String(index)] as { pred?: unknown }).pred;
      return typeof pred === 'string' && pred.trim() !== '';
    }).length;
    expect(report.formatVersion).toBe(2);
    expect(report.datasets.find((dataset) => dataset.dataset === 'math_prm800k_500')).toMatchObject({
      rule: 'non-empty text',
      samples: LIMIT,
      extracted: found,
    });
    const judges = report.datasets.find((dataset) => dataset.dataset === 'math_prm800k_500')?.judges;
    const disagreeing = details.flatMap((detail, index) => (detail.symbolic.correct !== detail.legacy.correct ? [index] : []));
    expect(judges?.judges).toEqual(['symbolic', 'legacy']);
    expect(judges?.judged).toBe(LIMIT);
    expect(judges?.disagreements.map((sample) => sample.index)).toEqual(disagreeing);
    // \fbox{…} answers: the legacy judge's remove_boxed only accepts \boxed{, so it falls back to the text.
    expect(disagreeing.length).toBeGreaterThan(0);
    const text = await runCli(['audit', runDir]);
    expect(text.stdout).toContain(`Samples where the judges (symbolic, legacy) disagree: ${disagreeing.length}`);
  }, 120_000);
});
