import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvRecords } from '../datasets/index.js';
import type { Dialogue, MetaTemplate, TaskSample } from '../spec/index.js';
import { cevalDatasets, cevalVariants } from '../tasks/ceval/index.js';
import { buildGenDialogue } from './build-gen-dialogue.js';
import { renderPrompt } from './render-prompt.js';

const dataRoot = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

const chatMl: MetaTemplate = {
  round: [
    { role: 'HUMAN', begin: '<|im_start|>user\n', end: '<|im_end|>\n' },
    { role: 'BOT', begin: '<|im_start|>assistant\n', end: '<|im_end|>\n', generate: true },
  ],
};

/** The HUMAN text of a C-Eval row for 计算机网络, built by hand (HUMAN-5shot of the reference, 3.3). */
function humanText(row: Record<string, string>): string {
  return (
    '以下是中国关于计算机网络考试的单项选择题\uff0c请选出其中的正确答案\u3002\n' + `${row.question}\nA. ${row.A}\nB. ${row.B}\nC. ${row.C}\nD. ${row.D}\n答案: `
  );
}

let sample: TaskSample;
let devRows: Record<string, string>[];
let valRow: Record<string, string>;

beforeAll(async () => {
  const variant = cevalVariants.find((candidate) => candidate.configName === 'ceval_gen_5f30c7');
  const task = cevalDatasets(variant!).find((candidate) => candidate.abbr === 'ceval-computer_network');
  const samples = await task!.loadSamples({ dataRoot, limit: 1 });
  expect(samples).toHaveLength(1);
  sample = samples[0]!;
  devRows = (await readCsvRecords(join(dataRoot, 'ceval', 'dev', 'computer_network_dev.csv'))).slice(0, 5);
  valRow = (await readCsvRecords(join(dataRoot, 'ceval', 'val', 'computer_network_val.csv')))[0]!;
});

describe('ceval_gen_5f30c7 / ceval-computer_network sample 0', () => {
  it('is five (HUMAN, BOT gold) example pairs, the HUMAN question and an empty BOT slot', () => {
    const dialogue = sample.dialogue;
    expect(dialogue).toHaveLength(12);
    devRows.forEach((row, index) => {
      expect(dialogue[2 * index]).toEqual({ type: 'turn', role: 'HUMAN', prompt: humanText(row) });
      expect(dialogue[2 * index + 1]).toEqual({ type: 'turn', role: 'BOT', prompt: row.answer });
    });
    expect(dialogue[10]).toEqual({ type: 'turn', role: 'HUMAN', prompt: humanText(valRow) });
    expect(dialogue[11]).toEqual({ type: 'turn', role: 'BOT', prompt: '', generation: true });
    expect(sample.gold).toBe(valRow.answer);
    expect(sample.id).toBe(valRow.id);
  });

  it('base-model text: 5 × (HUMAN + "\\n" + gold + "\\n") then the HUMAN question, ending in "答案: "', () => {
    const expected = devRows.map((row) => `${humanText(row)}\n${row.answer}\n`).join('') + humanText(valRow);
    const rendered = renderPrompt(sample.dialogue, { kind: 'text' });
    expect(rendered.prompt).toEqual({ kind: 'text', text: expected });
    expect(rendered.originPrompt).toBe(expected);
    expect(expected.endsWith('\n答案: ')).toBe(true);
  });

  it('API chat messages: 11 messages, user/assistant alternating, user text = HUMAN text', () => {
    const rendered = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' });
    if (rendered.prompt.kind !== 'messages') throw new Error('expected messages');
    const messages = rendered.prompt.messages;
    expect(messages).toHaveLength(11);
    devRows.forEach((row, index) => {
      expect(messages[2 * index]).toEqual({ role: 'user', content: humanText(row) });
      expect(messages[2 * index + 1]).toEqual({ role: 'assistant', content: row.answer });
    });
    expect(messages[10]).toEqual({ role: 'user', content: humanText(valRow) });
    // origin_prompt: OpenCompass's API turn list (HUMAN/BOT roles), without the generation slot.
    expect(rendered.originPrompt).toHaveLength(11);
    expect((rendered.originPrompt as ReadonlyArray<{ role: string; prompt: string }>)[10]).toEqual({ role: 'HUMAN', prompt: humanText(valRow) });
  });

  it('chat-template messages: "\\n" added to every user message, never to assistant messages', () => {
    const api = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'api' });
    const chat = renderPrompt(sample.dialogue, { kind: 'messages', messageStyle: 'chat-template' });
    if (api.prompt.kind !== 'messages' || chat.prompt.kind !== 'messages') throw new Error('expected messages');
    expect(chat.prompt.messages).toHaveLength(11);
    chat.prompt.messages.forEach((message, index) => {
      const plain = api.prompt.kind === 'messages' ? api.prompt.messages[index]! : undefined;
      expect(message.role).toBe(plain?.role);
      expect(message.content).toBe(message.role === 'user' ? `${plain?.content}\n` : plain?.content);
    });
    // The stored origin_prompt is the same turn list either way.
    expect(chat.originPrompt).toEqual(api.originPrompt);
  });

  it('ChatML meta template: each turn wrapped, ends right after the generating role’s begin', () => {
    const expected =
      devRows.map((row) => `<|im_start|>user\n${humanText(row)}<|im_end|>\n<|im_start|>assistant\n${row.answer}<|im_end|>\n`).join('') +
      `<|im_start|>user\n${humanText(valRow)}<|im_end|>\n<|im_start|>assistant\n`;
    const rendered = renderPrompt(sample.dialogue, { kind: 'text', metaTemplate: chatMl });
    expect(rendered.prompt).toEqual({ kind: 'text', text: expected });
    expect(expected.endsWith('答案: <|im_end|>\n<|im_start|>assistant\n')).toBe(true);
  });

  it('meta template begin is prepended once', () => {
    const rendered = renderPrompt(sample.dialogue, { kind: 'text', metaTemplate: { ...chatMl, begin: '<s>' } });
    if (rendered.prompt.kind !== 'text') throw new Error('expected text');
    expect(rendered.prompt.text.startsWith('<s><|im_start|>user\n以下是中国关于计算机网络')).toBe(true);
    expect(rendered.prompt.text.split('<s>')).toHaveLength(2);
  });
});

describe('buildGenDialogue', () => {
  const template = {
    template: {
      begin: '</E>',
      round: [
        { role: 'HUMAN' as const, prompt: 'Q: {question}' },
        { role: 'BOT' as const, prompt: '{answer}' },
      ],
    },
    iceToken: '</E>',
  };

  it('blanks the scored row’s output column and fills the examples with their own gold', () => {
    const dialogue = buildGenDialogue({
      template,
      examples: [{ question: 'e1', answer: 'A' }],
      row: { question: 'q', answer: 'B' },
      outputColumn: 'answer',
    });
    expect(dialogue).toEqual<Dialogue>([
      { type: 'turn', role: 'HUMAN', prompt: 'Q: e1' },
      { type: 'turn', role: 'BOT', prompt: 'A' },
      { type: 'turn', role: 'HUMAN', prompt: 'Q: q' },
      { type: 'turn', role: 'BOT', prompt: '', generation: true },
    ]);
  });

  it('zero-shot: the ice token in begin leaves nothing behind', () => {
    const dialogue = buildGenDialogue({ template, examples: [], row: { question: 'q', answer: 'B' }, outputColumn: 'answer' });
    expect(dialogue).toEqual<Dialogue>([
      { type: 'turn', role: 'HUMAN', prompt: 'Q: q' },
      { type: 'turn', role: 'BOT', prompt: '', generation: true },
    ]);
  });

  it('keeps text around the ice token in begin as raw items', () => {
    const dialogue = buildGenDialogue({
      template: { template: { ...template.template, begin: 'intro</E>outro' }, iceToken: '</E>' },
      examples: [{ question: 'e1', answer: 'A' }],
      row: { question: 'q', answer: 'B' },
      outputColumn: 'answer',
    });
    expect(dialogue[0]).toEqual({ type: 'text', text: 'intro' });
    expect(dialogue[3]).toEqual({ type: 'text', text: 'outro' });
  });

  it('rejects a plain string template', () => {
    expect(() => buildGenDialogue({ template: { template: '{question}' }, examples: [], row: { question: 'q' }, outputColumn: 'answer' })).toThrow(TypeError);
  });
});
