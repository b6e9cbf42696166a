import { describe, expect, it } from 'vitest';
import type { Dialogue, MetaTemplate } from '../spec/index.js';
import { renderBaseText } from './render-base-text.js';
import { renderMetaTemplate } from './render-meta-template.js';
import { createGenDialogueBuilder } from './build-gen-dialogue.js';
import { renderPrompt } from './render-prompt.js';
import { toApiTurns } from './to-api-turns.js';
import { toChatMessages } from './to-chat-messages.js';

const chatMl: MetaTemplate = {
  round: [
    { role: 'HUMAN', begin: '<|im_start|>user\n', end: '<|im_end|>\n' },
    { role: 'BOT', begin: '<|im_start|>assistant\n', end: '<|im_end|>\n', generate: true },
  ],
};

const turn = (role: 'HUMAN' | 'BOT' | 'SYSTEM', prompt: string) => ({ type: 'turn' as const, role, prompt });
const text = (value: string) => ({ type: 'text' as const, text: value });

describe('renderBaseText (LMTemplateParser without a meta template)', () => {
  it('joins non-empty items with "\\n" and skips the empty generation slot', () => {
    expect(renderBaseText([turn('HUMAN', 'q1'), turn('BOT', 'A'), turn('HUMAN', 'q2'), turn('BOT', '')])).toBe('q1\nA\nq2');
  });

  it('raw "\\n" items add their own newline plus the separator', () => {
    expect(renderBaseText([turn('HUMAN', 'q'), turn('BOT', 'A'), text('\n'), turn('HUMAN', 'q2')])).toBe('q\nA\n\n\nq2');
  });

  it('the separator is armed after an empty first item', () => {
    expect(renderBaseText([turn('HUMAN', ''), turn('HUMAN', 'x')])).toBe('\nx');
  });

  it('an empty dialogue is the empty string', () => {
    expect(renderBaseText([])).toBe('');
  });
});

describe('renderMetaTemplate', () => {
  it('renders ICE rounds fully and stops after the generating role’s begin', () => {
    const dialogue: Dialogue = [turn('HUMAN', 'q1'), turn('BOT', 'A'), turn('HUMAN', 'q2'), turn('BOT', '')];
    expect(renderMetaTemplate(dialogue, chatMl)).toBe(
      '<|im_start|>user\nq1<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n<|im_start|>user\nq2<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('a PPL candidate’s label turn (non-empty last BOT turn) is rendered with its end, as in ppl mode', () => {
    expect(renderMetaTemplate([turn('HUMAN', 'q'), turn('BOT', '答案: A')], chatMl)).toBe(
      '<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n答案: A<|im_end|>\n',
    );
  });

  it('names the missing role when the meta template lacks it', () => {
    expect(() => renderMetaTemplate([turn('SYSTEM', 's')], chatMl)).toThrow(/no entry for role SYSTEM/);
  });
});

describe('toApiTurns / toChatMessages', () => {
  it('drops raw text and empty turns, merges consecutive same-role turns with "\\n"', () => {
    const turns = toApiTurns([text('\n'), turn('HUMAN', 'a'), turn('HUMAN', 'b'), turn('BOT', 'A'), text('\n'), turn('HUMAN', 'c'), turn('BOT', '')]);
    expect(turns).toEqual([turn('HUMAN', 'a\nb'), turn('BOT', 'A'), turn('HUMAN', 'c')]);
  });

  it('maps roles to the wire names', () => {
    expect(toChatMessages([turn('SYSTEM', 's'), turn('HUMAN', 'h'), turn('BOT', 'b')])).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'h' },
      { role: 'assistant', content: 'b' },
    ]);
  });

  it('chat-template style adds "\\n" to user messages only', () => {
    expect(toChatMessages([turn('SYSTEM', 's'), turn('HUMAN', 'h'), turn('BOT', 'b')], 'chat-template')).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'h\n' },
      { role: 'assistant', content: 'b' },
    ]);
  });

  it('renderPrompt text style stores the string as origin_prompt', () => {
    const rendered = renderPrompt([turn('HUMAN', 'q'), turn('BOT', '')], { kind: 'text' });
    expect(rendered).toEqual({ prompt: { kind: 'text', text: 'q' }, originPrompt: 'q' });
  });
});

describe('the generation turn', () => {
  const metaTemplate = {
    round: [
      { role: 'HUMAN' as const, begin: '<|User|>:', end: '\n' },
      { role: 'BOT' as const, begin: '<|Bot|>:', end: '<eoa>\n', generate: true },
    ],
  };
  // A round that ends with the question (GSM8K, NQ, BBH, AGIEval) gets the BOT slot.
  const question = createGenDialogueBuilder({ template: { template: { round: [{ role: 'HUMAN', prompt: 'Q: {q}' }] } }, examples: [], outputColumn: 'a' })({
    q: '1+1?',
    a: '2',
  });
  // MBPP's last BOT turn holds "[BEGIN]\n".
  const mbppLike = createGenDialogueBuilder({
    template: {
      template: {
        round: [
          { role: 'HUMAN', prompt: 'task {q}' },
          { role: 'BOT', prompt: '[BEGIN]\n' },
        ],
      },
    },
    examples: [],
    outputColumn: 'a',
  })({ q: 'x', a: '' });

  it('is rendered as OpenCompass does for each model kind', () => {
    expect(renderPrompt(question, { kind: 'text' }).prompt).toEqual({ kind: 'text', text: 'Q: 1+1?' });
    expect(renderPrompt(question, { kind: 'text', metaTemplate }).prompt).toEqual({ kind: 'text', text: '<|User|>:Q: 1+1?\n<|Bot|>:' });
    expect(renderPrompt(question, { kind: 'messages', messageStyle: 'api' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: 'Q: 1+1?' }],
    });
    expect(renderPrompt(mbppLike, { kind: 'text' }).prompt).toEqual({ kind: 'text', text: 'task x\n[BEGIN]\n' });
    expect(renderPrompt(mbppLike, { kind: 'text', metaTemplate }).prompt).toEqual({ kind: 'text', text: '<|User|>:task x\n<|Bot|>:' });
    expect(renderPrompt(mbppLike, { kind: 'messages', messageStyle: 'chat-template' }).prompt).toEqual({
      kind: 'messages',
      messages: [{ role: 'user', content: 'task x\n' }],
    });
  });
});
