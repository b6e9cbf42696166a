import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../prompts/index.js';
import type { DatasetTask, TaskSample } from '../../spec/index.js';
import { configFileSuffix, datasetVersion } from '../opencompass-infer-config.js';
import { cmmluBenchmark } from './cmmlu-benchmark.js';
import { cmmluSubjects } from './cmmlu-subjects.js';
import { cmmluCotGenInferConfig, cmmluLegacyGenInferConfig, cmmluPplInferConfig } from './cmmlu-templates.js';

const dataRoot = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const sha16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
const codePoints = (text: string) => [...text].length;
const baseText = (sample: TaskSample) => {
  const rendered = renderPrompt(sample.candidates?.[0]?.dialogue ?? sample.dialogue, { kind: 'text' });
  return rendered.prompt.kind === 'text' ? rendered.prompt.text : '';
};

function config(name: string) {
  const found = cmmluBenchmark.configs.find((candidate) => candidate.configName === name || candidate.aliases?.includes(name));
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
async function sampleAt(configName: string, abbr: string, row: number): Promise<TaskSample> {
  const samples = await dataset(configName, abbr).loadSamples({ dataRoot, limit: row + 1 });
  return samples[row] as TaskSample;
}

describe('CMMLU configs', () => {
  it('short names and file names resolve to the same three configs', () => {
    expect(cmmluBenchmark.configs.map((entry) => entry.configName)).toEqual(['cmmlu_0shot_cot_gen_305931', 'cmmlu_ppl_8b9c76', 'cmmlu_gen_c13365']);
    expect(config('cmmlu_gen').configName).toBe('cmmlu_0shot_cot_gen_305931');
    expect(config('cmmlu_ppl').configName).toBe('cmmlu_ppl_8b9c76');
    expect(cmmluBenchmark.configs.map((entry) => entry.mode)).toEqual(['gen', 'ppl', 'gen']);
  });

  it('67 datasets per config in Appendix C order, abbr cmmlu-<subject>', () => {
    for (const entry of cmmluBenchmark.configs) {
      const datasets = entry.datasets();
      expect(datasets).toHaveLength(67);
      expect(datasets[0]?.abbr).toBe('cmmlu-agronomy');
      expect(datasets[66]?.abbr).toBe('cmmlu-world_religions');
      expect(datasets.map((task) => task.abbr)).toEqual(cmmluSubjects.map((subject) => `cmmlu-${subject.key}`));
    }
    expect(cmmluSubjects.map((subject) => subject.chineseName).slice(0, 3)).toEqual(['农学', '解剖学', '古汉语']);
  });

  it('versions and file suffixes equal the reference test vectors (2.9)', () => {
    expect(dataset('cmmlu_gen', 'cmmlu-agronomy').version).toBe('1b5abe');
    expect(dataset('cmmlu_ppl', 'cmmlu-agronomy').version).toBe('18e759');
    expect(dataset('cmmlu_gen_c13365', 'cmmlu-agronomy').version).toBe('4c7f2c');
    expect(configFileSuffix(cmmluSubjects.map((subject) => cmmluCotGenInferConfig(subject.chineseName)))).toBe('305931');
    expect(configFileSuffix(cmmluSubjects.map((subject) => cmmluPplInferConfig(subject.chineseName)))).toBe('8b9c76');
    expect(configFileSuffix(cmmluSubjects.map((subject) => cmmluLegacyGenInferConfig(subject.chineseName)))).toBe('c13365');
    // Every dataset's version is its own infer config's.
    config('cmmlu_gen')
      .datasets()
      .forEach((task, index) => {
        expect(task.version).toBe(datasetVersion(cmmluCotGenInferConfig(cmmluSubjects[index]!.chineseName)));
      });
  });

  it('modes, request kinds, postprocessors, evaluators and data files', () => {
    const gen = dataset('cmmlu_gen', 'cmmlu-agronomy');
    expect([gen.mode, gen.requestKind, gen.postprocessorName, gen.evaluator.name, gen.maxOutLen]).toEqual([
      'gen',
      'generate',
      'match_answer_pattern',
      'AccEvaluator',
      undefined,
    ]);
    expect(gen.dataFiles).toEqual(['cmmlu/test/agronomy.csv']);
    const ppl = dataset('cmmlu_ppl', 'cmmlu-agronomy');
    expect([ppl.mode, ppl.requestKind, ppl.postprocessorName, ppl.evaluator.name]).toEqual(['ppl', 'perplexity', undefined, 'AccEvaluator']);
    expect(ppl.dataFiles).toEqual(['cmmlu/dev/agronomy.csv', 'cmmlu/test/agronomy.csv']);
    const legacy = dataset('cmmlu_gen_c13365', 'cmmlu-agronomy');
    expect([legacy.postprocessorName, legacy.evaluator.name]).toEqual(['first_capital_postprocess', 'AccwithDetailsEvaluator']);
  });
});

describe('CMMLU samples from ../shared/data', () => {
  it('11,582 test rows over 67 subjects, each subject its Appendix C count, gold A-D, ids from the index column', async () => {
    let total = 0;
    for (const [index, task] of config('cmmlu_gen').datasets().entries()) {
      const samples = await task.loadSamples({ dataRoot });
      expect(samples.length).toBe(cmmluSubjects[index]!.testCount);
      total += samples.length;
      samples.forEach((sample, position) => {
        expect(sample.index).toBe(position);
        expect(sample.id).toBe(String(position));
        expect(sample.gold).toMatch(/^[ABCD]$/);
      });
    }
    expect(total).toBe(11582);
  });

  it('--limit keeps the first N rows', async () => {
    const samples = await dataset('cmmlu_gen', 'cmmlu-agronomy').loadSamples({ dataRoot, limit: 2 });
    expect(samples.map((sample) => sample.id)).toEqual(['0', '1']);
  });

  it.each([
    ['cmmlu_gen', 'cmmlu-agronomy', 0, 151, '08461988931eced8'],
    ['cmmlu_ppl', 'cmmlu-agronomy', 0, 518, '1ee5ca74543e1672'],
    ['cmmlu_gen_c13365', 'cmmlu-agronomy', 0, 505, '7aa59abb59e83eb6'],
    ['cmmlu_gen', 'cmmlu-college_medical_statistics', 7, 263, 'a9d9fff61a4a2049'],
    ['cmmlu_gen', 'cmmlu-high_school_mathematics', 11, 228, 'fbe5b37f14ff88c2'],
  ])('%s / %s row %i: base-model text of %i code points, sha256 %s (2.10)', async (configName, abbr, row, length, sha) => {
    const text = baseText(await sampleAt(configName, abbr, row));
    expect(codePoints(text)).toBe(length);
    expect(sha16(text)).toBe(sha);
  });

  it('the sequential {key} substitution: {A} in a question becomes option A, {C} becomes option C', async () => {
    expect(baseText(await sampleAt('cmmlu_gen', 'cmmlu-college_medical_statistics', 7))).toContain('服用$\\mathrm回归分析$药');
    expect(baseText(await sampleAt('cmmlu_gen', 'cmmlu-high_school_mathematics', 11))).toContain('$cos\\frac$\\sqrt{29}${2}=');
  });

  it('cmmlu_gen for chat models: one user message; the chat-template form ends in an extra "\\n"', async () => {
    const sample = await sampleAt('cmmlu_gen', 'cmmlu-agronomy', 0);
    const text = baseText(sample);
    expect(renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: text }],
    });
    const chat = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'chat-template' }).prompt;
    expect(chat).toEqual({ kind: 'messages', messages: [{ role: 'user', content: `${text}\n` }] });
    expect(sha16(`${text}\n`)).not.toBe('08461988931eced8');
    expect(
      text.startsWith(
        "请回答以下关于农学的单项选择题, 你回答的最后一行**必须**是以下格式 '答案: $选项' (不带引号), 其中选项是ABCD之一. 请在回答之前一步步思考.\n\n",
      ),
    ).toBe(true);
    expect(text).toMatch(/\n\nA\) [^\n]*\nB\) [^\n]*\nC\) [^\n]*\nD\) [^\n]*$/);
    // Meta-template (ChatML) text ends by opening the assistant turn.
    const chatMl = {
      round: [
        { role: 'HUMAN' as const, begin: '<|im_start|>user\n', end: '<|im_end|>\n' },
        { role: 'BOT' as const, begin: '<|im_start|>assistant\n', end: '<|im_end|>\n', generate: true },
      ],
    };
    expect(renderPrompt(sample.dialogue, { kind: 'text', metaTemplate: chatMl }).prompt).toEqual({
      kind: 'text',
      text: `<|im_start|>user\n${text}<|im_end|>\n<|im_start|>assistant\n`,
    });
  });

  it('cmmlu_gen_c13365 for chat models: five user/assistant pairs (gold "答案是: X"), then the question', async () => {
    const sample = await sampleAt('cmmlu_gen_c13365', 'cmmlu-agronomy', 0);
    const api = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt;
    const chat = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'chat-template' }).prompt;
    if (api.kind !== 'messages' || chat.kind !== 'messages') throw new Error('expected messages');
    // The generating turn "答案是: " is dropped for chat models, as OpenCompass's parsers stop at it.
    expect(api.messages).toHaveLength(11);
    expect(chat.messages).toHaveLength(11);
    const head = api.messages;
    expect(head.map((message) => message.role)).toEqual([
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
    head.filter((message) => message.role === 'assistant').forEach((message) => expect(message.content).toMatch(/^答案是: [ABCD]$/));
    expect(head[10]?.content).toBe(baseText({ ...sample, dialogue: sample.dialogue.slice(10, 11) }));
    // Base-model text keeps it: the prompt ends in "答案是: ".
    expect(baseText(sample).endsWith('\n答案是: ')).toBe(true);
    chat.messages.forEach((message, index) => {
      expect(message.content).toBe(message.role === 'user' ? `${head[index]!.content}\n` : head[index]!.content);
    });
  });

  it('cmmlu_gen_c13365 exposes its 5 examples for max_seq_len truncation; keep 0 leaves only the question', async () => {
    const sample = await sampleAt('cmmlu_gen_c13365', 'cmmlu-agronomy', 0);
    expect(sample.examples?.count).toBe(5);
    expect(sample.examples!.render(5).dialogue).toEqual(sample.dialogue);
    expect(sample.examples!.render(0).dialogue).toEqual(sample.dialogue.slice(10));
    expect(sample.examples!.render(2).dialogue).toEqual([...sample.dialogue.slice(0, 4), ...sample.dialogue.slice(10)]);
    expect((await sampleAt('cmmlu_gen', 'cmmlu-agronomy', 0)).examples).toBeUndefined();
  });

  it('cmmlu_ppl: four candidates A-D that differ only in the final letter; "testing input" without the examples', async () => {
    const sample = await sampleAt('cmmlu_ppl', 'cmmlu-agronomy', 0);
    const texts = sample.candidates!.map((candidate) => renderPrompt(candidate.dialogue, { kind: 'text' }).prompt);
    expect(sample.candidates!.map((candidate) => candidate.label)).toEqual(['A', 'B', 'C', 'D']);
    const first = texts[0]!.kind === 'text' ? texts[0]!.text : '';
    texts.forEach((prompt, index) => expect(prompt).toEqual({ kind: 'text', text: `${first.slice(0, -1)}${'ABCD'[index]}` }));
    expect(first).toContain('\n\n\n\n\n以下是关于农学的单项选择题');
    const bare = renderPrompt(sample.candidates![0]!.withoutExamples, { kind: 'text' }).prompt;
    expect(bare.kind === 'text' && bare.text.startsWith('以下是关于农学的单项选择题，请直接给出正确答案的选项。\n题目：')).toBe(true);
    expect(bare.kind === 'text' && first.endsWith(bare.text)).toBe(true);
  });
});

describe('CMMLU answer extraction and scoring', () => {
  // Expected values from reading the rules: the first `答案`, Python `\s*`, an ASCII `:`, then Python's `[\W]*`
  // (CJK characters, digits of any script, ①, `_` are word characters and stop it) and one letter A-D, any case.
  const table: ReadonlyArray<readonly [string, string]> = [
    ['答案: B', 'B'],
    ['让我们一步步思考……\n答案: C', 'C'],
    ['答案：B', ''], // full-width colon
    ['答案: b', 'b'], // captured as written, so wrong
    ['答案: **C**', 'C'],
    ['答案: 「D」。', 'D'],
    ['答案: $B$', 'B'],
    ['答案 :\n\n  D', 'D'],
    ['答案:选项A', ''], // 选项 are word characters in Python (not in JavaScript's ASCII \W)
    ['答案: ①B', ''], // ① is numeric, so a word character
    ['答案:_B', ''],
    ['答案: A\n复核后答案: C', 'A'], // first match
    ['答案: E 或 答案: D', 'D'], // E is no letter of the class; the search goes on to the second 答案
    ['ANSWER: B', ''],
    ['', ''],
  ];
  const task = () => dataset('cmmlu_gen', 'cmmlu-agronomy');

  it.each(table)('match_answer_pattern(%j) = %j', (prediction, expected) => {
    expect(task().postprocess(prediction)).toBe(expected);
  });

  it('AccEvaluator over the table: accuracy is the share of extracted letters equal to the gold', async () => {
    const golds = table.map((_, index) => 'ABCD'[index % 4]!);
    const predictions = table.map(([prediction]) => task().postprocess(prediction));
    const expectedCorrect = table.filter(([, expected], index) => expected === golds[index]).length;
    const result = await task().evaluator.evaluate({
      predictions,
      references: golds,
      originPredictions: table.map(([prediction]) => prediction),
      evaluatorInputs: table.map(() => ({})),
      context: { signal: new AbortController().signal },
    });
    expect(expectedCorrect).toBeGreaterThan(0);
    expect(result.metrics).toEqual({ accuracy: 100 * (expectedCorrect / table.length) });
    expect(result.samples.map((sample) => sample.correct)).toEqual(table.map(([, expected], index) => expected === golds[index]));
    expect(result.samples.map((sample) => sample.pred)).toEqual(predictions);
  });

  it('cmmlu_gen_c13365: first_capital_postprocess takes the first upper-case character', () => {
    const legacy = dataset('cmmlu_gen_c13365', 'cmmlu-agronomy');
    expect(legacy.postprocess('B')).toBe('B');
    expect(legacy.postprocess('答案是: C。')).toBe('C');
    expect(legacy.postprocess('The answer is B')).toBe('T');
    expect(legacy.postprocess('选项ｂ，即Ｃ')).toBe('Ｃ');
    expect(legacy.postprocess('无')).toBe('');
  });

  it('cmmlu_ppl: the predicted label is scored as it is', () => {
    expect(dataset('cmmlu_ppl', 'cmmlu-agronomy').postprocess('C')).toBe('C');
  });
});

describe('CMMLU groups', () => {
  it('categories of 13/17/22/15, 15 China-specific, cmmlu of all 67 in config order; one sextant question-weighted row', () => {
    const groups = cmmluBenchmark.summaryGroups();
    expect(groups.map((group) => [group.name, group.average, group.subsets.length])).toEqual([
      ['cmmlu-humanities', 'naive', 13],
      ['cmmlu-stem', 'naive', 17],
      ['cmmlu-social-science', 'naive', 22],
      ['cmmlu-other', 'naive', 15],
      ['cmmlu-china-specific', 'naive', 15],
      ['cmmlu', 'naive', 67],
      ['cmmlu', 'questions', 67],
    ]);
    const byName = new Map(groups.map((group) => [group.name, group.subsets]));
    expect(byName.get('cmmlu')).toEqual(
      config('cmmlu_gen')
        .datasets()
        .map((task) => task.abbr),
    );
    expect(byName.get('cmmlu-china-specific')).toContain('cmmlu-traditional_chinese_medicine');
    expect(byName.get('cmmlu-stem')).toContain('cmmlu-virology');
    expect(byName.get('cmmlu-humanities')).toContain('cmmlu-global_facts');
    const categories = ['cmmlu-humanities', 'cmmlu-stem', 'cmmlu-social-science', 'cmmlu-other'].flatMap((name) => byName.get(name)!);
    expect(new Set(categories).size).toBe(67);
  });
});

describe('CMMLU bad rows', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sextant-cmmlu-'));
    await mkdir(join(root, 'cmmlu', 'test'), { recursive: true });
    await mkdir(join(root, 'cmmlu', 'dev'), { recursive: true });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a row with 6 columns names file and line (a quoted multi-line field before it counts its lines)', async () => {
    await writeFile(join(root, 'cmmlu', 'test', 'agronomy.csv'), ',Question,A,B,C,D,Answer\n0,"two\nlines",a,b,c,d,A\n1,q,a,b,c,B\n');
    const path = join(root, 'cmmlu', 'test', 'agronomy.csv');
    await expect(dataset('cmmlu_gen', 'cmmlu-agronomy').loadSamples({ dataRoot: root })).rejects.toMatchObject({
      name: 'EVAL_DataError',
      path,
      message: `${path}:4: expected 7 columns (index,Question,A,B,C,D,Answer), found 6`,
    });
  });

  it('an answer outside A-D names file, line and field', async () => {
    await writeFile(join(root, 'cmmlu', 'test', 'anatomy.csv'), ',Question,A,B,C,D,Answer\n0,q,a,b,c,d,E\n');
    await expect(dataset('cmmlu_gen', 'cmmlu-anatomy').loadSamples({ dataRoot: root })).rejects.toThrow(
      /anatomy\.csv:2: field Answer must be one of A, B, C, D, found "E"/,
    );
  });

  it('a dev file with fewer than 5 rows fails the 5-shot configs, naming the file', async () => {
    await writeFile(join(root, 'cmmlu', 'test', 'arts.csv'), ',Question,A,B,C,D,Answer\n0,q,a,b,c,d,A\n');
    await writeFile(join(root, 'cmmlu', 'dev', 'arts.csv'), ',Question,A,B,C,D,Answer\n0,q,a,b,c,d,A\n');
    await expect(dataset('cmmlu_ppl', 'cmmlu-arts').loadSamples({ dataRoot: root })).rejects.toThrow(
      /dev\/arts\.csv has 1 rows; in-context example 1 is missing/,
    );
    // The 0-shot config does not read dev.
    await expect(dataset('cmmlu_gen', 'cmmlu-arts').loadSamples({ dataRoot: root })).resolves.toHaveLength(1);
  });

  it('a missing file is a DataError naming its path', async () => {
    await expect(dataset('cmmlu_gen', 'cmmlu-astronomy').loadSamples({ dataRoot: root })).rejects.toMatchObject({
      name: 'EVAL_DataError',
      path: join(root, 'cmmlu', 'test', 'astronomy.csv'),
    });
  });
});

describe('CMMLU in-context examples', () => {
  it("no dev row holds a row-key placeholder, so examples rendered once per dataset equal OpenCompass's (which re-fills them with the scored row)", async () => {
    const { readFile } = await import('node:fs/promises');
    for (const subject of cmmluSubjects) {
      const text = await readFile(join(dataRoot, 'cmmlu', 'dev', `${subject.key}.csv`), 'utf8');
      expect(text, subject.key).not.toMatch(/\{(question|A|B|C|D|answer|subdivision|idx)\}/);
    }
  });
});
