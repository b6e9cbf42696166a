import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaCppBackend } from '../../src/backends/llama-cpp/index.js';
import { TransformersBackend } from '../../src/backends/transformers/index.js';

/** The shared pair: the same trained weights as GGUF (llama.cpp) and ONNX (transformers.js). */
const models = fileURLToPath(new URL('../../../shared/models/', import.meta.url));
const gguf = `${models}stories260K-gguf/stories260Ktok512.gguf`;
const onnx = `${models}stories260K-onnx`;

const texts = ['Once upon a time', 'Hi, there! ok?', 'a\nb', 'café naïve', '12345 and 2024', 'Lily went to the park. She saw a big dog.'];
const context = 'Lily went to the park. She saw a big';
const options = [' dog', ' ball', ' car', ' tree'];
/** Golden values from the models' SOURCE.md (llama.cpp figures; the ONNX ones differ by ≤ 0.002). */
const golden = { ' dog': -3.76, ' ball': -4.688, ' car': -5.586, ' tree': -2.298 } as const;

describe('llama-cpp and transformers backends on the shared stories260K pair', () => {
  const llama = new LlamaCppBackend({ modelPath: gguf, promptKind: 'text', threads: 1 });
  const transformers = new TransformersBackend({ modelPath: onnx, promptKind: 'text', threads: 1 });

  beforeAll(async () => {
    await Promise.all([llama.doStart({}), transformers.doStart({})]);
  });
  afterAll(async () => {
    await Promise.all([llama.doClose(), transformers.doClose()]);
  });

  it('tokenize identically', () => {
    for (const text of texts) expect(llama.tokenize(text), text).toEqual(transformers.tokenize(text));
  });

  it('produce the same greedy text', async () => {
    const request = { kind: 'generate', prompt: { kind: 'text', text: 'Once upon a time' }, settings: { maxOutLen: 40, stopWords: [] } } as const;
    const [fromLlama, fromOnnx] = await Promise.all([llama.doGenerate(request, {}), transformers.doGenerate(request, {})]);
    expect(fromLlama.text).toBe(fromOnnx.text);
    expect(fromLlama.text.startsWith(', there was a little girl named Lily.')).toBe(true);
  });

  it('agree on option log-likelihoods within 1e-2, with the same ranking and the golden values', async () => {
    const score = (backend: LlamaCppBackend | TransformersBackend) =>
      Promise.all(options.map((continuation) => backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation }, {})));
    const [fromLlama, fromOnnx] = await Promise.all([score(llama), score(transformers)]);
    options.forEach((option, index) => {
      const left = fromLlama[index]!;
      const right = fromOnnx[index]!;
      expect(Math.abs(left.logprob - right.logprob), option).toBeLessThan(1e-2);
      expect(Math.abs(left.logprob - golden[option as keyof typeof golden]), option).toBeLessThan(1e-2);
      expect(left.tokenCount).toBe(right.tokenCount);
    });
    const rank = (scores: readonly { logprob: number }[]) => options.map((_, index) => index).sort((a, b) => scores[b]!.logprob - scores[a]!.logprob);
    expect(rank(fromLlama)).toEqual(rank(fromOnnx));
    expect(rank(fromLlama).map((index) => options[index])).toEqual([' tree', ' dog', ' ball', ' car']);
  });

  it('agree on OpenCompass PPL scores of whole prompts', async () => {
    const candidates = ['A', 'B', 'C', 'D'].map((label) => ({ text: `Question: what did Lily see?\nAnswer: ${label}`, suffix: `Answer: ${label}` }));
    const [fromLlama, fromOnnx] = await Promise.all([
      llama.doPerplexity({ kind: 'perplexity', candidates }, {}),
      transformers.doPerplexity({ kind: 'perplexity', candidates }, {}),
    ]);
    fromLlama.scores.forEach((score, index) => {
      expect(Math.abs(score.ppl - fromOnnx.scores[index]!.ppl)).toBeLessThan(1e-2);
      expect(score.tokenCount).toBe(fromOnnx.scores[index]!.tokenCount);
      expect(score.suffixTokenCount).toBe(fromOnnx.scores[index]!.suffixTokenCount);
    });
  });
});
