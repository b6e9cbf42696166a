import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../prompts/index.js';
import { datasetVersion } from '../opencompass-infer-config.js';
import { customDatasetTask } from './custom-dataset.js';

let folder: string;
const file = async (name: string, content: string) => {
  const path = join(folder, name);
  await writeFile(path, content, 'utf8');
  return path;
};
const failure = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'no error',
    (error: Error) => error.message,
  );

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sextant-custom-'));
});

const mcqRows =
  '{"question": "165+833+650+615=", "A": "2258", "B": "2263", "C": "2281", "answer": "B"}\n{"question": "1+1=", "A": "2", "B": "3", "C": "4", "answer": "A"}\n';

describe('custom datasets', () => {
  it("mcq gen: OpenCompass's Question/options/Answer prompt, abbr from the file name, OptionSimAccEvaluator", async () => {
    const task = await customDatasetTask({ path: await file('arith.v1.jsonl', mcqRows) });
    expect(task).toMatchObject({ abbr: 'arith', benchmark: 'custom', mode: 'gen', requestKind: 'generate' });
    expect(task.evaluator.name).toBe('OptionSimAccEvaluator');
    // The version: OpenCompass's hash over this infer_cfg (prompt_template, ZeroRetriever, GenInferencer).
    expect(task.version).toBe(
      datasetVersion({
        promptTemplate: {
          template: {
            round: [
              { role: 'HUMAN', prompt: 'Question: {question}\nA. {A}\nB. {B}\nC. {C}' },
              { role: 'BOT', prompt: 'Answer: {answer}' },
            ],
          },
        },
        retriever: { kind: 'zero' },
        inferencer: { kind: 'gen' },
      }),
    );
    const samples = await task.loadSamples({ dataRoot: folder });
    expect(samples.map((sample) => sample.gold)).toEqual(['B', 'A']);
    expect(samples[0]?.evaluatorInput).toEqual({ A: '2258', B: '2263', C: '2281' });
    const text = renderPrompt(samples[0]!.dialogue, { kind: 'text' }).prompt;
    expect(text).toEqual({ kind: 'text', text: 'Question: 165+833+650+615=\nA. 2258\nB. 2263\nC. 2281\nAnswer: ' });
    const chat = renderPrompt(samples[0]!.dialogue, { kind: 'messages', messageStyle: 'api' }).prompt;
    expect(chat).toEqual({ kind: 'messages', messages: [{ role: 'user', content: 'Question: 165+833+650+615=\nA. 2258\nB. 2263\nC. 2281' }] });
  });

  it('mcq ppl: one prompt per option whose BOT turn is "Answer: X"; AccEvaluator', async () => {
    const task = await customDatasetTask({ path: await file('arith-ppl.jsonl', mcqRows), inferMethod: 'ppl' });
    expect(task).toMatchObject({ mode: 'ppl', requestKind: 'perplexity' });
    expect(task.evaluator.name).toBe('AccEvaluator');
    const [sample] = await task.loadSamples({ dataRoot: folder, limit: 1 });
    expect(sample?.candidates?.map((candidate) => candidate.label)).toEqual(['A', 'B', 'C']);
    const text = renderPrompt(sample!.candidates![2]!.dialogue, { kind: 'text' }).prompt;
    expect(text).toEqual({ kind: 'text', text: 'Question: 165+833+650+615=\nA. 2258\nB. 2263\nC. 2281\nAnswer: C' });
  });

  it('qa from CSV (quoted newline kept): {question} → {answer}, exact match', async () => {
    const task = await customDatasetTask({ path: await file('capitals.csv', 'question,answer\nCapital of France?,Paris\n"Two\nlines?",yes\n') });
    expect(task.evaluator.name).toBe('AccEvaluator');
    const samples = await task.loadSamples({ dataRoot: folder });
    expect(samples.map((sample) => [sample.id, sample.gold])).toEqual([
      ['2', 'Paris'],
      ['3', 'yes'],
    ]);
    expect(renderPrompt(samples[1]!.dialogue, { kind: 'text' }).prompt).toEqual({ kind: 'text', text: 'Two\nlines?' });
  });

  it('FILE.meta.json overrides the prompts, abbr and evaluator', async () => {
    const path = await file('own.jsonl', mcqRows);
    await file(
      'own.jsonl.meta.json',
      JSON.stringify({ abbr: 'mine', human_prompt: 'Q: {question}\n(A) {A} (B) {B} (C) {C}', bot_prompt: 'A: {answer}', evaluator: 'AccEvaluator' }),
    );
    const task = await customDatasetTask({ path });
    expect(task.abbr).toBe('mine');
    expect(task.evaluator.name).toBe('AccEvaluator');
    const [sample] = await task.loadSamples({ dataRoot: folder, limit: 1 });
    expect(renderPrompt(sample!.dialogue, { kind: 'text' }).prompt).toEqual({ kind: 'text', text: 'Q: 165+833+650+615=\n(A) 2258 (B) 2263 (C) 2281\nA: ' });
  });

  it('a malformed row names the file, line and field', async () => {
    const missing = await customDatasetTask({ path: await file('missing.jsonl', `${mcqRows}\n{"question": "2+2=", "A": "4", "C": "5", "answer": "A"}\n`) });
    expect(await failure(missing.loadSamples({ dataRoot: folder }))).toBe(
      `${join(folder, 'missing.jsonl')}:4: field "B" is missing (mcq rows need question, A, B, C, answer)`,
    );
    const badAnswer = await customDatasetTask({ path: await file('answer.jsonl', '{"question": "x", "A": "1", "B": "2", "answer": "E"}\n') });
    expect(await failure(badAnswer.loadSamples({ dataRoot: folder }))).toBe(`${join(folder, 'answer.jsonl')}:1: field "answer" is "E"; expected one of A, B`);
    expect(await failure(customDatasetTask({ path: await file('json.jsonl', '{"question": "x", "answer": "y"}\n{"question": oops}\n') }))).toMatch(
      new RegExp(`^${join(folder, 'json.jsonl')}:2: not a JSON object`),
    );
    expect(await failure(customDatasetTask({ path: await file('short.csv', 'question,answer\n"a",b\nonly-one\n') }))).toBe(
      `${join(folder, 'short.csv')}:3: 1 fields for the header's 2 (question, answer)`,
    );
  });

  it('refuses qa in ppl mode, an unknown meta field, and another file type', async () => {
    expect(await failure(customDatasetTask({ path: await file('open.jsonl', '{"question": "x", "answer": "y"}\n'), inferMethod: 'ppl' }))).toMatch(
      /run in gen mode only/,
    );
    const path = await file('typo.jsonl', mcqRows);
    await file('typo.jsonl.meta.json', '{"human_promt": "x"}');
    expect(await failure(customDatasetTask({ path }))).toBe(
      `${path}.meta.json: human_promt: unknown meta field; did you mean "human_prompt"? (known: abbr, data_type, infer_method, human_prompt, bot_prompt, template, evaluator, options, output_column)`,
    );
    expect(await failure(customDatasetTask({ path: await file('rows.json', '[]') }))).toMatch(/a custom dataset is a \.jsonl or \.csv file/);
  });
});
