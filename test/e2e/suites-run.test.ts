// End-to-end runs of CMMLU, MMLU and PIQA through the built CLI (dist/cli/main.js) against the in-process test
// server: chat and completion backends for the gen configs (HEAD and legacy), LMDeploy's PPL route for the ppl
// configs, `--limit 2` per dataset. Prompts, extracted answers, scores and group rows are computed here from the
// data and the OpenCompass reference (./suites-reference.ts), never from src/.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startOpenAITestServer,
  toyLogprob,
  toyTokenize,
  type AnswerInfo,
  type OpenAITestServer,
  type RecordedRequest,
} from '../support/openai-test-server.mjs';
import { pythonFormat2 } from './ceval-reference.js';
import { CLI, DATA_DIR, onlyRunDir, readJson, runCli, summaryPathFromStdout, type CliResult } from './cli-harness.js';
import {
  cmmluCot,
  cmmluFiveShot,
  cmmluLegacyText,
  cmmluPplText,
  cmmluSubjects,
  mmluLegacyQuestion,
  mmluLegacyText,
  mmluSimpleEvals,
  mmluTables,
  piqaGen,
  piqaPpl,
  readCmmlu,
  readMmlu,
  readPiqa,
  type CmmluSubject,
  type MmluTables,
} from './suites-reference.js';

const MODEL = 'sextant-suites';
const LIMIT = 2;

/** What the server answers, what is stored, and what OpenCompass's postprocessor extracts (worked out by hand). */
interface Plan {
  readonly answer: string;
  readonly extracted: string;
}
type Kind = 'cmmlu-cot' | 'mmlu-cot' | 'piqa' | 'cmmlu-legacy' | 'mmlu-legacy';

const forms: Readonly<Record<Kind, ReadonlyArray<(letter: string) => Plan>>> = {
  // (?i)答案\s*:\s*[\W]*([A-D])[\W]*, first match
  'cmmlu-cot': [
    (letter) => ({ answer: `让我们一步步思考。\n答案: ${letter}`, extracted: letter }),
    (letter) => ({ answer: `答案：${letter}`, extracted: '' }), // full-width colon
    (letter) => ({ answer: `答案: **${letter}**`, extracted: letter }),
    (letter) => ({ answer: `答案: ${letter.toLowerCase()}`, extracted: letter.toLowerCase() }),
    (letter) => ({ answer: `答案:选项${letter}`, extracted: '' }), // 选项 are Python word characters
  ],
  // (?i)ANSWER\s*:\s*([A-D])
  'mmlu-cot': [
    (letter) => ({ answer: `Reasoning.\nANSWER: ${letter}`, extracted: letter }),
    (letter) => ({ answer: `ANSWER: **${letter}**`, extracted: '' }),
    (letter) => ({ answer: `Answer: ${letter}`, extracted: letter }),
    (letter) => ({ answer: `The answer is ${letter}`, extracted: '' }),
  ],
  // first_option_postprocess(options='AB')
  piqa: [
    (letter) => ({ answer: letter, extracted: letter }),
    (letter) => ({ answer: `The answer is ${letter}.`, extracted: letter }),
    (letter) => ({ answer: `Answer: ${letter.toLowerCase()}`, extracted: 'A' }), // the cushion finds the A of "Answer"
  ],
  // first_capital_postprocess
  'cmmlu-legacy': [
    (letter) => ({ answer: letter, extracted: letter }),
    (letter) => ({ answer: `${letter}。因为……`, extracted: letter }),
    (letter) => ({ answer: `The answer is ${letter}`, extracted: 'T' }),
  ],
  // first_option_postprocess(options='ABCD')
  'mmlu-legacy': [
    (letter) => ({ answer: letter, extracted: letter }),
    (letter) => ({ answer: `The answer is (${letter}).`, extracted: letter }),
    (letter) => ({ answer: `I think ${letter} is right`, extracted: letter }), // entry 49 captures the space; the cushion finds the letter
    (letter) => ({ answer: `Answer: ${letter.toLowerCase()}`, extracted: 'A' }),
  ],
};

function plan(kind: Kind, prompt: string, gold: string): Plan {
  const hash = createHash('sha256').update(`${kind}\u0000${prompt}`, 'utf8').digest();
  const letters = kind === 'piqa' ? 'AB' : 'ABCD';
  const correct = (hash[0] as number) % 3 !== 0;
  const letter = correct ? gold : (letters[(letters.indexOf(gold) + 1 + ((hash[2] as number) % (letters.length - 1))) % letters.length] as string);
  const options = forms[kind];
  return (options[(hash[1] as number) % options.length] as (letter: string) => Plan)(letter);
}

interface ExpectedSample {
  readonly prompt: string;
  readonly gold: string | number;
  readonly plan?: Plan;
  readonly prediction: string;
  readonly extracted: string;
  /** PPL runs: the toy model's score of each label's candidate. */
  readonly ppl?: ReadonlyArray<{ label: string; text: string; ppl: number }>;
}
interface ExpectedDataset {
  readonly abbr: string;
  readonly version?: string;
  readonly samples: readonly ExpectedSample[];
  readonly accuracy: number;
}

const accuracyOf = (samples: readonly ExpectedSample[]) => (samples.filter((sample) => sample.extracted === String(sample.gold)).length / samples.length) * 100;

function genDataset(abbr: string, kind: Kind, items: ReadonlyArray<{ prompt: string; gold: string }>, version?: string): ExpectedDataset {
  const samples = items.map(({ prompt, gold }) => {
    const planned = plan(kind, prompt, gold);
    return { prompt, gold, plan: planned, prediction: planned.answer, extracted: planned.extracted };
  });
  return { abbr, ...(version ? { version } : {}), samples, accuracy: accuracyOf(samples) };
}

/** LMDeploy's /get_ppl on the toy model: mean negative log-probability over the L-1 predicted tokens (BOS first). */
function toyPpl(text: string): number {
  const ids = toyTokenize(text);
  let nll = 0;
  for (let index = 1; index < ids.length; index += 1) nll -= toyLogprob(ids.slice(0, index), ids[index] as number);
  return nll / (ids.length - 1);
}

function pplDataset(
  abbr: string,
  items: ReadonlyArray<{ candidates: ReadonlyArray<{ label: string; text: string }>; gold: string | number }>,
  version?: string,
): ExpectedDataset {
  const samples = items.map(({ candidates, gold }) => {
    const ppl = candidates.map((candidate) => ({ ...candidate, ppl: toyPpl(candidate.text) }));
    const best = ppl.reduce((lowest, candidate) => (candidate.ppl < lowest.ppl ? candidate : lowest));
    return { prompt: ppl[0]!.text, gold, prediction: best.label, extracted: best.label, ppl };
  });
  return { abbr, ...(version ? { version } : {}), samples, accuracy: accuracyOf(samples) };
}

// ---------------------------------------------------------------------------------------------------------------

let cmmlu: CmmluSubject[] = [];
let mmlu: MmluTables = { order: [], categories: [] };
const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];

interface Run {
  readonly server: OpenAITestServer;
  readonly result: CliResult;
  readonly runDir: string;
  readonly expected: readonly ExpectedDataset[];
  readonly unmatched: string[];
}

async function startRun(options: {
  args: (url: string, dir: string) => Promise<string[]>;
  expected: readonly ExpectedDataset[];
  flavor?: 'openai' | 'lmdeploy';
}): Promise<Run> {
  const byPrompt = new Map<string, Plan>();
  for (const dataset of options.expected) for (const sample of dataset.samples) if (sample.plan) byPrompt.set(sample.prompt, sample.plan);
  const unmatched: string[] = [];
  const server = await startOpenAITestServer({
    modelName: MODEL,
    ...(options.flavor ? { flavor: options.flavor } : {}),
    answer: (info: AnswerInfo) => {
      const found = byPrompt.get(info.prompt);
      if (!found) unmatched.push(info.prompt);
      return found?.answer ?? 'Z';
    },
  });
  servers.push(server);
  const dir = await mkdtemp(join(tmpdir(), 'sextant-e2e-suites-'));
  tempDirs.push(dir);
  const result = await runCli(await options.args(server.url, dir), { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`sextant exited ${result.code}:\n${result.stderr}`);
  return { server, result, runDir: await onlyRunDir(join(dir, 'work')), expected: options.expected, unmatched };
}

const isGeneration = (request: RecordedRequest) => request.path === '/v1/chat/completions' || request.path === '/v1/completions';

/** `legacy-chat`: the prompt is the last user message (the question's HUMAN turn after five example pairs). */
async function genExpectations(mode: 'head' | 'legacy' | 'legacy-chat'): Promise<ExpectedDataset[]> {
  const datasets: ExpectedDataset[] = [];
  for (const subject of cmmlu) {
    const test = (await readCmmlu(DATA_DIR, 'test', subject.key)).slice(0, LIMIT);
    const dev = mode === 'legacy' ? await readCmmlu(DATA_DIR, 'dev', subject.key) : [];
    const promptOf = (row: (typeof test)[number]) =>
      mode === 'head'
        ? cmmluCot(subject.chineseName, row)
        : mode === 'legacy'
          ? cmmluLegacyText(subject.chineseName, dev, row)
          : cmmluFiveShot(subject.chineseName, row);
    const items = test.map((row) => ({ prompt: promptOf(row), gold: row.answer as string }));
    const version = subject.key === 'agronomy' ? (mode === 'head' ? '1b5abe' : '4c7f2c') : undefined;
    datasets.push(genDataset(`cmmlu-${subject.key}`, mode === 'head' ? 'cmmlu-cot' : 'cmmlu-legacy', items, version));
  }
  for (const key of mmlu.order) {
    const test = (await readMmlu(DATA_DIR, 'test', key)).slice(0, LIMIT);
    const dev = mode === 'legacy' ? await readMmlu(DATA_DIR, 'dev', key) : [];
    const promptOf = (row: (typeof test)[number]) =>
      mode === 'head' ? mmluSimpleEvals(row) : mode === 'legacy' ? mmluLegacyText(key, dev, row) : mmluLegacyQuestion(key, row);
    const items = test.map((row) => ({ prompt: promptOf(row), gold: row.target as string }));
    const legacyVersions: Record<string, string> = { college_biology: 'caec7d', marketing: '7394e3' };
    datasets.push(genDataset(`lukaemon_mmlu_${key}`, mode === 'head' ? 'mmlu-cot' : 'mmlu-legacy', items, mode === 'head' ? 'bf6b83' : legacyVersions[key]));
  }
  if (mode === 'head') {
    const piqa = (await readPiqa(DATA_DIR)).slice(0, LIMIT);
    datasets.push(
      genDataset(
        'piqa',
        'piqa',
        piqa.map((row) => ({ prompt: piqaGen(row), gold: 'AB'[row.label] as string })),
        '1194eb',
      ),
    );
  }
  return datasets;
}

async function pplExpectations(): Promise<ExpectedDataset[]> {
  const datasets: ExpectedDataset[] = [];
  for (const subject of cmmlu) {
    const test = (await readCmmlu(DATA_DIR, 'test', subject.key)).slice(0, LIMIT);
    const dev = await readCmmlu(DATA_DIR, 'dev', subject.key);
    const items = test.map((row) => ({
      gold: row.answer as string,
      candidates: ['A', 'B', 'C', 'D'].map((label) => ({ label, text: cmmluPplText(subject.chineseName, dev, row, label) })),
    }));
    datasets.push(pplDataset(`cmmlu-${subject.key}`, items, subject.key === 'agronomy' ? '18e759' : undefined));
  }
  const piqa = (await readPiqa(DATA_DIR)).slice(0, LIMIT);
  datasets.push(
    pplDataset(
      'piqa',
      piqa.map((row) => ({ gold: row.label, candidates: ([0, 1] as const).map((label) => ({ label: String(label), text: piqaPpl(row, label) })) })),
      '1cf9f0',
    ),
  );
  return datasets;
}

/** The group rows OpenCompass's summarizer prints for these datasets, computed from the expected scores. */
function expectedGroupRows(expected: readonly ExpectedDataset[], mode: 'gen' | 'ppl'): string[] {
  const score = new Map(expected.map((dataset) => [dataset.abbr, dataset.accuracy]));
  const naive = (subsets: readonly string[]) => subsets.reduce((sum, abbr) => sum + (score.get(abbr) as number), 0) / subsets.length;
  const rows: string[] = [];
  const both = (name: string, value: number, second = 'naive_average') =>
    rows.push(`${name},-,accuracy,${mode},${pythonFormat2(value)}`, `${name},-,${second},${mode},${pythonFormat2(value)}`);
  if (score.has('cmmlu-agronomy')) {
    const abbrs = (filter: (subject: CmmluSubject) => boolean) => cmmlu.filter(filter).map((subject) => `cmmlu-${subject.key}`);
    for (const category of ['humanities', 'stem', 'social-science', 'other'])
      both(`cmmlu-${category}`, naive(abbrs((subject) => subject.category === category)));
    both('cmmlu-china-specific', naive(abbrs((subject) => subject.chinaSpecific)));
    both('cmmlu', naive(abbrs(() => true)));
  }
  if (score.has('lukaemon_mmlu_anatomy')) {
    const abbr = (key: string) => `lukaemon_mmlu_${key}`;
    for (const category of mmlu.categories) both(category.name, naive(category.subjects.map(abbr)));
    const all = mmlu.categories.flatMap((category) => category.subjects.map(abbr));
    both('mmlu', naive(all));
    return rows;
  }
  return rows;
}

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  cmmlu = await cmmluSubjects();
  mmlu = await mmluTables();
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

it('reads the reference tables the test relies on: 67 CMMLU subjects, 57 MMLU subjects in 4 categories', () => {
  expect(cmmlu).toHaveLength(67);
  expect(cmmlu.filter((subject) => subject.chinaSpecific)).toHaveLength(15);
  expect(mmlu.order).toHaveLength(57);
  expect(mmlu.categories.map((category) => [category.name, category.subjects.length])).toEqual([
    ['mmlu-humanities', 13],
    ['mmlu-stem', 19],
    ['mmlu-social-science', 12],
    ['mmlu-other', 13],
  ]);
});

async function testTestsizeWeights(): Promise<Map<string, number>> {
  const weights = new Map<string, number>();
  for (const key of mmlu.order) weights.set(`lukaemon_mmlu_${key}`, (await readMmlu(DATA_DIR, 'test', key)).length);
  return weights;
}

async function checkRun(run: Run, options: { mode: 'gen' | 'ppl'; endpoint?: string; promptOf?: (request: RecordedRequest) => string }): Promise<void> {
  expect(run.unmatched).toEqual([]);
  const totalSamples = run.expected.reduce((sum, dataset) => sum + dataset.samples.length, 0);
  if (options.mode === 'gen') {
    const generation = run.server.requests.filter(isGeneration);
    expect(generation).toHaveLength(totalSamples);
    expect(generation.every((request) => request.path === options.endpoint)).toBe(true);
    // Every expected prompt went out, exactly as rendered here.
    const sent = generation.map((request) => options.promptOf!(request)).sort();
    expect(sent).toEqual(run.expected.flatMap((dataset) => dataset.samples.map((sample) => sample.prompt)).sort());
  }
  for (const dataset of run.expected) {
    const predictions = await readJson<Record<string, any>>(join(run.runDir, 'predictions', MODEL, `${dataset.abbr}.json`));
    const results = await readJson<any>(join(run.runDir, 'results', MODEL, `${dataset.abbr}.json`));
    expect(Object.keys(predictions), dataset.abbr).toEqual(dataset.samples.map((_, index) => String(index)));
    dataset.samples.forEach((sample, index) => {
      const entry = predictions[String(index)];
      expect(entry.prediction, `${dataset.abbr} #${index}`).toBe(sample.prediction);
      expect(entry.gold, `${dataset.abbr} #${index}`).toBe(sample.gold);
      expect(results.details[String(index)].predictions, `${dataset.abbr} #${index}`).toBe(sample.extracted);
      expect(results.details[String(index)].correct).toBe(sample.extracted === String(sample.gold));
      for (const candidate of sample.ppl ?? []) {
        const label = entry[`label: ${candidate.label}`];
        expect(label.prompt, `${dataset.abbr} #${index} ${candidate.label}`).toBe(candidate.text);
        expect(label.PPL).toBeCloseTo(candidate.ppl, 12);
      }
    });
    expect(results.accuracy, dataset.abbr).toBe(dataset.accuracy);
  }
  const csv = (await readFile(summaryPathFromStdout(run.result.stdout), 'utf8')).trimEnd().split('\n');
  expect(csv[0]).toBe(`dataset,version,metric,mode,${MODEL}`);
  const datasetRows = csv.slice(1, 1 + run.expected.length);
  run.expected.forEach((dataset, index) => {
    const cells = (datasetRows[index] as string).split(',');
    expect(cells[0]).toBe(dataset.abbr);
    expect(cells[1]).toMatch(dataset.version ? new RegExp(`^${dataset.version}$`) : /^[0-9a-f]{6}$/);
    expect(cells.slice(2)).toEqual(['accuracy', options.mode, pythonFormat2(dataset.accuracy)]);
  });
  const groupRows = csv.slice(1 + run.expected.length);
  const wanted = expectedGroupRows(run.expected, options.mode);
  if (run.expected.some((dataset) => dataset.abbr === 'lukaemon_mmlu_anatomy')) {
    const weights = await testTestsizeWeights();
    const score = new Map(run.expected.map((dataset) => [dataset.abbr, dataset.accuracy]));
    let sum = 0;
    let total = 0;
    for (const [abbr, weight] of weights) {
      sum += (score.get(abbr) as number) * weight;
      total += weight;
    }
    expect(total).toBe(14042);
    wanted.push(
      `mmlu-weighted,-,accuracy,${options.mode},${pythonFormat2(sum / total)}`,
      `mmlu-weighted,-,weighted_average,${options.mode},${pythonFormat2(sum / total)}`,
    );
  }
  expect(groupRows).toEqual(wanted);
}

describe('chat backend: cmmlu_gen mmlu_gen piqa_gen --limit 2', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun({
      expected: await genExpectations('head'),
      args: async (url, dir) => [
        'run',
        '--datasets',
        'cmmlu_gen',
        'mmlu_gen',
        'piqa_gen',
        '--limit',
        String(LIMIT),
        '--api-base',
        `${url}/v1`,
        '-w',
        join(dir, 'work'),
      ],
    });
  }, 150_000);

  it('sends one user message per sample (the HUMAN text, no extra "\\n"), then scores, summarises and groups as computed here', async () => {
    const messagesOf = (request: RecordedRequest) => {
      const messages = request.body.messages as Array<{ role: string; content: string }>;
      expect(messages.map((message) => message.role)).toEqual(['user']);
      return messages[0]!.content;
    };
    await checkRun(run, { mode: 'gen', endpoint: '/v1/chat/completions', promptOf: messagesOf });
    expect(run.expected.filter((dataset) => dataset.accuracy > 0).length).toBeGreaterThan(20);
  });
});

describe('completion backend: cmmlu_gen mmlu_gen piqa_gen --limit 2', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun({
      expected: await genExpectations('head'),
      args: async (url, dir) => {
        const config = join(dir, 'sextant.config.json');
        await writeFile(config, JSON.stringify({ models: [{ type: 'openai', apiBase: `${url}/v1`, mode: 'completion' }] }));
        return [
          'run',
          config,
          '--datasets',
          'cmmlu_0shot_cot_gen_305931',
          'mmlu_openai_simple_evals_gen_b618ea',
          'piqa_gen_1194eb',
          '--limit',
          String(LIMIT),
          '-w',
          join(dir, 'work'),
        ];
      },
    });
  }, 150_000);

  it('sends the base-model text (the file names work as well as the short names)', async () => {
    await checkRun(run, { mode: 'gen', endpoint: '/v1/completions', promptOf: (request) => request.body.prompt as string });
  });
});

describe('completion backend, legacy 5-shot configs: cmmlu_gen_c13365 mmlu_gen_4d595a --limit 2', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun({
      expected: await genExpectations('legacy'),
      args: async (url, dir) => {
        const config = join(dir, 'sextant.config.json');
        await writeFile(config, JSON.stringify({ models: [{ type: 'openai', apiBase: `${url}/v1`, mode: 'completion' }] }));
        return ['run', config, '--datasets', 'cmmlu_gen_c13365', 'mmlu_gen_4d595a', '--limit', String(LIMIT), '-w', join(dir, 'work')];
      },
    });
  }, 150_000);

  it('sends five examples then the question as one text; first_capital / first_option extraction; groups', async () => {
    await checkRun(run, { mode: 'gen', endpoint: '/v1/completions', promptOf: (request) => request.body.prompt as string });
  });
});

describe('chat backend, legacy 5-shot configs: cmmlu_gen_c13365 mmlu_gen_4d595a --limit 2', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun({
      expected: await genExpectations('legacy-chat'),
      args: async (url, dir) => [
        'run',
        '--datasets',
        'cmmlu_gen_c13365',
        'mmlu_gen_4d595a',
        '--limit',
        String(LIMIT),
        '--api-base',
        `${url}/v1`,
        '-w',
        join(dir, 'work'),
      ],
    });
  }, 150_000);

  it('sends five user/assistant example pairs then the question; CMMLU\'s generating turn "答案是: " is not sent', async () => {
    const lastUser = (request: RecordedRequest) => {
      const messages = request.body.messages as Array<{ role: string; content: string }>;
      expect(messages.map((message) => message.role)).toEqual([...Array.from({ length: 5 }, () => ['user', 'assistant']).flat(), 'user']);
      const answers = messages.filter((message) => message.role === 'assistant').map((message) => message.content);
      for (const answer of answers) expect(answer).toMatch(/^(答案是: [ABCD]|[ABCD]\n)$/);
      return messages.at(-1)!.content;
    };
    await checkRun(run, { mode: 'gen', endpoint: '/v1/chat/completions', promptOf: lastUser });
  });
});

describe('LMDeploy PPL route: cmmlu_ppl piqa_ppl --limit 2', () => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun({
      flavor: 'lmdeploy',
      expected: await pplExpectations(),
      args: async (url, dir) => [
        'run',
        '--model-type',
        'lmdeploy',
        '--api-base',
        url,
        '--datasets',
        'cmmlu_ppl',
        'piqa_ppl',
        '--limit',
        String(LIMIT),
        '-w',
        join(dir, 'work'),
      ],
    });
  }, 150_000);

  it('scores every label candidate, predicts the lowest-PPL label (integer gold for PIQA), groups as computed here', async () => {
    expect(run.server.requests.filter(isGeneration)).toHaveLength(0);
    const scored = run.server.requests.filter((request) => request.path === '/get_ppl').map((request) => request.body.input as string);
    const candidates = run.expected.flatMap((dataset) => dataset.samples.flatMap((sample) => (sample.ppl ?? []).map((candidate) => candidate.text)));
    expect(new Set(scored)).toEqual(new Set(candidates));
    await checkRun(run, { mode: 'ppl' });
    const piqa = run.expected.find((dataset) => dataset.abbr === 'piqa')!;
    expect(piqa.samples.map((sample) => typeof sample.gold)).toEqual(['number', 'number']);
  });
});
