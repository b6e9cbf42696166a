// Choosing what to run, through the built CLI against the real-HTTP test server: one dataset by its abbr,
// `--subjects`, the user's own files (OpenCompass custom datasets) in gen mode (chat) and ppl mode (LMDeploy's
// /get_ppl on the toy model), a suite summarizer, and missing data for two benchmarks reported at once before
// any request. Every expected value is computed here from the data files and the toy model.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAITestServer, toyLogprob, toyTokenize, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { openCompassAccuracy, pythonFormat2, readCsv } from './ceval-reference.js';
import { DATA_DIR, onlyRunDir, readJson, runCli, summaryPathFromStdout } from './cli-harness.js';
import { readFile } from 'node:fs/promises';

const MODEL = 'sextant-selection';
let root: string;
let chat: OpenAITestServer;
let lmdeploy: OpenAITestServer;

const work = (label: string) => join(root, label);
const csvLines = async (stdout: string) => (await readFile(summaryPathFromStdout(stdout), 'utf8')).trimEnd().split('\n');

/**
 * Chat answers: "B" for C-Eval; "The answer is B." for multiple choice, except an option's text for the third custom
 * question (scored through the option texts stored with the sample); the capital of France for the open question.
 */
const chatAnswer = ({ prompt }: { prompt: string }) =>
  prompt.startsWith('Capital of France')
    ? 'Paris'
    : prompt.startsWith('Question: 776+')
      ? 'It is 5263'
      : prompt.includes('Question:')
        ? 'The answer is B.'
        : 'B';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sextant-selection-'));
  chat = await startOpenAITestServer({ modelName: MODEL, answer: chatAnswer });
  lmdeploy = await startOpenAITestServer({ modelName: MODEL, flavor: 'lmdeploy' });
});

afterAll(async () => {
  await Promise.all([chat?.close(), lmdeploy?.close()]);
  if (root) await rm(root, { recursive: true, force: true });
});

describe('selecting datasets', () => {
  it('runs one dataset of a config by its abbr (ceval-computer_network), with no group rows', async () => {
    const run = await runCli(['run', '--datasets', 'ceval-computer_network', '--api-base', chat.url, '--limit', '6', '-w', work('abbr')]);
    expect(run.code, run.stderr).toBe(0);
    const rows = (await readCsv(join(DATA_DIR, 'ceval', 'val', 'computer_network_val.csv'))).slice(0, 6);
    const correct = rows.filter((row) => row.answer === 'B').length;
    expect(await csvLines(run.stdout)).toEqual([
      `dataset,version,metric,mode,${MODEL}`,
      `ceval-computer_network,db9ce2,accuracy,gen,${pythonFormat2(openCompassAccuracy(correct, 6))}`,
    ]);
    const results = await readJson(join(await onlyRunDir(work('abbr')), 'results', MODEL, 'ceval-computer_network.json'));
    expect(results.accuracy).toBe(openCompassAccuracy(correct, 6));
    expect(results.details['0']).toMatchObject({
      predictions: 'B',
      references: rows[0]?.answer,
      pred: 'B',
      answer: rows[0]?.answer,
      correct: rows[0]?.answer === 'B',
    });
  });

  it('--subjects keeps only the named subjects of a config, in config order, in run, prompt and list', async () => {
    const run = await runCli([
      'run',
      '--datasets',
      'ceval_gen',
      '--subjects',
      'law,computer_network',
      '--api-base',
      chat.url,
      '--limit',
      '2',
      '-w',
      work('subjects'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = await csvLines(run.stdout);
    expect(lines.map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      'dataset,version,metric',
      'ceval-computer_network,db9ce2,accuracy',
      `ceval-law,${lines[2]?.split(',')[1]},accuracy`,
    ]);
    expect((await readdir(join(await onlyRunDir(work('subjects')), 'results', MODEL))).sort()).toEqual(['ceval-computer_network.json', 'ceval-law.json']);

    const prompt = await runCli(['prompt', '--datasets', 'ceval_gen', '--subjects', 'law', '--json']);
    expect(prompt.code, prompt.stderr).toBe(0);
    expect(JSON.parse(prompt.stdout).map((sample: { dataset: string }) => sample.dataset)).toEqual(['ceval-law']);

    const list = await runCli(['list', '--datasets', 'ceval_ppl', '--subjects', 'law']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ceval-law\s+ceval\s+[0-9a-f]{6}\s+ppl\s+ceval_ppl_578f8d$/m);

    const typo = await runCli(['run', '--datasets', 'ceval_gen', '--subjects', 'lawz', '--api-base', chat.url, '-w', work('typo')]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('--subjects "lawz" (did you mean "law"?) matches no dataset of ceval_gen_5f30c7');
  });

  it('`sextant list` shows each config with its benchmark, mode, dataset count and what it needs', async () => {
    const list = await runCli(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ceval_ppl_578f8d\s+C-Eval · ppl · 52 datasets · ppl: needs a backend with perplexity/m);
    expect(list.stdout).toMatch(/^ceval_gen\s+alias of ceval_gen_5f30c7$/m);
    expect(list.stdout).toMatch(/^chat_OC15\s+/m);
  });

  it('--summarizer chat_OC15 shows its rows: ceval naive_average computed, undefined benchmarks "-"', async () => {
    const run = await runCli(['run', '--datasets', 'ceval_gen', '--summarizer', 'chat_OC15', '--api-base', chat.url, '--limit', '1', '-w', work('oc15')]);
    expect(run.code, run.stderr).toBe(0);
    const lines = await csvLines(run.stdout);
    expect(lines[0]).toBe(`dataset,version,metric,mode,${MODEL}`);
    expect(lines).toHaveLength(1 + 18);
    // --limit 1: each subject's score is 100 when its first val question's answer is B, else 0.
    const subjects = (await readdir(join(DATA_DIR, 'ceval', 'val'))).filter((file) => file.endsWith('_val.csv'));
    let sum = 0;
    for (const file of subjects) sum += (await readCsv(join(DATA_DIR, 'ceval', 'val', file)))[0]?.answer === 'B' ? 100 : 0;
    const ceval = pythonFormat2(sum / subjects.length);
    expect(lines[4]).toBe(`ceval,-,naive_average,gen,${ceval}`);
    // `average` over its 17 [abbr, metric] pairs is OpenCompass's error row while any is missing (all but ceval here).
    expect(lines[1]).toBe('average,-,-,-,-');
    expect(lines[2]).toBe('mmlu,-,-,-,-');
    expect(lines[12]).toBe('gsm8k,-,-,-,-');
    // sextant's mean of the available pairs is in the md (labelled), never in OpenCompass's csv.
    expect(lines.some((line) => line.includes('available'))).toBe(false);
    const markdown = await readFile(summaryPathFromStdout(run.stdout).replace(/\.csv$/, '.md'), 'utf8');
    expect(markdown).toMatch(
      new RegExp(`^\\| average +\\| - +\\| naive_average of 1 of 17 available \\(sextant\\) +\\| gen +\\| ${ceval.replace('.', '\\.')} `, 'm'),
    );
  });
});

describe('custom datasets', () => {
  const mcq = [
    { question: '165+833+650+615=', A: '2258', B: '2263', C: '2281', answer: 'B' },
    { question: '368+959+918+653+978=', A: '3876', B: '3878', C: '3880', answer: 'A' },
    { question: '776+208+589+882+571+996+515+726=', A: '5213', B: '5263', C: '5383', answer: 'B' },
  ];
  let mcqPath: string;
  let qaPath: string;

  beforeAll(async () => {
    await mkdir(work('data'), { recursive: true });
    mcqPath = join(work('data'), 'arith.jsonl');
    qaPath = join(work('data'), 'capitals.csv');
    await writeFile(mcqPath, mcq.map((row) => JSON.stringify(row)).join('\n') + '\n');
    await writeFile(qaPath, 'question,answer\nCapital of France?,Paris\nCapital of Peru?,Lima\n');
  });

  it('gen: multiple choice scored by OptionSimAccEvaluator, open questions by exact match', async () => {
    const run = await runCli(['run', '--custom-dataset-path', mcqPath, qaPath, '--api-base', chat.url, '-w', work('custom-gen')]);
    expect(run.code, run.stderr).toBe(0);
    const runDir = await onlyRunDir(work('custom-gen'));
    const arith = await readJson(join(runDir, 'results', MODEL, 'arith.json'));
    // Every answer chooses B; two of the three golds are B.
    expect(arith.accuracy).toBe(openCompassAccuracy(2, 3));
    expect(arith.details['1']).toMatchObject({ pred: 'The answer is B.', parsed: 'B', refr: 'A', correct: false });
    // No letter in "It is 5263": option B's text is the one in the answer (the option texts come from the sample log).
    expect(arith.details['2']).toMatchObject({ pred: 'It is 5263', parsed: 'B', refr: 'B', correct: true });
    const capitals = await readJson(join(runDir, 'results', MODEL, 'capitals.json'));
    expect(capitals.accuracy).toBe(50);
    // The chat request: OpenCompass's custom mcq prompt, with the "Answer: " generation slot left to the model.
    const first = chat.requests.find((request) => request.body?.messages?.[0]?.content?.startsWith('Question: 165+833'));
    expect(first?.body.messages).toEqual([{ role: 'user', content: 'Question: 165+833+650+615=\nA. 2258\nB. 2263\nC. 2281' }]);
    const lines = await csvLines(run.stdout);
    expect(lines.slice(1).map((line) => line.replace(/,[0-9a-f]{6},/, ',VERSION,'))).toEqual([
      `arith,VERSION,accuracy,gen,${pythonFormat2(openCompassAccuracy(2, 3))}`,
      'capitals,VERSION,accuracy,gen,50.00',
    ]);
  });

  it('ppl (LMDeploy /get_ppl): the option whose "Answer: X" prompt has the lowest perplexity on the toy model', async () => {
    const run = await runCli([
      'run',
      '--custom-dataset-path',
      mcqPath,
      '--custom-dataset-infer-method',
      'ppl',
      '--model-type',
      'lmdeploy',
      '--api-base',
      lmdeploy.url,
      '-w',
      work('custom-ppl'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const runDir = await onlyRunDir(work('custom-ppl'));
    const predictions = await readJson(join(runDir, 'predictions', MODEL, 'arith.json'));
    const expected = mcq.map((row) => {
      const scores = ['A', 'B', 'C'].map((label) => {
        const text = `Question: ${row.question}\nA. ${row.A}\nB. ${row.B}\nC. ${row.C}\nAnswer: ${label}`;
        const tokens = toyTokenize(text);
        let loss = 0;
        for (let index = 1; index < tokens.length; index += 1) loss -= toyLogprob(tokens.slice(0, index), tokens[index] as number);
        return { label, ppl: loss / (tokens.length - 1) };
      });
      return scores.reduce((best, score) => (score.ppl < best.ppl ? score : best)).label;
    });
    expect(mcq.map((_, index) => predictions[String(index)].prediction)).toEqual(expected);
    const results = await readJson(join(runDir, 'results', MODEL, 'arith.json'));
    const correct = expected.filter((label, index) => label === mcq[index]?.answer).length;
    expect(results.accuracy).toBe(openCompassAccuracy(correct, 3));
    expect(results.details.type).toBe('PPL');
  });

  it('a malformed row names the file, line and field, and nothing is requested', async () => {
    const bad = join(work('data'), 'bad.jsonl');
    await writeFile(bad, '{"question": "x", "A": "1", "B": "2", "answer": "A"}\n\n{"question": "y", "A": "1", "answer": "A"}\n');
    const before = chat.requests.length;
    const run = await runCli(['run', '--custom-dataset-path', bad, '--api-base', chat.url, '-w', work('bad')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${bad}:3: field "B" is missing (mcq rows need question, A, B, answer)`);
    expect(chat.requests.slice(before).filter((request) => request.path !== '/v1/models')).toEqual([]);
  });
});

describe('missing data', () => {
  it('lists every benchmark whose files are missing in one message, before any request', async () => {
    const empty = join(root, 'empty-data');
    await mkdir(empty, { recursive: true });
    const before = chat.requests.length;
    const run = await runCli([
      'run',
      '--datasets',
      'ceval-law',
      '--custom-dataset-path',
      join(root, 'nowhere.jsonl'),
      '--data-dir',
      empty,
      '--api-base',
      chat.url,
      '-w',
      work('missing'),
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('data missing for 2 benchmarks; nothing was requested:');
    expect(run.stderr).toContain(`C-Eval (ceval): 2 files missing: ${join(empty, 'ceval/dev/law_dev.csv')}, ${join(empty, 'ceval/val/law_val.csv')}`);
    expect(run.stderr).toContain(`custom dataset (custom): 1 file missing: ${join(root, 'nowhere.jsonl')}`);
    expect(run.stderr).toContain(`data root: ${empty} (given by --data-dir)`);
    expect(run.stderr).toContain('Fetch it (sha256-checked) with: sextant data fetch ceval ');
    expect(chat.requests.length).toBe(before);
    await expect(readdir(work('missing'))).rejects.toThrow();
  });
});
