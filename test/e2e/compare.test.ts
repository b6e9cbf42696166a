// End-to-end tests of `sextant compare` and `sextant audit` (dist/cli/main.js, built beforehand) on real runs: the
// CLI runs ceval_gen --limit 5 against the in-process test server under answer policies this file controls, so every
// discordant pair and extraction failure is known here, independently of src/. (One check does use the library: the CLI
// shares the bootstraps with a worker thread, and must give exactly the library's single-thread result.)
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/api/compare-runs.js';
import { startOpenAITestServer, type AnswerPolicy, type OpenAITestServer } from '../support/openai-test-server.mjs';
import { humanPrompt, loadSubjects } from './ceval-reference.js';
import { CLI, DATA_DIR, onlyRunDir, readJson, runCli, type CliResult } from './cli-harness.js';

const MODEL = 'sextant-e2e';
const LIMIT = 5;

/** Last user message of each scored question (val rows 0-4 of every subject) → its gold letter. */
const goldByPrompt = new Map<string, string>();
/** `ceval-<subject>` → the prompts of its scored rows, by index. */
const promptsByDataset = new Map<string, string[]>();
const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];

type Form = 'gold' | 'the-answer-is-gold' | 'wrong';

/** Policy "worse": by sha256 of the prompt, half the answers right, a quarter wrong by extraction, a quarter wrong. */
function worseForm(prompt: string): Form {
  const byte = createHash('sha256').update(`worse:${prompt}`, 'utf8').digest()[0] as number;
  return byte % 4 < 2 ? 'gold' : byte % 4 === 2 ? 'the-answer-is-gold' : 'wrong';
}

function wrongLetter(gold: string): string {
  return 'ABCD'[('ABCD'.indexOf(gold) + 1) % 4] as string;
}

const goldPolicy: AnswerPolicy = (info) => goldByPrompt.get(info.prompt) ?? 'Z';
const worsePolicy: AnswerPolicy = (info) => {
  const gold = goldByPrompt.get(info.prompt) ?? 'A';
  const form = worseForm(info.prompt);
  return form === 'gold' ? gold : form === 'the-answer-is-gold' ? `The answer is ${gold}` : wrongLetter(gold);
};

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-e2e-compare-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function startServer(answer: AnswerPolicy): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: MODEL, answer });
  servers.push(server);
  return server;
}

function expectCleanExit(result: CliResult, code = 0): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(code);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

/** One run of ceval_gen --limit 5 against a server answering by `answer`; returns the run folder. */
async function runOnce(label: string, answer: AnswerPolicy): Promise<string> {
  const server = await startServer(answer);
  const workDir = await tempDir(label);
  const result = await runCli(['run', '--datasets', 'ceval_gen', '--limit', String(LIMIT), '--api-base', `${server.url}/v1`, '-w', workDir]);
  expectCleanExit(result);
  return onlyRunDir(workDir);
}

let runA = '';
let runB = '';
let runSame = '';
/** What policy "worse" does with each (dataset, index). */
const worseByDataset = new Map<string, Form[]>();

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  for (const { subject, val } of await loadSubjects(DATA_DIR)) {
    const prompts = val.slice(0, LIMIT).map((row) => humanPrompt(subject, row, true));
    prompts.forEach((prompt, index) => goldByPrompt.set(prompt, val[index]?.answer ?? ''));
    promptsByDataset.set(`ceval-${subject.key}`, prompts);
    worseByDataset.set(`ceval-${subject.key}`, prompts.map(worseForm));
  }
  [runA, runB, runSame] = await Promise.all([runOnce('a', goldPolicy), runOnce('b', worsePolicy), runOnce('same', goldPolicy)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const allForms = () => [...worseByDataset.values()].flat();

describe('sextant compare A B', () => {
  it('prints the table, writes compare.md and compare.json, and lists every discordant sample', async () => {
    const out = await tempDir('out');
    const result = await runCli(['compare', runA, runB, '--out', out]);
    expectCleanExit(result);
    const wrongInB = allForms().filter((form) => form !== 'gold').length;
    expect(wrongInB).toBeGreaterThan(60);

    expect(result.stdout).toContain('Same prompts, templates, generation parameters and prompt versions: a deployment check.');
    expect(result.stdout).toContain(
      `Paired ${52 * LIMIT} samples in 52 dataset(s) by (dataset, index, prompt); unpaired: 0 only in A, 0 only in B; excluded: 0 samples (prompt version differs), 0 pairs (rendered prompt differs).`,
    );
    expect(result.stdout).toMatch(/^dataset\s+n\s+A\s+B\s+B−A\s+95% CI\s+b\s+c\s+p\s+p \(Holm\)\s+verdict\s+A own \(n\)\s+B own \(n\)$/m);
    // Five questions per subject can never reach significance (p ≥ 0.0625): "not enough data"; the groups can.
    expect(result.stdout).toMatch(/^ceval-computer_network\s+5\s+100\.00\s/m);
    expect(result.stdout).toMatch(
      /^ceval\s+naive_average\s+52\s+260\s+100\.00\s+\d+\.\d\d\s+-\d+\.\d\d\s+\[-\d+\.\d\d, -\d+\.\d\d\]\s+\d+\s+0\s+<0\.0001\s+B is lower by \d+\.\d points/m,
    );
    expect(result.stdout).toContain(`Discordant samples: ${wrongInB} (A right, B wrong: ${wrongInB}; B right, A wrong: 0)`);
    expect(result.stdout).toContain(`compare.md: ${join(out, 'compare.md')}`);

    const comparison = await readJson(join(out, 'compare.json'));
    expect(comparison.formatVersion).toBe(2);
    expect(comparison.a).toMatchObject({ label: 'A', run: runA, model: MODEL, backend: 'openai' });
    expect(comparison.b).toMatchObject({ label: 'B', run: runB, model: MODEL });
    expect(comparison.measurementChanges).toEqual([]);
    expect(comparison.datasets).toHaveLength(52);
    for (const row of comparison.datasets) {
      const forms = worseByDataset.get(row.dataset) as Form[];
      const wrong = forms.filter((form) => form !== 'gold').length;
      expect(row, row.dataset).toMatchObject({ samples: LIMIT, accuracyA: 100, accuracyB: (100 * (LIMIT - wrong)) / LIMIT, b: wrong, c: 0 });
      expect(row.difference, row.dataset).toBeCloseTo(-(100 * wrong) / LIMIT, 9);
      expect(row.verdict.text, row.dataset).toBe('not enough data (5 paired; a verdict needs ≥ 6)');
      expect(row).toMatchObject({ intervalMethod: 'newcombe', testMethod: 'mcnemar-exact', excluded: 0, fullA: { samples: LIMIT, accuracy: 100 } });
    }
    const discordant = comparison.discordant.map((sample: any) => `${sample.dataset}#${sample.index}:${sample.correct}`);
    const expected = [...worseByDataset].flatMap(([dataset, forms]) => forms.flatMap((form, index) => (form === 'gold' ? [] : [`${dataset}#${index}:A`])));
    expect(discordant.sort()).toEqual(expected.sort());
    const theAnswerIs = comparison.discordant.find((sample: any) => sample.b.raw.startsWith('The answer is'));
    expect(theAnswerIs?.b.extracted).toBe('T');
    const groups = comparison.groups.map((group: any) => `${group.group}/${group.metric}`);
    expect(groups).toEqual([
      'ceval-stem/naive_average',
      'ceval-social-science/naive_average',
      'ceval-humanities/naive_average',
      'ceval-other/naive_average',
      'ceval-hard/naive_average',
      'ceval/naive_average',
      'ceval/weighted_average',
    ]);
    for (const group of comparison.groups) {
      expect(group.upper, group.group).toBeLessThan(0);
      expect(group.verdict.direction).toBe('lower');
    }
    expect(comparison.agreement).toMatchObject({ paired: 260, extracted: 260 - wrongInB, promptsDiffer: 0 });

    // The library gives the CLI's JSON exactly.
    expect(JSON.parse(JSON.stringify(await compareRuns({ a: runA, b: runB })))).toEqual(comparison);

    const markdown = await readFile(join(out, 'compare.md'), 'utf8');
    expect(markdown.startsWith('# sextant compare\n')).toBe(true);
    expect(markdown).toContain(`## Discordant samples (${wrongInB})`);
    expect(markdown).toContain('| ceval-computer_network | 5 | 100.00 |');
  });

  it('--fail-if-worse 1 exits 3 naming the groups when B is clearly worse, and 0 when B equals A', async () => {
    const [worse, same] = await Promise.all([
      runCli(['compare', runA, runB, '--fail-if-worse', '1']),
      runCli(['compare', runA, runSame, '--fail-if-worse', '1']),
    ]);
    expectCleanExit(worse, 3);
    expect(worse.stderr).toMatch(
      /^sextant compare: B is significantly worse than A by more than 1 points \(whole interval\) in: .*ceval-stem \(naive_average\) -\d+\.\d\d/m,
    );
    expect(worse.stderr).toContain('ceval (weighted_average)');
    expect(worse.stdout).toContain('Gate --fail-if-worse 1: FAILED');

    expectCleanExit(same, 0);
    expect(same.stdout).toContain('Gate --fail-if-worse 1: passed');
    expect(same.stdout).toContain('Discordant samples: none.');
    expect(same.stdout).toContain('extracted answers agree on 260/260 (100.00%), raw outputs on 260/260 (100.00%)');
    expect(same.stdout).not.toMatch(/B is (lower|higher) by/);
  });

  it('--json prints the comparison as JSON', async () => {
    const result = await runCli(['compare', runA, runSame, '--json']);
    expectCleanExit(result);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.pairing).toMatchObject({ paired: 260, onlyInA: 0, onlyInB: 0 });
    // No discordant pair: a difference of exactly 0, yet an interval that says five questions cannot prove equality.
    expect(comparison.datasets.every((row: any) => row.difference === 0 && row.lower < -10 && row.upper > 10)).toBe(true);
  });

  it('exits 2 with a message naming the path when an argument is not a run folder', async () => {
    const empty = await tempDir('empty');
    const result = await runCli(['compare', runA, empty]);
    expectCleanExit(result, 2);
    expect(result.stderr).toContain(`sextant compare: B: ${empty} is not a sextant run folder`);
  });
});

describe('sextant compare RUN --models a b', () => {
  it('compares two models of one run and reports that their settings differ', async () => {
    const [gold, worse] = await Promise.all([startServer(goldPolicy), startServer(worsePolicy)]);
    const dir = await tempDir('two-models');
    const config = join(dir, 'sextant.config.json');
    await writeFile(
      config,
      JSON.stringify({
        models: [
          { type: 'openai', abbr: 'reference', apiBase: `${gold.url}/v1` },
          { type: 'openai', abbr: 'candidate', apiBase: `${worse.url}/v1`, stopWords: ['\n\n'] },
        ],
      }),
    );
    const workDir = join(dir, 'work');
    expectCleanExit(await runCli(['run', config, '--datasets', 'ceval_gen', '--limit', '2', '-w', workDir]));
    const run = await onlyRunDir(workDir);
    const result = await runCli(['compare', run, '--models', 'reference', 'candidate', '--json']);
    expectCleanExit(result);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.a.model).toBe('reference');
    expect(comparison.b.model).toBe('candidate');
    expect(comparison.pairing.paired).toBe(104);
    expect(comparison.measurementChanges).toEqual(['generation: generation.stopWords differs (A [], B ["\\n\\n"])']);
    expect(comparison.agreement.requestsDiffered.settings.map((setting: any) => setting.field)).toEqual(['generation.stopWords']);
    const wrong = [...worseByDataset.values()].flatMap((forms) => forms.slice(0, 2)).filter((form) => form !== 'gold').length;
    expect(comparison.discordant).toHaveLength(wrong);

    const missing = await runCli(['compare', run, '--models', 'reference']);
    expectCleanExit(missing, 2);
    expect(missing.stderr).toMatch(/one run needs two different model abbrs \(models in .*: reference, candidate\)/);
  });
});

describe('sextant audit', () => {
  it('reports the extraction rate, the unextracted samples and where first_option disagrees', async () => {
    const result = await runCli(['audit', runB, '--extractor', 'first_option_postprocess', '--json']);
    expectCleanExit(result);
    const audit = JSON.parse(result.stdout);
    expect(audit).toMatchObject({ formatVersion: 2, run: runB, model: MODEL, validOptions: 'ABCD', extractor: 'first_option_postprocess' });
    const unextractable = allForms().filter((form) => form === 'the-answer-is-gold').length;
    expect(unextractable).toBeGreaterThan(20);
    expect(audit.totals).toEqual({
      samples: 260,
      extracted: 260 - unextractable,
      rate: (100 * (260 - unextractable)) / 260,
      second: { extracted: 260, rate: 100, disagreements: unextractable },
    });
    for (const dataset of audit.datasets) {
      const forms = worseByDataset.get(dataset.dataset) as Form[];
      const indexes = forms.flatMap((form, index) => (form === 'the-answer-is-gold' ? [index] : []));
      expect(
        dataset.unextracted.map((sample: any) => sample.index),
        dataset.dataset,
      ).toEqual(indexes);
      expect(
        dataset.second.disagreements.map((sample: any) => [sample.index, sample.primary, sample.secondary === sample.gold]),
        dataset.dataset,
      ).toEqual(indexes.map((index) => [index, 'T', true]));
      expect(dataset.unextracted.every((sample: any) => sample.extracted === 'T' && sample.raw === `The answer is ${sample.gold}`)).toBe(true);
    }

    const text = await runCli(['audit', runB, '--extractor', 'first_option']);
    expectCleanExit(text);
    expect(text.stdout).toContain(`Total: ${260 - unextractable}/260 extracted`);
    expect(text.stdout).toContain(`Unextracted samples: ${unextractable}`);
    expect(text.stdout).toContain(`Samples where the extractors disagree: ${unextractable}`);
  });
});
