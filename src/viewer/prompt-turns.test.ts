import { describe, expect, it } from 'vitest';
import { promptTurns } from './prompt-turns.js';
import { questionSnippet } from './render-samples-page.js';

describe('promptTurns', () => {
  it('reads OpenCompass turn lists, chat messages, plain text and anything else', () => {
    expect(
      promptTurns([
        { role: 'HUMAN', prompt: 'q' },
        { role: 'BOT', prompt: 'A' },
      ]),
    ).toEqual([
      { role: 'HUMAN', text: 'q' },
      { role: 'BOT', text: 'A' },
    ]);
    expect(
      promptTurns([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ]),
    ).toEqual([{ role: 'user', text: 'ab' }]);
    expect(promptTurns('plain prompt')).toEqual([{ role: '', text: 'plain prompt' }]);
    expect(promptTurns({ odd: true })).toEqual([{ role: '', text: '{"odd":true}' }]);
    expect(promptTurns(undefined)).toEqual([]);
  });
});

describe('questionSnippet', () => {
  it('is the last human turn, shortened, or the end of a plain-text prompt', () => {
    expect(
      questionSnippet(
        [
          { role: 'HUMAN', prompt: 'example' },
          { role: 'BOT', prompt: 'A' },
          { role: 'HUMAN', prompt: 'the\nquestion' },
        ],
        20,
      ),
    ).toBe('the question');
    expect(questionSnippet([{ role: 'HUMAN', prompt: '一二三四五六' }], 4)).toBe('一二三四…');
    expect(questionSnippet('example 1\nA\nexample 2\nquestion?', 9)).toBe('…question?');
  });
});
