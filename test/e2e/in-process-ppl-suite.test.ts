// One `sextant run` of a PPL suite (cmmlu_ppl mmlu_ppl piqa_ppl ceval_ppl) through the built CLI on the shared GGUF
// model, in-process (llama.cpp, one thread), `--subjects` keeping two CMMLU and two MMLU subjects, PIQA and the eight
// subjects of `ceval-hard`, `--limit 2`. From the run's own files and the data read here, the test checks each
// candidate's prompt, that each prediction is the lowest-PPL label of the scores recorded for it, the accuracies,
// the summary csv's dataset rows and which groups appear (only complete ones) with their means.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUPS as CEVAL_GROUPS, SUBJECTS as CEVAL_SUBJECTS, pythonFormat2, readCsv } from './ceval-reference.js';
import { CLI, DATA_DIR, REPO_ROOT, onlyRunDir, readJson, runCli, summaryPathFromStdout, type CliResult } from './cli-harness.js';
import {
  cmmluFiveShot,
  cmmluGroups,
  cmmluPplText,
  cmmluSubjects,
  mmluGroups,
  mmluPplExamples,
  mmluPplTestingInput,
  mmluPplText,
  mmluTables,
  naiveGroupRows,
  piqaPpl,
  readCmmlu,
  readMmlu,
  readPiqa,
  type NaiveGroup,
} from './suites-reference.js';

const GGUF = resolve(REPO_ROOT, '..', 'shared', 'models', 'stories260K-gguf', 'stories260Ktok512.gguf');
const MODEL = 'stories260Ktok512-gguf';
const LIMIT = 2;
const CMMLU_KEYS = ['agronomy', 'anatomy'];
const MMLU_KEYS = ['anatomy', 'astronomy'];
const CEVAL_HARD = CEVAL_SUBJECTS.filter((subject) => subject.hard);

/** What the test knows of one dataset before the run: its candidates' texts (when it renders them) and golds. */
interface Planned {
  readonly abbr: string;
  readonly version?: string;
  readonly labels: readonly string[];
  readonly samples: ReadonlyArray<{
    readonly gold: string | number;
    /** Each label's whole prompt and OpenCompass's `testing input` (the prompt without its examples). */
    readonly texts?: readonly string[];
    readonly testingInputs?: readonly string[];
  }>;
  /** Whether the examples are a prefix of the prompt (then `in-context examples` is what precedes `testing input`). */
  readonly examplesFirst: boolean;
  /** Otherwise, OpenCompass's `in-context examples` of every sample. */
  readonly examples?: string;
}

async function plan(): Promise<{ datasets: Planned[]; groups: NaiveGroup[] }> {
  const cmmlu = await cmmluSubjects();
  const mmlu = await mmluTables();
  const datasets: Planned[] = [];
  // Config order within each config, configs in --datasets order.
  for (const subject of cmmlu.filter((entry) => CMMLU_KEYS.includes(entry.key))) {
    const dev = await readCmmlu(DATA_DIR, 'dev', subject.key);
    const test = (await readCmmlu(DATA_DIR, 'test', subject.key)).slice(0, LIMIT);
    datasets.push({
      abbr: `cmmlu-${subject.key}`,
      ...(subject.key === 'agronomy' ? { version: '18e759' } : {}),
      labels: ['A', 'B', 'C', 'D'],
      samples: test.map((row) => ({
        gold: row.answer as string,
        texts: ['A', 'B', 'C', 'D'].map((label) => cmmluPplText(subject.chineseName, dev, row, label)),
        testingInputs: ['A', 'B', 'C', 'D'].map((label) => `${cmmluFiveShot(subject.chineseName, row)}\n答案是: ${label}`),
      })),
      examplesFirst: true,
    });
  }
  for (const key of mmlu.order.filter((entry) => MMLU_KEYS.includes(entry))) {
    const dev = await readMmlu(DATA_DIR, 'dev', key);
    const test = (await readMmlu(DATA_DIR, 'test', key)).slice(0, LIMIT);
    datasets.push({
      abbr: `lukaemon_mmlu_${key}`,
      labels: ['A', 'B', 'C', 'D'],
      samples: test.map((row) => ({
        gold: row.target as string,
        texts: ['A', 'B', 'C', 'D'].map((label) => mmluPplText(key, dev, row, label)),
        testingInputs: ['A', 'B', 'C', 'D'].map((label) => mmluPplTestingInput(key, row, label)),
      })),
      // The hint comes before `</E>`: `in-context examples` is only the examples, not all that precedes the question.
      examplesFirst: false,
      examples: mmluPplExamples(dev),
    });
  }
  const piqa = (await readPiqa(DATA_DIR)).slice(0, LIMIT);
  datasets.push({
    abbr: 'piqa',
    version: '1cf9f0',
    labels: ['0', '1'],
    samples: piqa.map((row) => {
      const texts = ([0, 1] as const).map((label) => piqaPpl(row, label));
      return { gold: row.label, texts, testingInputs: texts };
    }),
    examplesFirst: true,
  });
  for (const subject of CEVAL_HARD) {
    const val = (await readCsv(join(DATA_DIR, 'ceval', 'val', `${subject.key}_val.csv`))).slice(0, LIMIT);
    datasets.push({
      abbr: `ceval-${subject.key}`,
      labels: ['A', 'B', 'C', 'D'],
      samples: val.map((row) => ({ gold: row.answer as string })),
      examplesFirst: true,
    });
  }
  const groups: NaiveGroup[] = [
    ...CEVAL_GROUPS.map((group) => ({ name: group.name, subsets: group.subsets.map((key) => `ceval-${key}`) })),
    ...cmmluGroups(cmmlu),
    ...mmluGroups(mmlu),
  ];
  return { datasets, groups };
}

let planned: { datasets: Planned[]; groups: NaiveGroup[] };
let result: CliResult;
let runDir: string;
const temporary: string[] = [];

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  planned = await plan();
  const workDir = await mkdtemp(join(tmpdir(), 'sextant-gguf-ppl-suite-'));
  temporary.push(workDir);
  const subjects = [
    ...CMMLU_KEYS.map((key) => `cmmlu-${key}`),
    ...MMLU_KEYS.map((key) => `lukaemon_mmlu_${key}`),
    'piqa',
    ...CEVAL_HARD.map((s) => `ceval-${s.key}`),
  ];
  result = await runCli(
    [
      'run',
      '--hf-path',
      GGUF,
      '--model-kwargs',
      'threads=1',
      '--datasets',
      'cmmlu_ppl',
      'mmlu_ppl',
      'piqa_ppl',
      'ceval_ppl',
      '--subjects',
      ...subjects,
      '--limit',
      String(LIMIT),
      '-w',
      workDir,
    ],
    { timeoutMs: 600_000 },
  );
  if (result.code !== 0) throw new Error(`sextant exited ${result.code}:\n${result.stderr}`);
  runDir = await onlyRunDir(workDir);
}, 660_000);

afterAll(async () => {
  await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** The run's predictions, checked against the plan; returns each dataset's accuracy computed here (× 100). */
async function checkPredictions(): Promise<Map<string, number>> {
  const accuracy = new Map<string, number>();
  for (const dataset of planned.datasets) {
    const predictions = await readJson<Record<string, any>>(join(runDir, 'predictions', MODEL, `${dataset.abbr}.json`));
    expect(Object.keys(predictions), dataset.abbr).toEqual(dataset.samples.map((_, index) => String(index)));
    let correct = 0;
    dataset.samples.forEach((sample, index) => {
      const where = `${dataset.abbr} #${index}`;
      const entry = predictions[String(index)];
      expect(Object.keys(entry), where).toEqual([
        'in-context examples',
        'origin_prompt',
        ...dataset.labels.map((label) => `label: ${label}`),
        'prediction',
        'gold',
      ]);
      const scores = dataset.labels.map((label) => entry[`label: ${label}`].PPL as number);
      for (const score of scores) expect(score, where).toBeGreaterThan(0);
      // argmin PPL, ties to the first label (2.5).
      const lowest = scores.reduce((best, score, position) => (score < (scores[best] as number) ? position : best), 0);
      expect(entry.prediction, where).toBe(dataset.labels[lowest]);
      expect(entry.gold, where).toBe(sample.gold);
      dataset.labels.forEach((label, position) => {
        const candidate = entry[`label: ${label}`];
        if (sample.texts) expect(candidate.prompt, `${where} ${label}`).toBe(sample.texts[position]);
        else expect(candidate.prompt.endsWith(`答案: \n${label}`), `${where} ${label}`).toBe(true);
        if (sample.testingInputs) expect(candidate['testing input'], `${where} ${label}`).toBe(sample.testingInputs[position]);
        // OpenCompass's `in-context examples` is the rendered examples; where they open the prompt, all before `testing input`.
        if (dataset.examplesFirst) expect(entry['in-context examples'] + candidate['testing input'], `${where} ${label}`).toBe(candidate.prompt);
        else expect(entry['in-context examples'], `${where}`).toBe(dataset.examples);
      });
      if (entry.prediction === String(sample.gold)) correct += 1;
    });
    accuracy.set(dataset.abbr, (correct / dataset.samples.length) * 100);
  }
  return accuracy;
}

describe(`sextant run --hf-path <gguf> --datasets cmmlu_ppl mmlu_ppl piqa_ppl ceval_ppl --subjects … --limit ${LIMIT}`, () => {
  it('renders mmlu_ppl candidates as the reference says (its test vector for abstract_algebra, label A)', async () => {
    const dev = await readMmlu(DATA_DIR, 'dev', 'abstract_algebra');
    const [row] = await readMmlu(DATA_DIR, 'test', 'abstract_algebra');
    const text = mmluPplText('abstract_algebra', dev, row!, 'A');
    expect([...text]).toHaveLength(996);
    expect(createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)).toBe('8e0e54f9c922c076');
  });

  it('predicts the lowest-PPL label of each sample, scores it, and summarises datasets and complete groups only', async () => {
    const accuracy = await checkPredictions();
    for (const dataset of planned.datasets) {
      const results = await readJson<any>(join(runDir, 'results', MODEL, `${dataset.abbr}.json`));
      expect(results.accuracy, dataset.abbr).toBe(accuracy.get(dataset.abbr));
      expect(results.details.type).toBe('PPL');
      const predictions = await readJson<Record<string, any>>(join(runDir, 'predictions', MODEL, `${dataset.abbr}.json`));
      dataset.samples.forEach((sample, index) => {
        const detail = results.details[String(index)];
        expect(detail.predictions).toBe(predictions[String(index)].prediction);
        expect(detail.references).toBe(sample.gold);
        expect(detail.correct).toBe(detail.predictions === String(sample.gold));
        expect(Object.keys(detail.origin_prediction)).toEqual(dataset.labels);
      });
    }
    // The PIQA gold is the label file's integer, compared with the label's name.
    expect(planned.datasets.find((dataset) => dataset.abbr === 'piqa')!.samples.map((sample) => typeof sample.gold)).toEqual(['number', 'number']);

    const csv = (await readFile(summaryPathFromStdout(result.stdout), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe(`dataset,version,metric,mode,${MODEL}`);
    const datasetRows = csv.slice(1, 1 + planned.datasets.length).map((line) => line.split(','));
    expect(datasetRows.map((cells) => cells[0])).toEqual(planned.datasets.map((dataset) => dataset.abbr));
    planned.datasets.forEach((dataset, index) => {
      const cells = datasetRows[index] as string[];
      expect(cells[1]).toMatch(dataset.version ? new RegExp(`^${dataset.version}$`) : /^[0-9a-f]{6}$/);
      expect(cells.slice(2)).toEqual(['accuracy', 'ppl', pythonFormat2(accuracy.get(dataset.abbr) as number)]);
    });
    // Only ceval-hard is complete: the cmmlu, mmlu (and mmlu-weighted) and ceval groups are left out, as
    // OpenCompass leaves out a group with missing subsets when the summarizer lists no rows.
    const groupRows = csv.slice(1 + planned.datasets.length);
    const wanted = naiveGroupRows({ groups: planned.groups, accuracy, mode: 'ppl', format: pythonFormat2 });
    expect(wanted.map((row) => row.split(',').slice(0, 3).join(','))).toEqual(['ceval-hard,-,accuracy', 'ceval-hard,-,naive_average']);
    expect(groupRows).toEqual(wanted);

    const [configFile] = await readdir(join(runDir, 'configs'));
    const config = JSON.parse(await readFile(join(runDir, 'configs', configFile as string), 'utf8'));
    expect(config.models[0].backendSettings).toMatchObject({ threads: 1 });
  });
});
