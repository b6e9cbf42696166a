import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxCausalLm } from './onnx-causal-lm.js';
import { commonPrefixLength, scoreTokens, sum } from './score-tokens.js';

const modelPath = fileURLToPath(new URL('../../../../shared/models/stories260K-onnx', import.meta.url));

describe('commonPrefixLength', () => {
  it('finds the longest shared prefix', () => {
    expect(
      commonPrefixLength([
        [1, 2, 3, 4],
        [1, 2, 3, 5],
        [1, 2, 9],
      ]),
    ).toBe(2);
    expect(
      commonPrefixLength([
        [1, 2],
        [1, 2, 3],
      ]),
    ).toBe(2);
    expect(commonPrefixLength([[1, 2, 3]])).toBe(3);
    expect(commonPrefixLength([[1], [2]])).toBe(0);
    expect(commonPrefixLength([])).toBe(0);
  });
});

describe('scoreTokens on stories260K', () => {
  let model: OnnxCausalLm;
  beforeAll(async () => {
    model = await OnnxCausalLm.load({ modelPath, dtype: 'fp32' });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('gives the same log-probabilities in chunks, and when continued from a cached prefix', async () => {
    const tokens = model.encode('Lily went to the park. She saw a big dog. The dog was brown and happy.', true);
    const whole = await scoreTokens({ forward: model.forward, tokens });
    expect(whole.logprobs).toHaveLength(tokens.length - 1);
    expect(whole.end?.length).toBe(tokens.length);

    const chunked = await scoreTokens({ forward: model.forward, tokens, chunkSize: 4 });
    const prefix = await scoreTokens({ forward: model.forward, tokens: tokens.slice(0, 9) });
    const tail = await scoreTokens({ forward: model.forward, tokens: tokens.slice(9), start: prefix.end });
    const continued = [...prefix.logprobs, ...tail.logprobs];
    for (const other of [chunked.logprobs, continued]) {
      expect(other).toHaveLength(whole.logprobs.length);
      other.forEach((logprob, index) => expect(logprob).toBeCloseTo(whole.logprobs[index] as number, 4));
    }
    expect(chunked.isGreedy).toEqual(whole.isGreedy);
    expect(sum(whole.logprobs)).toBeLessThan(0);
  });

  it('returns the start state for an empty span', async () => {
    const prefix = await scoreTokens({ forward: model.forward, tokens: model.encode('Once upon', true) });
    const empty = await scoreTokens({ forward: model.forward, tokens: [], start: prefix.end });
    expect(empty).toMatchObject({ logprobs: [], isGreedy: [], evaluatedTokens: 0 });
    expect(empty.end).toBe(prefix.end);
  });
});
