import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../prompts/index.js';
import type { DatasetTask, TaskSample } from '../../spec/index.js';
import { configFileSuffix } from '../opencompass-infer-config.js';
import { mmluBenchmark } from './mmlu-benchmark.js';
import { mmluSubjects } from './mmlu-subjects.js';
import { mmluLegacyGenInferConfig, mmluPplInferConfig, mmluSimpleEvalsGenInferConfig } from './mmlu-templates.js';

const dataRoot = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const sha16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
const baseText = (dialogue: TaskSample['dialogue']) => {
  const rendered = renderPrompt(dialogue, { kind: 'text' });
  return rendered.prompt.kind === 'text' ? rendered.prompt.text : '';
};

function config(name: string) {
  const found = mmluBenchmark.configs.find((candidate) => candidate.configName === name || candidate.aliases?.includes(name));
  if (!found) throw new Error(`no config ${name}`);
  return found;
}
function dataset(configName: string, abbr: string): DatasetTask {
  const found = config(configName)
    .datasets()
    .find((candidate) => candidate.abbr === abbr);
  if (!found) throw new Error(`no dataset ${abbr}`);
  return found;
}
async function firstSample(configName: string, abbr = 'lukaemon_mmlu_abstract_algebra'): Promise<TaskSample> {
  return (await dataset(configName, abbr).loadSamples({ dataRoot, limit: 1 }))[0] as TaskSample;
}

describe('MMLU configs', () => {
  it('short names and file names resolve to the same three configs', () => {
    expect(mmluBenchmark.configs.map((entry) => entry.configName)).toEqual(['mmlu_openai_simple_evals_gen_b618ea', 'mmlu_ppl_ac766d', 'mmlu_gen_4d595a']);
    expect(config('mmlu_gen').configName).toBe('mmlu_openai_simple_evals_gen_b618ea');
    expect(config('mmlu_ppl').configName).toBe('mmlu_ppl_ac766d');
  });

  it('57 datasets per config in config order, abbr lukaemon_mmlu_<subject>', () => {
    for (const entry of mmluBenchmark.configs) {
      const abbrs = entry.datasets().map((task) => task.abbr);
      expect(abbrs).toHaveLength(57);
      expect(abbrs.slice(0, 3)).toEqual(['lukaemon_mmlu_college_biology', 'lukaemon_mmlu_college_chemistry', 'lukaemon_mmlu_college_computer_science']);
      expect(abbrs.at(-1)).toBe('lukaemon_mmlu_conceptual_physics');
    }
  });

  it('versions and file suffixes equal the reference test vectors (2.9), including two published ones', () => {
    expect(
      new Set(
        config('mmlu_gen')
          .datasets()
          .map((task) => task.version),
      ),
    ).toEqual(new Set(['bf6b83']));
    expect(dataset('mmlu_ppl', 'lukaemon_mmlu_college_biology').version).toBe('0eddf6');
    expect(dataset('mmlu_gen_4d595a', 'lukaemon_mmlu_college_biology').version).toBe('caec7d');
    expect(dataset('mmlu_gen_4d595a', 'lukaemon_mmlu_marketing').version).toBe('7394e3');
    expect(configFileSuffix(mmluSubjects.map(() => mmluSimpleEvalsGenInferConfig()))).toBe('b618ea');
    expect(configFileSuffix(mmluSubjects.map((subject) => mmluPplInferConfig(subject.key)))).toBe('ac766d');
    expect(configFileSuffix(mmluSubjects.map((subject) => mmluLegacyGenInferConfig(subject.key)))).toBe('4d595a');
  });

  it('postprocessors and evaluators', () => {
    const describeTask = (task: DatasetTask) => [task.mode, task.requestKind, task.postprocessorName, task.evaluator.name];
    expect(describeTask(dataset('mmlu_gen', 'lukaemon_mmlu_anatomy'))).toEqual(['gen', 'generate', 'match_answer_pattern', 'AccEvaluator']);
    expect(describeTask(dataset('mmlu_ppl', 'lukaemon_mmlu_anatomy'))).toEqual(['ppl', 'perplexity', undefined, 'AccwithDetailsEvaluator']);
    expect(describeTask(dataset('mmlu_gen_4d595a', 'lukaemon_mmlu_anatomy'))).toEqual([
      'gen',
      'generate',
      'first_option_postprocess',
      'AccwithDetailsEvaluator',
    ]);
    expect(dataset('mmlu_ppl', 'lukaemon_mmlu_anatomy').dataFiles).toEqual(['mmlu/dev/anatomy_dev.csv', 'mmlu/test/anatomy_test.csv']);
  });
});

describe('MMLU samples from ../shared/data', () => {
  it('14,042 test rows, each subject its test count (the mmlu-weighted weights), gold A-D', async () => {
    let total = 0;
    for (const [index, task] of config('mmlu_gen').datasets().entries()) {
      const samples = await task.loadSamples({ dataRoot });
      expect(samples.length).toBe(mmluSubjects[index]!.testCount);
      for (const sample of samples) expect(sample.gold).toMatch(/^[ABCD]$/);
      total += samples.length;
    }
    expect(total).toBe(14042);
  });

  it.each([
    ['mmlu_gen', 319, '1ee0c61e8b3c12df'],
    ['mmlu_ppl', 996, '8e0e54f9c922c076'],
    ['mmlu_gen_4d595a', 1599, '99005a3c9b06da5c'],
  ])('%s / lukaemon_mmlu_abstract_algebra: base-model text of %i code points, sha256 %s (2.10)', async (configName, length, sha) => {
    const sample = await firstSample(configName);
    const text = baseText(sample.candidates?.[0]?.dialogue ?? sample.dialogue);
    expect([...text].length).toBe(length);
    expect(sha16(text)).toBe(sha);
  });

  it('mmlu_gen for chat models: one user message, the chat-template form with an extra "\\n"', async () => {
    const sample = await firstSample('mmlu_gen');
    const text = baseText(sample.dialogue);
    expect(
      text.startsWith("Answer the following multiple choice question. The last line of your response should be of the following format: 'ANSWER: $LETTER'"),
    ).toBe(true);
    expect(renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: text }],
    });
    expect(renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'chat-template' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: `${text}\n` }],
    });
  });

  it('mmlu_gen_4d595a: examples end "Answer: \\nX\\n" and the next starts after one more "\\n"; chat: pairs with BOT "X\\n"', async () => {
    const sample = await firstSample('mmlu_gen_4d595a');
    const text = baseText(sample.dialogue);
    expect(text).toMatch(/Answer: \n[ABCD]\n\nThere is a single choice question about abstract algebra\./);
    expect(text.endsWith('\nAnswer: ')).toBe(true);
    const api = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt;
    if (api.kind !== 'messages') throw new Error('expected messages');
    expect(api.messages).toHaveLength(11);
    expect(api.messages[1]?.content).toMatch(/^[ABCD]\n$/);
    expect(api.messages[10]?.role).toBe('user');
    expect(sample.examples?.count).toBe(5);
    expect(baseText(sample.examples!.render(0).dialogue)).toBe(baseText(sample.dialogue.slice(10)));
  });

  it('mmlu_ppl: hint with two spaces, five examples each ending in a blank line, candidates A-D', async () => {
    const sample = await firstSample('mmlu_ppl');
    const texts = sample.candidates!.map((candidate) => baseText(candidate.dialogue));
    expect(sample.candidates!.map((candidate) => candidate.label)).toEqual(['A', 'B', 'C', 'D']);
    texts.forEach((text, index) => expect(text).toBe(`${texts[0]!.slice(0, -1)}${'ABCD'[index]}`));
    expect(texts[0]!.startsWith('The following are multiple choice questions (with answers) about  abstract algebra.\n\n')).toBe(true);
    expect(texts[0]!.split(/\nAnswer: [ABCD]\n\n/)).toHaveLength(6);
    const bare = baseText(sample.candidates![0]!.withoutExamples);
    expect(bare.startsWith('The following are multiple choice questions (with answers) about  abstract algebra.\n\nFind the degree')).toBe(true);
    expect(texts[0]!.endsWith(bare.slice(bare.indexOf('Find the degree')))).toBe(true);
    // Truncated to 0 examples, the retriever's "\n" end token stays, as OpenCompass's does.
    expect(baseText(sample.examples!.render(0).dialogue)).toBe(bare.replace('\n\nFind', '\n\n\nFind'));
  });
});

describe('MMLU answer extraction and scoring', () => {
  // `(?i)ANSWER\s*:\s*([A-D])`, first match: the letter must follow the colon and whitespace directly.
  const table: ReadonlyArray<readonly [string, string]> = [
    ['ANSWER: B', 'B'],
    ['Step by step...\nANSWER: C', 'C'],
    ['Answer: c', 'c'], // (?i) lets a lower-case letter through, compared as is (wrong)
    ['answer:D', 'D'],
    ['ANSWER: **B**', ''],
    ['ANSWER: (A)', ''],
    ['ANSWER：B', ''], // full-width colon
    ['ANSWER:\n\tA', 'A'],
    ['The answer is B.\nANSWER: A\nANSWER: D', 'A'],
    ['ANSWER: E. ANSWER: B', 'B'],
    ['答案: B', ''],
  ];
  const task = () => dataset('mmlu_gen', 'lukaemon_mmlu_anatomy');

  it.each(table)('match_answer_pattern(%j) = %j', (prediction, expected) => expect(task().postprocess(prediction)).toBe(expected));

  it('AccEvaluator on a planted table', async () => {
    const golds = table.map((_, index) => 'BCAD'[index % 4]!);
    const predictions = table.map(([prediction]) => task().postprocess(prediction));
    const correct = table.filter(([, expected], index) => expected === golds[index]).length;
    const result = await task().evaluator.evaluate({
      predictions,
      references: golds,
      originPredictions: table.map(([prediction]) => prediction),
      evaluatorInputs: table.map(() => ({})),
      context: { signal: new AbortController().signal },
    });
    expect(correct).toBeGreaterThan(1);
    expect(result.metrics.accuracy).toBe(100 * (correct / table.length));
  });

  it('mmlu_gen_4d595a: first_option_postprocess(ABCD)', () => {
    const legacy = dataset('mmlu_gen_4d595a', 'lukaemon_mmlu_anatomy');
    expect(legacy.postprocess('B')).toBe('B');
    expect(legacy.postprocess('The answer is (C).')).toBe('C');
    // `(?i)ANSWER…` captures "d", which holds no option letter, so the search goes on; the last cushion pattern then
    // takes the first upper-case A-D anywhere: the "A" of "Answer", or nothing when there is none.
    expect(legacy.postprocess('Answer: d')).toBe('A');
    expect(legacy.postprocess('answer: d')).toBe('');
  });
});

describe('MMLU groups', () => {
  it('four categories, mmlu (all 57 in category order) and mmlu-weighted (test-set sizes, sum 14,042)', () => {
    const groups = mmluBenchmark.summaryGroups();
    expect(groups.map((group) => [group.name, group.average, group.subsets.length])).toEqual([
      ['mmlu-humanities', 'naive', 13],
      ['mmlu-stem', 'naive', 19],
      ['mmlu-social-science', 'naive', 12],
      ['mmlu-other', 'naive', 13],
      ['mmlu', 'naive', 57],
      ['mmlu-weighted', 'weighted', 57],
    ]);
    const [humanities, stem, social, other, all, weighted] = groups;
    expect(all!.subsets).toEqual([...humanities!.subsets, ...stem!.subsets, ...social!.subsets, ...other!.subsets]);
    expect(all!.subsets[0]).toBe('lukaemon_mmlu_formal_logic');
    expect(new Set(all!.subsets)).toEqual(
      new Set(
        config('mmlu_gen')
          .datasets()
          .map((task) => task.abbr),
      ),
    );
    expect(weighted!.subsets).toEqual(all!.subsets);
    const weights = weighted!.weights!;
    expect(Object.values(weights).reduce((sum, weight) => sum + weight, 0)).toBe(14042);
    expect(weights.lukaemon_mmlu_college_biology).toBe(144);
    expect(weights.lukaemon_mmlu_professional_law).toBe(1534);
  });
});

describe('MMLU bad rows', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sextant-mmlu-'));
    await mkdir(join(root, 'mmlu', 'test'), { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a row with 7 columns after a CRLF multi-line field names file and line', async () => {
    const path = join(root, 'mmlu', 'test', 'anatomy_test.csv');
    await writeFile(path, 'q1,a,b,c,d,A\r\n"multi\r\nline",a,b,c,d,B\r\nq3,a,b,c,d,e,C\r\n');
    await expect(dataset('mmlu_gen', 'lukaemon_mmlu_anatomy').loadSamples({ dataRoot: root })).rejects.toMatchObject({
      name: 'EVAL_DataError',
      message: `${path}:4: expected 6 columns (question,A,B,C,D,answer), found 7`,
    });
  });

  it('an answer outside A-D', async () => {
    await writeFile(join(root, 'mmlu', 'test', 'virology_test.csv'), 'q1,a,b,c,d,A\nq2,a,b,c,d,1\n');
    await expect(dataset('mmlu_gen', 'lukaemon_mmlu_virology').loadSamples({ dataRoot: root })).rejects.toThrow(
      /virology_test\.csv:2: field answer \(column 6\) must be one of A, B, C, D, found "1"/,
    );
  });

  it('CRLF inside a quoted field reaches the prompt as "\\n" (Python universal newlines)', async () => {
    await writeFile(join(root, 'mmlu', 'test', 'sociology_test.csv'), '"line1\r\nline2",a,b,c,d,A\r\n');
    const [sample] = await dataset('mmlu_gen', 'lukaemon_mmlu_sociology').loadSamples({ dataRoot: root });
    expect(baseText(sample!.dialogue)).toContain('\n\nline1\nline2\n\nA) a');
  });
});

describe('MMLU in-context examples', () => {
  it("no dev row holds a row-key placeholder, so examples rendered once per dataset equal OpenCompass's (which re-fills them with the scored row)", async () => {
    const { readFile } = await import('node:fs/promises');
    for (const subject of mmluSubjects) {
      const text = await readFile(join(dataRoot, 'mmlu', 'dev', `${subject.key}_dev.csv`), 'utf8');
      expect(text, subject.key).not.toMatch(/\{(input|A|B|C|D|target|subdivision|idx)\}/);
    }
  });
});
