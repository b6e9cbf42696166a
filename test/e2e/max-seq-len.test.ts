// OpenCompass's `max_seq_len` truncation against a stand-in LMDeploy api_server (the test server's lmdeploy flavor:
// /v1/encode, /v1/completions and /get_ppl on the toy tokenizer, one token per code point plus BOS). The test
// computes, from the C-Eval CSVs and the toy tokenizer alone, which examples OpenCompass's GenInferencer and
// PPLInferencer keep for each question, and checks that sextant sends exactly those prompts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAITestServer, toyTokenize, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { baseText, humanPrompt, loadSubjects, type SubjectData, type Turn } from './ceval-reference.js';
import { CLI, DATA_DIR, REPO_ROOT, onlyRunDir, readJson, runCli, type CliResult } from './cli-harness.js';

const standInPython = join(REPO_ROOT, 'test', 'support', 'bin', 'hf-stand-in-python');

const MODEL = 'toy-lmdeploy';
const SUBJECT = 'computer_network';
let server: OpenAITestServer;
let data: SubjectData;
const tempDirs: string[] = [];

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  server = await startOpenAITestServer({ modelName: MODEL, flavor: 'lmdeploy' });
  data = (await loadSubjects(DATA_DIR)).find((entry) => entry.subject.key === SUBJECT) as SubjectData;
});

afterAll(async () => {
  await server?.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-e2e-seq-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** OpenCompass's `TurboMindAPIModel.get_token_len`: `/v1/encode` with BOS, here the toy tokenizer. */
const tokens = (text: string) => toyTokenize(text).length;

/** The ceval_gen_5f30c7 base-model string with the first `keep` dev rows as examples. */
function genText(valIndex: number, keep: number): string {
  const turns: Turn[] = data.dev.slice(0, keep).flatMap((row) => [
    { role: 'HUMAN' as const, prompt: humanPrompt(data.subject, row, false) },
    { role: 'BOT' as const, prompt: row.answer ?? '' },
  ]);
  turns.push({ role: 'HUMAN', prompt: humanPrompt(data.subject, data.val[valIndex] as never, true) });
  return baseText(turns);
}

/**
 * A ceval_ppl_578f8d candidate in a base-model render: each example "HUMAN\nGOLD", the label-keyed ice template's raw
 * `\n` separator items between them (joined by `\n`: "\n\n\n") and after the last one ("\n\n\n\n\n"), then the question
 * and the label.
 */
function pplText(valIndex: number, keep: number, label: string): string {
  const question = `${humanPrompt(data.subject, data.val[valIndex] as never, true)}\n${label}`;
  if (keep === 0) return question;
  const examples = data.dev.slice(0, keep).map((row) => `${humanPrompt(data.subject, row, false)}\n${row.answer}`);
  return `${examples.join('\n\n\n')}\n\n\n\n\n${question}`;
}

/** GenInferencer: drop the last example while the prompt is over budget. */
function genKeep(valIndex: number, maxSeqLen: number): number {
  let keep = 5;
  while (keep > 0 && tokens(genText(valIndex, keep)) > maxSeqLen) keep -= 1;
  return keep;
}

/** PPLInferencer: labels in order, the example list shortened in place (each label starts where the last stopped). */
function pplKeeps(valIndex: number, maxSeqLen: number): number[] {
  let keep = 5;
  return ['A', 'B', 'C', 'D'].map((label) => {
    while (keep > 0 && tokens(pplText(valIndex, keep, label)) > maxSeqLen) keep -= 1;
    return keep;
  });
}

/** A budget between the shortest and the longest 5-shot prompt, so some questions keep all examples and some lose a few. */
function budgetFor(lengths: number[]): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function expectCleanExit(result: CliResult): void {
  expect(result.stderr).not.toMatch(/unexpected error/);
  expect(result.code, result.stderr).toBe(0);
}

describe('maxSeqLen against a stand-in LMDeploy (/v1/encode)', () => {
  it('gen (ceval_gen): each question keeps the examples OpenCompass keeps, and the prompt sent is that prompt', async () => {
    const maxSeqLen = budgetFor(data.val.map((_, index) => tokens(genText(index, 5))));
    const expected = data.val.map((_, index) => genKeep(index, maxSeqLen));
    expect(expected.some((keep) => keep < 5)).toBe(true);
    expect(expected.some((keep) => keep === 5)).toBe(true);
    const work = await workDir('gen');
    const before = server.requests.length;
    const args = [
      'run',
      '--datasets',
      'ceval_gen',
      '--subjects',
      SUBJECT,
      '--model-type',
      'lmdeploy',
      '--api-base',
      server.url,
      '--model-name',
      MODEL,
      '--max-seq-len',
      String(maxSeqLen),
      '-w',
      work,
    ];
    const run = await runCli(args);
    expectCleanExit(run);
    const sent = server.requests
      .slice(before)
      .filter((request) => request.path === '/v1/completions')
      .map((request) => request.body.prompt as string);
    expect(sent.sort()).toEqual(data.val.map((_, index) => genText(index, expected[index] as number)).sort());
    const runDir = await onlyRunDir(work);
    const [abbr] = (await readdir(join(runDir, 'predictions'))) as [string];
    const predictions = await readJson(join(runDir, 'predictions', abbr, `ceval-${SUBJECT}.json`));
    data.val.forEach((_, index) => {
      expect(predictions[String(index)].examples_kept).toBe(expected[index]);
      expect(predictions[String(index)].origin_prompt).toBe(genText(index, expected[index] as number));
    });
    const log = (await readFile(join(runDir, 'samples', abbr, `ceval-${SUBJECT}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(log.map((record) => [record.index, record.examplesKept]).sort((a, b) => a[0] - b[0])).toEqual(expected.map((keep, index) => [index, keep]));

    // A resume counts nothing again: the counts are in the store.
    const encodes = server.requests.filter((request) => request.path === '/v1/encode').length;
    const again = await runCli([...args, '-r']);
    expectCleanExit(again);
    expect(server.requests.filter((request) => request.path === '/v1/encode').length).toBe(encodes);
  });

  it("gen on the HuggingFace worker (stand-in, --hf-type base): its tokenizer's counts drive the same truncation", async () => {
    // The stand-in worker counts a base model's text as one token per code point plus BOS: the toy tokenizer's count.
    const maxSeqLen = budgetFor(data.val.map((_, index) => tokens(genText(index, 5))));
    const expected = data.val.map((_, index) => genKeep(index, maxSeqLen));
    const work = await workDir('hf');
    const checkpoint = join(work, 'tiny-base');
    await mkdir(checkpoint);
    await writeFile(join(checkpoint, 'config.json'), '{"model_type": "llama"}');
    const log = join(work, 'worker.log');
    const args = ['run', '--datasets', 'ceval_gen', '--subjects', SUBJECT, '--hf-path', checkpoint, '--hf-type', 'base', '--max-seq-len', String(maxSeqLen)];
    const run = await runCli([...args, '--python', standInPython, '-w', join(work, 'out')], { env: { SEXTANT_HF_STANDIN_LOG: log } });
    expectCleanExit(run);
    expect(run.stdout + run.stderr).not.toMatch(/truncation is off/);
    const entries = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; size?: number });
    expect(entries.some((entry) => entry.type === 'tokenize')).toBe(true);
    const runDir = await onlyRunDir(join(work, 'out'));
    const predictions = await readJson(join(runDir, 'predictions', 'tiny-base_hf', `ceval-${SUBJECT}.json`));
    data.val.forEach((_, index) => {
      expect(predictions[String(index)].examples_kept).toBe(expected[index]);
      expect(predictions[String(index)].origin_prompt).toBe(genText(index, expected[index] as number));
    });
  });

  it('ppl (ceval_ppl, /get_ppl): each label keeps what PPLInferencer keeps, so candidates may differ in examples', async () => {
    const maxSeqLen = budgetFor(data.val.map((_, index) => tokens(pplText(index, 5, 'A'))));
    const expected = data.val.map((_, index) => pplKeeps(index, maxSeqLen));
    expect(expected.some((keeps) => keeps.some((keep) => keep < 5))).toBe(true);
    // The budget leaves every question at least one example (0 examples is a render this test does not model).
    expect(expected.every((keeps) => keeps.every((keep) => keep > 0))).toBe(true);
    const work = await workDir('ppl');
    const before = server.requests.length;
    const run = await runCli([
      'run',
      '--datasets',
      'ceval_ppl',
      '--subjects',
      SUBJECT,
      '--model-type',
      'lmdeploy',
      '--api-base',
      server.url,
      '--model-name',
      MODEL,
      '--max-seq-len',
      String(maxSeqLen),
      '-w',
      work,
    ]);
    expectCleanExit(run);
    const scored = server.requests
      .slice(before)
      .filter((request) => request.path === '/get_ppl')
      .map((request) => request.body.input as string);
    const wanted = data.val.flatMap((_, index) =>
      ['A', 'B', 'C', 'D'].map((label, labelIndex) => pplText(index, (expected[index] as number[])[labelIndex] as number, label)),
    );
    expect(scored.sort()).toEqual(wanted.sort());
    const runDir = await onlyRunDir(work);
    const [abbr] = (await readdir(join(runDir, 'samples'))) as [string];
    const log = (await readFile(join(runDir, 'samples', abbr, `ceval-${SUBJECT}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const record of log) {
      const keeps = expected[record.index] as number[];
      expect(record.examplesKeptPerLabel).toEqual(keeps);
      expect(record.examplesKept).toBe(keeps[3]);
      record.labels.forEach((entry: { prompt: string; label: string }, labelIndex: number) =>
        expect(entry.prompt).toBe(pplText(record.index, keeps[labelIndex] as number, entry.label)),
      );
    }
  });

  it('run --dry-run prints prompt tokens and truncations from the same counts, generating nothing; --estimate probes the server', async () => {
    const maxSeqLen = budgetFor(data.val.map((_, index) => tokens(genText(index, 5))));
    const keeps = data.val.map((_, index) => genKeep(index, maxSeqLen));
    const promptTokens = data.val.reduce((total, _, index) => total + tokens(genText(index, keeps[index] as number)), 0);
    const truncated = keeps.filter((keep) => keep < 5).length;
    const args = [
      'run',
      '--datasets',
      'ceval_gen',
      '--subjects',
      SUBJECT,
      '--model-type',
      'lmdeploy',
      '--api-base',
      server.url,
      '--model-name',
      MODEL,
      '--max-seq-len',
      String(maxSeqLen),
      '-w',
      await workDir('dry'),
    ];
    const before = server.requests.length;
    const plan = await runCli([...args, '--dry-run']);
    expectCleanExit(plan);
    expect(plan.stdout).toContain(`ceval-${SUBJECT}  ${data.val.length} samples  ${promptTokens} prompt tokens  ${truncated} truncated`);
    expect(plan.stdout).toContain(`total: ${promptTokens} prompt tokens, ${truncated} prompts over maxSeqLen ${maxSeqLen} lose in-context examples`);
    expect(server.requests.slice(before).filter((request) => request.path === '/v1/completions')).toHaveLength(0);

    const probeStart = server.requests.length;
    const estimated = await runCli([...args, '--dry-run', '--estimate']);
    expectCleanExit(estimated);
    const probes = Math.min(20, data.val.length);
    expect(server.requests.slice(probeStart).filter((request) => request.path === '/v1/completions')).toHaveLength(probes);
    expect(estimated.stdout).toMatch(new RegExp(`estimate: ${probes} requests at concurrency \\d+ took [0-9.]+ s; ${data.val.length} requests ≈ \\d+`));

    const misuse = await runCli([...args, '--estimate']);
    expect(misuse.code).not.toBe(0);
    expect(misuse.stderr).toContain('--estimate works with --dry-run');
  });

  it('a plain OpenAI-compatible model without tokenizerPath: one warning that truncation is off, prompts sent whole', async () => {
    const before = server.requests.length;
    const run = await runCli([
      'run',
      '--datasets',
      'ceval_gen',
      '--subjects',
      SUBJECT,
      '--limit',
      '2',
      '--api-base',
      `${server.url}/v1`,
      '--model-name',
      MODEL,
      '--max-seq-len',
      '50',
      '-w',
      await workDir('openai'),
    ]);
    expectCleanExit(run);
    expect(run.stderr.match(/cannot count tokens/g)).toHaveLength(1);
    expect(run.stderr).toContain('set tokenizerPath');
    const chats = server.requests.slice(before).filter((request) => request.path === '/v1/chat/completions');
    expect(chats.map((request) => request.body.messages.length)).toEqual([11, 11]);
  });
});
