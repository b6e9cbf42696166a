// End-to-end tests of the real `sextant` CLI (dist/cli/main.js, built beforehand with `npm run build`) against the
// in-process OpenAI-compatible test server, on the real C-Eval data in ../shared/data. Every expectation is computed
// here, independently of src/: the CSVs are parsed with csv-parse, prompts are rendered from the template in the
// OpenCompass reference, and the server answers from a policy this file controls, so the scores are known.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAITestServer, type AnswerInfo, type AnswerPolicy, type OpenAITestServer, type RecordedRequest } from '../support/openai-test-server.mjs';
import {
  GROUPS,
  SUBJECTS,
  baseText,
  chatMessages,
  genTurns,
  humanPrompt,
  loadSubjects,
  openCompassAccuracy,
  pythonFormat2,
  type Row,
  type SubjectData,
} from './ceval-reference.js';
import {
  CLI,
  DATA_DIR,
  closedPort,
  listFiles,
  onlyRunDir,
  readJson,
  runCli,
  startConnectionCounter,
  summaryPathFromStdout,
  type CliResult,
} from './cli-harness.js';

const MODEL = 'sextant-e2e';
const SECRET = 'sk-test-SECRET123';

// ---------------------------------------------------------------------------------------------------------------
// Shared state: the data (parsed here), temp dirs, servers.

let data: SubjectData[] = [];
/** Last user message of a val question → gold of its first occurrence (college_economics has one duplicated question). */
const goldByPrompt = new Map<string, string>();
const tempDirs: string[] = [];
const servers: OpenAITestServer[] = [];

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sextant-e2e-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function startServer(options: Parameters<typeof startOpenAITestServer>[0] = {}): Promise<OpenAITestServer> {
  const server = await startOpenAITestServer({ modelName: MODEL, ...options });
  servers.push(server);
  return server;
}

async function writeConfig(dir: string, config: unknown): Promise<string> {
  const path = join(dir, 'sextant.config.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

beforeAll(async () => {
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  });
  data = await loadSubjects(DATA_DIR);
  for (const { subject, val } of data) {
    for (const row of val) {
      const prompt = humanPrompt(subject, row, true);
      if (!goldByPrompt.has(prompt)) goldByPrompt.set(prompt, row.answer ?? '');
    }
  }
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function subjectData(key: string): SubjectData {
  const found = data.find((entry) => entry.subject.key === key);
  if (!found) throw new Error(`no data for ${key}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// The answer policy: deterministic per question (sha256 of the prompt), correct for about 3/4 of the questions,
// in varied forms. `extracted` is what OpenCompass's first_capital_postprocess yields, worked out by hand per form.

interface PlannedAnswer {
  /** What the server sends. */
  readonly answer: string;
  /** What the predictions file should hold (the answer with surrounding whitespace trimmed). */
  readonly stored: string;
  /** The first uppercase character of the answer. */
  readonly extracted: string;
}

const forms: ReadonlyArray<(letter: string) => PlannedAnswer> = [
  (letter) => ({ answer: letter, stored: letter, extracted: letter }),
  (letter) => ({ answer: `答案是${letter}。`, stored: `答案是${letter}。`, extracted: letter }),
  (letter) => ({ answer: `${letter}. 因为……`, stored: `${letter}. 因为……`, extracted: letter }),
  // Wrong by extraction: the first capital is the T of "The".
  (letter) => ({ answer: `The answer is ${letter}`, stored: `The answer is ${letter}`, extracted: 'T' }),
  (letter) => ({ answer: `正确答案是 ${letter}`, stored: `正确答案是 ${letter}`, extracted: letter }),
  // Whitespace around the answer is trimmed before it is stored.
  (letter) => ({ answer: `\n ${letter}\n`, stored: letter, extracted: letter }),
  // Wrong by extraction: no uppercase character at all.
  (letter) => ({ answer: `选${letter.toLowerCase()}`, stored: `选${letter.toLowerCase()}`, extracted: '' }),
];

function planAnswer(prompt: string, gold: string): PlannedAnswer {
  const hash = createHash('sha256').update(prompt, 'utf8').digest();
  const letters = 'ABCD';
  const correct = (hash[0] as number) % 4 !== 0;
  const letter = correct ? gold : (letters[(letters.indexOf(gold) + 1 + ((hash[2] as number) % 3)) % 4] as string);
  return (forms[(hash[1] as number) % forms.length] as (letter: string) => PlannedAnswer)(letter);
}

/** Answers val questions by plan; anything else is recorded as unmatched and answered 'Z'. */
function plannedPolicy(unmatched: string[]): AnswerPolicy {
  return (info: AnswerInfo) => {
    const gold = goldByPrompt.get(info.prompt);
    if (gold === undefined) {
      unmatched.push(info.prompt);
      return 'Z';
    }
    return planAnswer(info.prompt, gold).answer;
  };
}

interface ExpectedSample {
  readonly gold: string;
  readonly prompt: string;
  readonly plan: PlannedAnswer;
  readonly correct: boolean;
}

interface ExpectedSubject {
  readonly samples: readonly ExpectedSample[];
  readonly correct: number;
  /** OpenCompass's value: (correct / n) * 100. */
  readonly accuracy: number;
}

function expectSubject(entry: SubjectData, limit?: number): ExpectedSubject {
  const rows = limit === undefined ? entry.val : entry.val.slice(0, limit);
  const samples = rows.map((row: Row) => {
    const prompt = humanPrompt(entry.subject, row, true);
    const gold = row.answer ?? '';
    const plan = planAnswer(prompt, goldByPrompt.get(prompt) as string);
    return { gold, prompt, plan, correct: plan.extracted === gold };
  });
  const correct = samples.filter((sample) => sample.correct).length;
  return { samples, correct, accuracy: openCompassAccuracy(correct, samples.length) };
}

function isGeneration(request: RecordedRequest): boolean {
  return request.method === 'POST' && (request.path === '/v1/chat/completions' || request.path === '/v1/completions');
}

function lastUserContent(request: RecordedRequest): string | undefined {
  const messages = request.body?.messages as Array<{ role: string; content: unknown }> | undefined;
  const last = messages?.at(-1);
  return typeof last?.content === 'string' ? last.content : undefined;
}

function csvBody(text: string): string[] {
  return text.split('\n');
}

function expectCleanExit(result: CliResult): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

// ---------------------------------------------------------------------------------------------------------------
// 1, 2, 8: the full 52-subject val run.

describe('sextant run --datasets ceval_gen over the whole val split (52 subjects, 1,346 questions, chat)', () => {
  let server: OpenAITestServer;
  const unmatched: string[] = [];
  let workDir = '';
  let runDir = '';
  let run: CliResult;
  let expected = new Map<string, ExpectedSubject>();
  let originalSummaryCsv = '';

  beforeAll(async () => {
    server = await startServer({ answer: plannedPolicy(unmatched) });
    workDir = await tempDir('main');
    run = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', `${server.url}/v1`, '-w', workDir]);
    const reported = /finished in ([\d.]+) s/.exec(run.stderr)?.[1];
    console.log(
      `[e2e] full C-Eval val run (52 subjects, 1,346 questions, chat): wall time ${(run.wallMs / 1000).toFixed(2)} s ` +
        `from spawn to exit (CLI reports "finished in ${reported ?? '?'} s"; exit ${run.code}; ` +
        `${server.requests.filter(isGeneration).length} generation requests)`,
    );
    expected = new Map(data.map((entry) => [entry.subject.key, expectSubject(entry)]));
    runDir = await onlyRunDir(workDir);
    originalSummaryCsv = await readFile(summaryPathFromStdout(run.stdout), 'utf8');
  }, 60_000);

  it('reads the same data the test does: 52 subjects, 1,346 val questions, golds A-D', () => {
    expect(data).toHaveLength(52);
    for (const { subject, dev, val } of data) {
      expect(val, subject.key).toHaveLength(subject.valCount);
      expect(dev.length, subject.key).toBeGreaterThanOrEqual(5);
      for (const row of [...val, ...dev]) expect(row.answer, subject.key).toMatch(/^[ABCD]$/);
    }
    expect(data.reduce((total, entry) => total + entry.val.length, 0)).toBe(1346);
  });

  it('exits 0 after one generation request per question, each matching a val prompt rendered by the test', () => {
    expectCleanExit(run);
    const generation = server.requests.filter(isGeneration);
    expect(generation.every((request) => request.path === '/v1/chat/completions')).toBe(true);
    expect(generation).toHaveLength(1346);
    expect(unmatched).toEqual([]);
    // Each (subject, question) exactly once, apart from the duplicated college_economics question (same prompt twice).
    const prompts = generation.map((request) => lastUserContent(request));
    expect(new Set(prompts).size).toBe(goldByPrompt.size);
    expect(goldByPrompt.size).toBe(1345);
    expect(run.stdout).not.toMatch(/failed/);
  });

  it('writes predictions/<abbr>/<dataset>.json with keys "0".."N-1", 11-turn origin_prompt, prediction and gold', async () => {
    for (const entry of data) {
      const abbr = `ceval-${entry.subject.key}`;
      const predictions = await readJson<Record<string, any>>(join(runDir, 'predictions', MODEL, `${abbr}.json`));
      const subject = expected.get(entry.subject.key) as ExpectedSubject;
      expect(Object.keys(predictions), abbr).toEqual(entry.val.map((_, index) => String(index)));
      subject.samples.forEach((sample, index) => {
        const prediction = predictions[String(index)];
        expect(Object.keys(prediction).sort(), `${abbr} #${index}`).toEqual(['gold', 'origin_prompt', 'prediction']);
        expect(prediction.origin_prompt, `${abbr} #${index}`).toEqual(genTurns(entry, index));
        expect(prediction.origin_prompt.map((turn: { role: string }) => turn.role)).toEqual([
          'HUMAN',
          'BOT',
          'HUMAN',
          'BOT',
          'HUMAN',
          'BOT',
          'HUMAN',
          'BOT',
          'HUMAN',
          'BOT',
          'HUMAN',
        ]);
        expect(prediction.prediction, `${abbr} #${index}`).toBe(sample.plan.stored);
        expect(prediction.gold, `${abbr} #${index}`).toBe(sample.gold);
      });
      const sampleLog = (await readFile(join(runDir, 'samples', MODEL, `${abbr}.jsonl`), 'utf8')).trim().split('\n');
      expect(sampleLog, abbr).toHaveLength(entry.val.length);
    }
  });

  it("writes results/<abbr>/<dataset>.json whose accuracy and per-sample details match the test's scoring", async () => {
    for (const entry of data) {
      const abbr = `ceval-${entry.subject.key}`;
      const results = await readJson<any>(join(runDir, 'results', MODEL, `${abbr}.json`));
      const subject = expected.get(entry.subject.key) as ExpectedSubject;
      expect(results.accuracy, abbr).toBeCloseTo(subject.accuracy, 9);
      expect(results.failed, abbr).toBe(0);
      expect(results.details.type).toBe('GEN');
      subject.samples.forEach((sample, index) => {
        const detail = results.details[String(index)];
        expect(detail.predictions, `${abbr} #${index}`).toBe(sample.plan.extracted);
        expect(detail.references, `${abbr} #${index}`).toBe(sample.gold);
        expect(detail.origin_prediction, `${abbr} #${index}`).toBe(sample.plan.stored);
      });
    }
    // The plan really mixes right and wrong answers.
    const totalCorrect = [...expected.values()].reduce((total, subject) => total + subject.correct, 0);
    expect(totalCorrect).toBeGreaterThan(500);
    expect(totalCorrect).toBeLessThan(1100);
  });

  it('stores each accuracy bit-identical to OpenCompass: 100 * (correct / n), as AccEvaluator computes it', async () => {
    const mismatches: string[] = [];
    for (const entry of data) {
      const abbr = `ceval-${entry.subject.key}`;
      const results = await readJson<any>(join(runDir, 'results', MODEL, `${abbr}.json`));
      const subject = expected.get(entry.subject.key) as ExpectedSubject;
      if (results.accuracy !== subject.accuracy) {
        mismatches.push(`${abbr}: ${subject.correct}/${entry.val.length} stored ${results.accuracy}, OpenCompass ${subject.accuracy}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('writes a summary CSV with every subject row and the OpenCompass group rows, computed independently', async () => {
    const lines = csvBody(originalSummaryCsv);
    const accuracyOf = (key: string) => (expected.get(key) as ExpectedSubject).accuracy;
    const wanted: string[] = [`dataset,version,metric,mode,${MODEL}`];
    for (const subject of SUBJECTS) wanted.push(`ceval-${subject.key},VERSION,accuracy,gen,${pythonFormat2(accuracyOf(subject.key))}`);
    // Since OpenCompass 2025-03 a group shows the metric its subsets share (`accuracy`) and `naive_average`, same value.
    for (const group of GROUPS) {
      const naive = group.subsets.reduce((total, key) => total + accuracyOf(key), 0) / group.subsets.length;
      wanted.push(`${group.name},-,accuracy,gen,${pythonFormat2(naive)}`);
      wanted.push(`${group.name},-,naive_average,gen,${pythonFormat2(naive)}`);
    }
    // sextant's question-weighted row is kept out of OpenCompass's csv (it is in the .md, labelled, below).
    const questions = SUBJECTS.reduce((total, subject) => total + subject.valCount, 0);
    const weighted = SUBJECTS.reduce((total, subject) => total + accuracyOf(subject.key) * subject.valCount, 0) / questions;
    wanted.push('');
    // Versions: 6 hex digits; the ones the OpenCompass reference quotes must match exactly.
    const knownVersions: Record<string, string> = {
      'ceval-computer_network': 'db9ce2',
      'ceval-operating_system': '1c2571',
      'ceval-computer_architecture': 'a74dad',
    };
    const actual = lines.map((line) => {
      const cells = line.split(',');
      if (cells.length === 5 && cells[2] === 'accuracy' && cells[1] !== '-' && cells[0]?.startsWith('ceval-')) {
        const known = knownVersions[cells[0]];
        if (known !== undefined) expect(cells[1], cells[0]).toBe(known);
        else expect(cells[1], cells[0]).toMatch(/^[0-9a-f]{6}$/);
        return [cells[0], 'VERSION', ...cells.slice(2)].join(',');
      }
      return line;
    });
    expect(actual).toEqual(wanted);
    expect(lines).toContain(`ceval-computer_network,db9ce2,accuracy,gen,${pythonFormat2(accuracyOf('computer_network'))}`);
    // The other two summary files exist; the .txt carries the same table in its csv block.
    const base = summaryPathFromStdout(run.stdout).replace(/\.csv$/, '');
    const txt = await readFile(`${base}.txt`, 'utf8');
    const md = await readFile(`${base}.md`, 'utf8');
    expect(txt).toContain(originalSummaryCsv.trimEnd());
    expect(md.split('\n')[0]).toBe(`| dataset | version | metric | mode | ${MODEL} |`);
    // The .md shows each score with its 95% interval after it.
    expect(md).toContain(`| ceval-computer_network | db9ce2 | accuracy | gen | ${pythonFormat2(accuracyOf('computer_network'))} [`);
    expect(md).toContain(`| ceval | - | weighted_average (sextant) | gen | ${pythonFormat2(weighted)} [`);
    // The CLI prints the table too.
    expect(run.stdout).toContain('ceval-computer_network');
  });

  it('sends exactly the 11 messages built from dev rows 0-4 and val row 0 for ceval-computer_network #0', () => {
    const computerNetwork = subjectData('computer_network');
    const expectedMessages = chatMessages(genTurns(computerNetwork, 0));
    const last = expectedMessages.at(-1)?.content as string;
    const requests = server.requests.filter((request) => isGeneration(request) && lastUserContent(request) === last);
    expect(requests).toHaveLength(1);
    const body = (requests[0] as RecordedRequest).body;
    expect(body.messages).toEqual(expectedMessages);
    expect(body.messages).toHaveLength(11);
    expect(body.messages.map((message: { role: string }) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(body.messages[10].content.endsWith('答案: ')).toBe(true);
    expect(body.messages[10].content.endsWith('\n')).toBe(false);
    expect(body.messages[10].content.startsWith('以下是中国关于计算机网络考试的单项选择题，请选出其中的正确答案。\n')).toBe(true);
    expect(body.model).toBe(MODEL);
    expect(body.stream).toBe(false);
  });

  it('--mode eval -r re-scores and --mode viz -r re-summarises from stored files, with no model server', async () => {
    const stopped = await startConnectionCounter();
    try {
      const resultsPath = join(runDir, 'results', MODEL, 'ceval-computer_network.json');
      const before = await readJson(resultsPath);
      const writtenAt = (await stat(resultsPath)).mtimeMs;
      const apiBase = `http://127.0.0.1:${stopped.port}/v1`;
      const evaluated = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', apiBase, '-w', workDir, '--mode', 'eval', '-r']);
      expectCleanExit(evaluated);
      expect(await readFile(summaryPathFromStdout(evaluated.stdout), 'utf8')).toBe(originalSummaryCsv);
      // eval rewrote the results from the predictions (same content); viz only reads them.
      expect(await readJson(resultsPath)).toEqual(before);
      const rescoredAt = (await stat(resultsPath)).mtimeMs;
      expect(rescoredAt).toBeGreaterThan(writtenAt);
      const visualised = await runCli(['run', '--datasets', 'ceval_gen', '--api-base', apiBase, '-w', workDir, '--mode', 'viz', '-r']);
      expectCleanExit(visualised);
      expect(await readFile(summaryPathFromStdout(visualised.stdout), 'utf8')).toBe(originalSummaryCsv);
      expect((await stat(resultsPath)).mtimeMs).toBe(rescoredAt);
      expect(stopped.connections).toBe(0);
      // Still the one run folder: -r reused it.
      expect(await onlyRunDir(workDir)).toBe(runDir);
    } finally {
      await stopped.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Completion mode.

describe('openai model with mode: completion', () => {
  it('sends the base-model string (turns joined by "\\n", ending in "答案: ") to /v1/completions', async () => {
    const server = await startServer();
    const dir = await tempDir('completion');
    const config = await writeConfig(dir, { models: [{ type: 'openai', apiBase: `${server.url}/v1`, mode: 'completion' }] });
    const result = await runCli(['run', config, '--datasets', 'ceval_gen', '--limit', '2', '-w', join(dir, 'work')]);
    expectCleanExit(result);
    const generation = server.requests.filter(isGeneration);
    expect(generation.every((request) => request.path === '/v1/completions')).toBe(true);
    expect(generation).toHaveLength(104);
    const wanted = data.flatMap((entry) => [0, 1].map((index) => baseText(genTurns(entry, index))));
    expect(new Set(generation.map((request) => request.body.prompt))).toEqual(new Set(wanted));

    const computerNetwork = subjectData('computer_network');
    const turns = genTurns(computerNetwork, 0);
    const prompt = baseText(turns);
    expect(prompt.split('\n答案: \n')).toHaveLength(6); // five "答案: \n<gold>" joints: HUMAN1, 'A', HUMAN2, ...
    expect(prompt.endsWith('\n答案: ')).toBe(true);
    expect(prompt).toBe(
      [turns[0], turns[1], turns[2], turns[3], turns[4], turns[5], turns[6], turns[7], turns[8], turns[9], turns[10]].map((turn) => turn?.prompt).join('\n'),
    );
    expect(turns[1]?.prompt).toBe(computerNetwork.dev[0]?.answer);
    expect(generation.filter((request) => request.body.prompt === prompt)).toHaveLength(1);
    const runDir = await onlyRunDir(join(dir, 'work'));
    const predictions = await readJson<Record<string, any>>(join(runDir, 'predictions', MODEL, 'ceval-computer_network.json'));
    expect(predictions['0'].origin_prompt).toBe(prompt);
    expect(Object.keys(predictions)).toEqual(['0', '1']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Streaming.

describe('stream: true', () => {
  it('gives the same predictions and results as a non-streaming run', async () => {
    const unmatched: string[] = [];
    const streamingServer = await startServer({ answer: plannedPolicy(unmatched), streamChunkChars: 2 });
    const plainServer = await startServer({ answer: plannedPolicy(unmatched) });
    const dir = await tempDir('stream');
    const config = await writeConfig(dir, { models: [{ type: 'openai', apiBase: `${streamingServer.url}/v1`, stream: true }] });
    const [streamed, plain] = await Promise.all([
      runCli(['run', config, '--datasets', 'ceval_gen', '--limit', '3', '-w', join(dir, 'streamed')]),
      runCli(['run', '--datasets', 'ceval_gen', '--api-base', `${plainServer.url}/v1`, '--limit', '3', '-w', join(dir, 'plain')]),
    ]);
    expectCleanExit(streamed);
    expectCleanExit(plain);
    expect(unmatched).toEqual([]);
    const streamedBodies = streamingServer.requests.filter(isGeneration).map((request) => request.body);
    const plainBodies = plainServer.requests.filter(isGeneration).map((request) => request.body);
    expect(streamedBodies).toHaveLength(156);
    expect(plainBodies).toHaveLength(156);
    expect(streamedBodies.every((body) => body.stream === true)).toBe(true);
    expect(plainBodies.every((body) => body.stream === false)).toBe(true);

    const streamedRun = await onlyRunDir(join(dir, 'streamed'));
    const plainRun = await onlyRunDir(join(dir, 'plain'));
    for (const entry of data) {
      const abbr = `ceval-${entry.subject.key}`;
      const streamedPredictions = await readJson(join(streamedRun, 'predictions', MODEL, `${abbr}.json`));
      expect(streamedPredictions, abbr).toEqual(await readJson(join(plainRun, 'predictions', MODEL, `${abbr}.json`)));
      expect(await readJson(join(streamedRun, 'results', MODEL, `${abbr}.json`)), abbr).toEqual(
        await readJson(join(plainRun, 'results', MODEL, `${abbr}.json`)),
      );
      const planned = expectSubject(entry, 3).samples.map((sample) => sample.plan.stored);
      expect(
        Object.values(streamedPredictions as Record<string, { prediction: string }>).map((p) => p.prediction),
        abbr,
      ).toEqual(planned);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Failed samples and resume.

describe('failed samples and -r', () => {
  it('records samples that fail after retries, scores them wrong, and requests only those again on -r', async () => {
    const broken = subjectData('computer_network');
    const marker = `以下是中国关于${broken.subject.chineseName}考试`;
    const isBrokenPrompt = (content: string | undefined) => content?.startsWith(marker) === true;
    let failing = true;
    const unmatched: string[] = [];
    const server = await startServer({
      answer: plannedPolicy(unmatched),
      fault: (info) => {
        if (!failing || info.endpoint !== 'chat') return undefined;
        const last = (info.body?.messages as Array<{ content?: unknown }> | undefined)?.at(-1)?.content;
        return typeof last === 'string' && isBrokenPrompt(last) ? { kind: 'status', status: 500, message: 'injected failure' } : undefined;
      },
    });
    const dir = await tempDir('resume');
    const config = await writeConfig(dir, { models: [{ type: 'openai', apiBase: `${server.url}/v1`, retry: 1 }] });
    const workDir = join(dir, 'work');
    const args = ['run', config, '--datasets', 'ceval_gen', '--limit', '2', '-w', workDir];

    // First run: the two computer_network samples fail (1 try + 1 retry each), the run still completes.
    const first = await runCli(args);
    expectCleanExit(first);
    expect(first.stdout).toMatch(new RegExp(`${MODEL}: 2 sample\\(s\\) failed`));
    const brokenRequests = server.requests.filter((request) => isGeneration(request) && isBrokenPrompt(lastUserContent(request)));
    expect(brokenRequests).toHaveLength(4);
    expect(server.requests.filter(isGeneration)).toHaveLength(104 + 2);
    const runDir = await onlyRunDir(workDir);
    const failedPredictions = await readJson<Record<string, any>>(join(runDir, 'predictions', MODEL, 'ceval-computer_network.json'));
    expect(Object.keys(failedPredictions)).toEqual(['0', '1']);
    for (const key of ['0', '1']) {
      expect(failedPredictions[key].error).toMatch(/500/);
      expect(failedPredictions[key].prediction).toBe('');
      expect(failedPredictions[key].gold).toBe(broken.val[Number(key)]?.answer);
    }
    const failedResults = await readJson<any>(join(runDir, 'results', MODEL, 'ceval-computer_network.json'));
    expect(failedResults.failed).toBe(2);
    expect(failedResults.accuracy).toBe(0);
    expect((await readFile(summaryPathFromStdout(first.stdout), 'utf8')).split('\n')).toContain('ceval-computer_network,db9ce2,accuracy,gen,0.00');
    const otherResults = await readJson<any>(join(runDir, 'results', MODEL, 'ceval-operating_system.json'));
    expect(otherResults.failed).toBe(0);

    // The server is fixed; -r requests the two failed samples and nothing else.
    failing = false;
    server.requests.length = 0;
    const resumed = await runCli([...args, '-r']);
    expectCleanExit(resumed);
    expect(resumed.stdout).not.toMatch(/failed/);
    const again = server.requests.filter(isGeneration);
    expect(again).toHaveLength(2);
    expect(new Set(again.map(lastUserContent))).toEqual(new Set([0, 1].map((index) => humanPrompt(broken.subject, broken.val[index] as Row, true))));
    expect(await onlyRunDir(workDir)).toBe(runDir);

    // A clean run gives the same files.
    const cleanWork = join(dir, 'clean');
    const clean = await runCli(['run', config, '--datasets', 'ceval_gen', '--limit', '2', '-w', cleanWork]);
    expectCleanExit(clean);
    const cleanRun = await onlyRunDir(cleanWork);
    for (const entry of data) {
      const abbr = `ceval-${entry.subject.key}`;
      for (const folder of ['predictions', 'results']) {
        expect(await readJson(join(runDir, folder, MODEL, `${abbr}.json`)), `${folder} ${abbr}`).toEqual(
          await readJson(join(cleanRun, folder, MODEL, `${abbr}.json`)),
        );
      }
    }
    expect(await readFile(summaryPathFromStdout(resumed.stdout), 'utf8')).toBe(await readFile(summaryPathFromStdout(clean.stdout), 'utf8'));
    const resumedResults = await readJson<any>(join(runDir, 'results', MODEL, 'ceval-computer_network.json'));
    expect(resumedResults.failed).toBe(0);
    expect(resumedResults.accuracy).toBeCloseTo(expectSubject(broken, 2).accuracy, 9);
    expect(unmatched).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 6. Bad input.

describe('bad input', () => {
  it('fails with a non-zero exit code and a clear message, before sending any generation request', async () => {
    const server = await startServer();
    const dir = await tempDir('bad');
    const apiBase = `${server.url}/v1`;
    const badConfig = await writeConfig(dir, { models: [{ type: 'openai', apiBase: 'not a url' }] });
    const deadPort = await closedPort();
    const deadBase = `http://127.0.0.1:${deadPort}/v1`;
    const work = (name: string) => join(dir, name);
    const [unknownDataset, badApiBase, unreachable, missingData, unknownFlag, ppl] = await Promise.all([
      runCli(['run', '--datasets', 'ceval_gne', '--api-base', apiBase, '-w', work('a')]),
      runCli(['run', badConfig, '--datasets', 'ceval_gen', '-w', work('b')]),
      runCli(['run', '--datasets', 'ceval_gen', '--api-base', deadBase, '--limit', '1', '-w', work('c')], { timeoutMs: 20_000 }),
      runCli(['run', '--datasets', 'ceval_gen', '--api-base', apiBase, '-w', work('d')], { env: { SEXTANT_DATA_DIR: '/nonexistent' } }),
      runCli(['run', '--datasets', 'ceval_gen', '--api-bse', apiBase, '-w', work('e')]),
      runCli(['run', '--datasets', 'ceval_ppl', '--api-base', apiBase, '-w', work('f')]),
    ]);
    const all = { unknownDataset, badApiBase, unreachable, missingData, unknownFlag, ppl };
    for (const [name, result] of Object.entries(all)) {
      expect(result.code, name).not.toBe(0);
      expect(result.code, name).not.toBeNull();
      expect(result.stderr, name).not.toMatch(/unexpected error|\n\s+at /);
    }
    expect(unknownDataset.stderr).toContain('ceval_gne');
    expect(unknownDataset.stderr).toMatch(/did you mean[^\n]*ceval_gen/);
    expect(badApiBase.stderr).toContain('models[0].apiBase');
    expect(unreachable.wallMs).toBeLessThan(10_000);
    expect(unreachable.stderr).toContain(deadBase);
    expect(missingData.stderr).toContain('/nonexistent');
    expect(unknownFlag.stderr).toContain('--api-bse');
    expect(unknownFlag.stderr).toMatch(/did you mean --api-base\b/);
    expect(ppl.stderr).toMatch(/\bopenai\b/);
    expect(ppl.stderr).toMatch(/ceval/);
    expect(server.requests.filter(isGeneration)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 7. Secrets.

describe('API key', () => {
  it('is sent to the server but written to no file and printed nowhere', async () => {
    const server = await startServer({ apiKey: SECRET });
    const dir = await tempDir('secret');
    const apiBase = `${server.url}/v1`;
    const wrongKey = 'sk-test-WRONG999';
    const [ok, refused] = await Promise.all([
      runCli(['run', '--datasets', 'ceval_gen', '--api-base', apiBase, '--api-key', SECRET, '--limit', '1', '-w', join(dir, 'work')]),
      runCli(['run', '--datasets', 'ceval_gen', '--api-base', apiBase, '--api-key', wrongKey, '--limit', '1', '-w', join(dir, 'refused')]),
    ]);
    expectCleanExit(ok);
    const authorised = server.requests.filter((request) => request.headers.authorization === `Bearer ${SECRET}`);
    expect(authorised.filter(isGeneration)).toHaveLength(52);
    const files = await listFiles(join(dir, 'work'));
    expect(files.length).toBeGreaterThan(52 * 3);
    expect(files.some((file) => file.includes('/configs/'))).toBe(true);
    for (const file of files) {
      const content = await readFile(file);
      expect(content.includes(SECRET), file).toBe(false);
    }
    expect(ok.stdout).not.toContain(SECRET);
    expect(ok.stderr).not.toContain(SECRET);
    // A rejected key fails the run without echoing the key either.
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401/);
    expect(refused.stderr + refused.stdout).not.toContain(wrongKey);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 9. list and prompt.

describe('sextant list and sextant prompt', () => {
  it('list shows ceval_gen and ceval_ppl; prompt renders the messages of computer_network #0', async () => {
    const [list, prompt] = await Promise.all([runCli(['list']), runCli(['prompt', '--datasets', 'ceval_gen', '-n', '1'])]);
    expectCleanExit(list);
    expect(list.stdout).toMatch(/^ceval_gen\s/m);
    expect(list.stdout).toMatch(/^ceval_ppl\s/m);
    expectCleanExit(prompt);
    expect(prompt.stdout).toContain('以下是中国关于计算机网络考试');
    const computerNetwork = subjectData('computer_network');
    const header = `==== ceval-computer_network #0 (gold ${computerNetwork.val[0]?.answer}) ====\n`;
    const start = prompt.stdout.indexOf(header);
    expect(start).toBeGreaterThanOrEqual(0);
    const end = prompt.stdout.indexOf('\n====', start + header.length);
    const block = prompt.stdout.slice(start + header.length, end + 1);
    const wanted = chatMessages(genTurns(computerNetwork, 0))
      .map((message) => `--- ${message.role} ---\n${message.content}\n`)
      .join('');
    expect(block).toBe(wanted);
    expect(prompt.stdout.match(/^==== ceval-/gm)).toHaveLength(52);
  });
});
