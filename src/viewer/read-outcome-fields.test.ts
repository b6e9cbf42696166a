import { describe, expect, it } from 'vitest';
import { readOutcomeFields } from './read-outcome-fields.js';

const read = (text: string) => readOutcomeFields(Buffer.from(text));

describe('readOutcomeFields', () => {
  it('reads the top-level fields of a JSON.stringify line, whatever the prompt holds', () => {
    const record = {
      index: 12,
      key: 'abc',
      originPrompt: [
        { role: 'HUMAN', prompt: 'say "prediction":"X" and \\"gold\\":\\ {[ ]} 中文\n' },
        { role: 'BOT', prompt: 'B', prediction: 'nested', gold: 'nested', error: 'nested' },
      ],
      gold: 'C',
      latencyMs: 3,
      prediction: 'The answer is "C" \\ 答案',
      attempts: 1,
    };
    expect(read(JSON.stringify(record))).toEqual({ index: 12, prediction: 'The answer is "C" \\ 答案', gold: 'C' });
    expect(read(JSON.stringify({ ...record, error: 'HTTP 500', prediction: '' }))).toEqual({ index: 12, prediction: '', gold: 'C', error: 'HTTP 500' });
  });

  it('gives a missing gold as empty, as the store does', () => {
    expect(read('{"index":0,"key":"k","prediction":"A"}')).toEqual({ index: 0, prediction: 'A', gold: '' });
  });

  it('declines what it cannot be sure of, so the caller parses in full', () => {
    for (const line of [
      '{"index": 0, "key": "k", "prediction": "A", "gold": "A"}', // whitespace between tokens
      '{"index":0,"key":"k","prediction":null,"gold":"A"}', // not a string
      '{"index":0,"key":"k","originPrompt":"cut off{"index":1,"key":"k","prediction":"A","gold":"A"}', // torn line
      '{"index":0,"key":"k","prediction":"A","gold":"A"',
      '{"index":0,"key":"k","prediction":"A","gold":"A"}}',
      '{"key":"k","prediction":"A","gold":"A"}', // no index
      '{"index":0,"prediction":"A","gold":"A"}', // no key
      '[{"index":0,"key":"k","prediction":"A","gold":"A"}]',
    ]) {
      expect(read(line), line).toBeUndefined();
    }
  });
});
