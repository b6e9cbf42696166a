import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../datasets/index.js';
import { cevalDatasets, cevalVariants } from '../tasks/ceval/index.js';
import { buildPplDialogues } from './build-ppl-dialogues.js';
import type { DialogueTemplate, PromptTemplateConfig, TemplateRow } from './prompt-template.js';
import { renderBaseText } from './render-base-text.js';

const dataRoot = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** CMMLU's loader: columns 1-6 → question, A, B, C, D, answer (column 0, the unnamed index, dropped). */
async function readCmmluRows(path: string): Promise<TemplateRow[]> {
  const records = await readCsvRecords(path);
  return records.map((record) => {
    const columns = Object.values(record);
    expect(columns).toHaveLength(7);
    const [, question, A, B, C, D, answer] = columns as [string, string, string, string, string, string, string];
    return { question, A, B, C, D, answer };
  });
}

/** `cmmlu_ppl_8b9c76` for one subject (opencompass-datasets.md 3.3). */
function cmmluPplTemplate(chineseName: string): PromptTemplateConfig {
  const round = (label: string): DialogueTemplate => ({
    begin: '</E>',
    round: [
      { role: 'HUMAN', prompt: `以下是关于${chineseName}的单项选择题，请直接给出正确答案的选项。\n题目：{question}\nA. {A}\nB. {B}\nC. {C}\nD. {D}` },
      { role: 'BOT', prompt: `答案是: ${label}` },
    ],
  });
  return { template: Object.fromEntries(['A', 'B', 'C', 'D'].map((label) => [label, round(label)])), iceToken: '</E>' };
}

const sha16 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

describe('buildPplDialogues', () => {
  it('matches the reference vector cmmlu_ppl / cmmlu-agronomy label A (518 code points, sha256 1ee5ca74543e1672)', async () => {
    const dev = await readCmmluRows(join(dataRoot, 'cmmlu', 'dev', 'agronomy.csv'));
    const test = await readCmmluRows(join(dataRoot, 'cmmlu', 'test', 'agronomy.csv'));
    const candidates = buildPplDialogues({ template: cmmluPplTemplate('农学'), examples: dev.slice(0, 5), row: test[0]!, outputColumn: 'answer' });
    expect(candidates.map((candidate) => candidate.label)).toEqual(['A', 'B', 'C', 'D']);
    const text = renderBaseText(candidates[0]!.dialogue);
    expect([...text].length).toBe(518);
    expect(sha16(text)).toBe('1ee5ca74543e1672');
    // Candidates differ only in the final label.
    for (const [index, candidate] of candidates.entries()) {
      const label = 'ABCD'[index]!;
      expect(renderBaseText(candidate.dialogue)).toBe(`${text.slice(0, -1)}${label}`);
    }
  });

  it('C-Eval ppl: "…答案: X\\n\\n\\n以下是…" between examples, five "\\n" before the question, "答案: \\nA" at the end', async () => {
    const variant = cevalVariants.find((candidate) => candidate.configName === 'ceval_ppl_578f8d');
    const task = cevalDatasets(variant!).find((candidate) => candidate.abbr === 'ceval-computer_network');
    const [sample] = await task!.loadSamples({ dataRoot, limit: 1 });
    expect(task!.mode).toBe('ppl');
    expect(sample!.candidates?.map((candidate) => candidate.label)).toEqual(['A', 'B', 'C', 'D']);
    const dev = (await readCsvRecords(join(dataRoot, 'ceval', 'dev', 'computer_network_dev.csv'))).slice(0, 5);
    const val = (await readCsvRecords(join(dataRoot, 'ceval', 'val', 'computer_network_val.csv')))[0]!;
    const human = (row: Record<string, string>) =>
      `以下是中国关于计算机网络考试的单项选择题，请选出其中的正确答案。\n${row.question}\nA. ${row.A}\nB. ${row.B}\nC. ${row.C}\nD. ${row.D}\n答案: `;
    const examples = dev.map((row) => `${human(row)}\n${row.answer}`).join('\n\n\n');
    sample!.candidates!.forEach((candidate) => {
      expect(renderBaseText(candidate.dialogue)).toBe(`${examples}\n\n\n\n\n${human(val)}\n${candidate.label}`);
    });
    const textA = renderBaseText(sample!.candidates![0]!.dialogue);
    expect(textA).toContain(`答案: \n${dev[0]!.answer}\n\n\n以下是`);
    expect(textA.endsWith('答案: \nA')).toBe(true);
    expect(sample!.dialogue).toEqual(sample!.candidates![0]!.dialogue);
    // OpenCompass's `testing input`: the same prompt without the in-context examples.
    sample!.candidates!.forEach((candidate) => {
      expect(renderBaseText(candidate.withoutExamples)).toBe(`${human(val)}\n${candidate.label}`);
    });
  });

  it('without examples there are no separator items', () => {
    const [candidate] = buildPplDialogues({
      template: cmmluPplTemplate('农学'),
      examples: [],
      row: { question: 'q', A: 'a', B: 'b', C: 'c', D: 'd' },
      outputColumn: 'answer',
    });
    expect(candidate!.dialogue.every((item) => item.type === 'turn')).toBe(true);
    expect(renderBaseText(candidate!.dialogue)).toBe('以下是关于农学的单项选择题，请直接给出正确答案的选项。\n题目：q\nA. a\nB. b\nC. c\nD. d\n答案是: A');
  });

  it('rejects an example whose gold is not a label', () => {
    expect(() =>
      buildPplDialogues({ template: cmmluPplTemplate('农学'), examples: [{ question: 'q', answer: 'E' }], row: { question: 'q' }, outputColumn: 'answer' }),
    ).toThrow(/gold "E"/);
  });

  it('rejects a template that is not keyed by label', () => {
    expect(() =>
      buildPplDialogues({ template: { template: { round: [{ role: 'HUMAN', prompt: 'x' }] } }, examples: [], row: {}, outputColumn: 'answer' }),
    ).toThrow(TypeError);
  });
});
