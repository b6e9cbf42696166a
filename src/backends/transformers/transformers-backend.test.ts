import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendCallError, BackendUnavailableError, EvalError, type GenerationSettings, type PerplexityRequest } from '../../spec/index.js';
import { TransformersBackend } from './index.js';

const modelPath = fileURLToPath(new URL('../../../../shared/models/stories260K-onnx', import.meta.url));
const goldenStory = ', there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball.';
const context = 'Lily went to the park. She saw a big';
const options = { ' dog': -3.758, ' ball': -4.686, ' car': -5.587, ' tree': -2.298 };

const text = (value: string) => ({ kind: 'text', text: value }) as const;
const greedy = (maxOutLen: number, stopWords: string[] = []): GenerationSettings => ({ maxOutLen, stopWords });

/** Four C-Eval-like PPL candidates: one in-context example, one question, the label last. */
function pplRequest(): PerplexityRequest {
  const question = 'Lily saw a big dog. The dog was brown.\nQuestion: What did Lily see?\nAnswer: ';
  const example = 'Tom had a red ball. He liked to play with it.\n';
  const candidates = ['A', 'B', 'C', 'D'].map((label) => ({ text: `${example}${question}${label}`, suffix: `${question}${label}` }));
  return { kind: 'perplexity', candidates };
}

describe('TransformersBackend on stories260K', () => {
  const backend = new TransformersBackend({ modelPath, promptKind: 'text' });
  const wholeBackend = new TransformersBackend({ modelPath, promptKind: 'text', prefixReuse: false });

  beforeAll(async () => {
    await Promise.all([backend.doStart({}), wholeBackend.doStart({})]);
  });
  afterAll(async () => {
    await Promise.all([backend.doClose(), wholeBackend.doClose()]);
  });

  it('describes itself', async () => {
    expect(backend).toMatchObject({
      specificationVersion: 'v1',
      provider: 'transformers',
      connectionKey: modelPath,
      capabilities: { requestKinds: ['generate', 'loglikelihood', 'perplexity'], promptKind: 'text' },
    });
    expect(backend.modelId).toContain('stories260K-onnx');
    await expect(backend.doStart({})).resolves.toEqual({ modelName: 'stories260K-onnx', warnings: [] });
  });

  it('counts tokens with the model tokenizer, BOS included (what maxSeqLen truncation uses)', async () => {
    expect(backend.capabilities.tokenCount).toBe(true);
    // 'Once upon a time' is 5 prompt tokens in the golden generation's usage (BOS + 4).
    expect(await backend.doCountTokens({ texts: ['Once upon a time', ''] }, {})).toEqual([5, backend.tokenize('').length]);
  });

  it('generates the golden story greedily', async () => {
    const result = await backend.doGenerate({ kind: 'generate', prompt: text('Once upon a time'), settings: greedy(40) }, {});
    expect(result).toEqual({
      kind: 'generate',
      text: goldenStory,
      finishReason: 'length',
      usage: { promptTokens: 5, completionTokens: 40 },
      warnings: [],
    });
  });

  it('stops at stop words and cuts them off', async () => {
    const result = await backend.doGenerate({ kind: 'generate', prompt: text('Once upon a time'), settings: greedy(60, ['.', '']) }, {});
    expect(result.text).toBe(', there was a little girl named Lily');
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.completionTokens).toBeLessThan(15);
  });

  it('warns about sampling settings it cannot honour', async () => {
    const settings = { ...greedy(3), temperature: 0.7, topK: 40, minOutLen: 2, seed: 1 };
    const result = await backend.doGenerate({ kind: 'generate', prompt: text('Once upon a time'), settings }, {});
    expect(result.warnings.map((warning) => warning.type === 'unsupported-setting' && warning.setting)).toEqual(['temperature', 'topK']);
  });

  it('scores the multiple-choice goldens and ranks them exactly', async () => {
    const scores: Record<string, number> = {};
    for (const [continuation, golden] of Object.entries(options)) {
      const result = await backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation }, {});
      expect(result.logprob).toBeCloseTo(golden, 2);
      expect(result.isGreedy).toBe(false);
      // Split inside the joint tokenization: ` dog` is `▁do g`, without the stray `▁` of tokenizing it alone.
      expect(result.tokenCount).toBe(continuation === ' tree' ? 3 : 2);
      scores[continuation] = result.logprob;
    }
    const ranking = Object.keys(scores).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    expect(ranking).toEqual([' tree', ' dog', ' ball', ' car']);
  });

  it('marks the greedy continuation as greedy', async () => {
    const generated = await backend.doGenerate({ kind: 'generate', prompt: text(context), settings: greedy(4) }, {});
    const result = await backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation: generated.text }, {});
    expect(result).toMatchObject({ isGreedy: true, tokenCount: 4 });
  });

  it('tokenizes with BOS (id 1) as llama.cpp does for the GGUF', () => {
    expect(backend.tokenize('Hello world')).toEqual([1, 346, 306, 414, 263, 304, 341]);
    expect(backend.tokenize('Hi, there! ok?')).toEqual([1, 320, 417, 432, 383, 443, 334, 433, 450]);
    expect(backend.tokenize('a\nb')).toEqual([1, 261, 13, 430]);
    expect(backend.tokenize('café naïve')).toEqual([1, 280, 412, 431, 485, 297, 412, 198, 178, 360]);
    expect(backend.tokenize('12345 and 2024')).toEqual([1, 410, 475, 479, 472, 484, 480, 269, 410, 479, 477, 479, 484]);
    expect(backend.tokenize(' dog', { addSpecialTokens: false })).toEqual([410, 400, 428]);
  });

  it('computes OpenCompass PPL equal to a sum over one full forward pass', async () => {
    const request = pplRequest();
    const result = await backend.doPerplexity(request, {});
    const expected = await independentPpl(request.candidates.map((candidate) => candidate.text));
    expect(result.scores).toHaveLength(4);
    result.scores.forEach((score, index) => {
      expect(score.ppl).toBeCloseTo(expected[index]?.ppl as number, 4);
      expect(score.tokenCount).toBe(expected[index]?.tokenCount);
      const suffix = request.candidates[index]?.suffix as string;
      expect(score.suffixTokenCount).toBe(backend.tokenize(suffix, { addSpecialTokens: false }).length);
    });
  });

  it('gives the same PPL with and without prefix reuse, evaluating fewer tokens with it', async () => {
    const request = pplRequest();
    const [reused, whole] = await Promise.all([backend.doPerplexity(request, {}), wholeBackend.doPerplexity(request, {})]);
    reused.scores.forEach((score, index) => {
      expect(Math.abs(score.ppl - (whole.scores[index]?.ppl as number))).toBeLessThan(1e-4);
      expect(score.tokenCount).toBe(whole.scores[index]?.tokenCount);
    });
    const totalTokens = whole.scores.reduce((total, score) => total + score.tokenCount, 0);
    expect(whole.evaluatedTokens).toBe(totalTokens);
    expect(reused.evaluatedTokens).toBeLessThan(totalTokens / 3);
  });

  it('serves concurrent calls with the same results as sequential ones', async () => {
    const calls = [
      () => backend.doGenerate({ kind: 'generate', prompt: text('Once upon a time'), settings: greedy(20) }, {}),
      () => backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation: ' dog' }, {}),
      () => backend.doPerplexity(pplRequest(), {}),
      () => backend.doGenerate({ kind: 'generate', prompt: text(context), settings: greedy(10, ['.']) }, {}),
      () => backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation: ' tree' }, {}),
    ];
    const sequential = [];
    for (const call of calls) sequential.push(await call());
    const concurrent = await Promise.all([...calls, ...calls].map((call) => call()));
    expect(concurrent).toEqual([...sequential, ...sequential]);
  });

  it('evaluates inputs longer than the trained context (as llama.cpp does) and warns once', async () => {
    const fresh = new TransformersBackend({ modelPath, promptKind: 'text' });
    await fresh.doStart({});
    const long = 'Lily went to the park. '.repeat(30);
    const scored = await fresh.doLoglikelihood({ kind: 'loglikelihood', context: long, continuation: ' She' }, {});
    expect(Number.isFinite(scored.logprob)).toBe(true);
    expect(scored.logprob).toBeLessThan(0);
    const first = await fresh.doGenerate({ kind: 'generate', prompt: text(long), settings: greedy(8) }, {});
    expect(first.text.length).toBeGreaterThan(0);
    const second = await fresh.doGenerate({ kind: 'generate', prompt: text(long), settings: greedy(8) }, {});
    expect(second.text).toBe(first.text);
    const warnings = [...first.warnings, ...second.warnings].filter((warning) => warning.type === 'other' && warning.message.includes('trained context'));
    expect(warnings.length).toBeLessThanOrEqual(1);
    await fresh.doClose();
  });

  it('turns an aborted call into a retryable call error', async () => {
    const error = await backend
      .doLoglikelihood({ kind: 'loglikelihood', context, continuation: ' dog' }, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(BackendCallError.isInstance(error) && error.isRetryable).toBe(true);
  });

  it('joins messages by newlines, with a warning, when the model has no chat template', async () => {
    const chat = new TransformersBackend({ modelPath, promptKind: 'messages' });
    const started = await chat.doStart({});
    expect(started.warnings).toEqual([expect.objectContaining({ type: 'other', message: expect.stringContaining('no chat template') })]);
    const prompt = { kind: 'messages', messages: [{ role: 'user', content: 'Once upon a time' }] } as const;
    const result = await chat.doGenerate({ kind: 'generate', prompt, settings: greedy(40) }, {});
    expect(result.text).toBe(goldenStory);
    expect(result.warnings).toHaveLength(1);
    await expect(chat.doGenerate({ kind: 'generate', prompt: text('Once'), settings: greedy(3) }, {})).rejects.toThrow(/messages prompts/);
    await chat.doClose();
    await chat.doClose();
  });
});

describe('TransformersBackend without a model', () => {
  it('fails to start with BackendUnavailableError on a missing folder', async () => {
    const backend = new TransformersBackend({ modelPath: '/nonexistent/model-folder', promptKind: 'text' });
    const error = await backend.doStart({}).catch((caught: unknown) => caught);
    expect(EvalError.isInstance(error) && error.name).toBe('EVAL_BackendUnavailableError');
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toContain('/nonexistent/model-folder');
  });

  it('refuses calls before doStart', async () => {
    const backend = new TransformersBackend({ modelPath, promptKind: 'text' });
    await expect(backend.doLoglikelihood({ kind: 'loglikelihood', context, continuation: ' dog' }, {})).rejects.toThrow(/not started/);
  });
});

/** PPL from first principles: one forward pass over the whole text, log-softmax per row in float64. */
async function independentPpl(texts: readonly string[]): Promise<Array<{ ppl: number; tokenCount: number }>> {
  const { AutoModelForCausalLM, AutoTokenizer, Tensor, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained(modelPath, { local_files_only: true });
  const model = await AutoModelForCausalLM.from_pretrained(modelPath, { dtype: 'fp32', local_files_only: true });
  const results = [];
  for (const value of texts) {
    const ids = tokenizer.encode(value);
    const inputIds = new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
    const { logits } = (await model({ input_ids: inputIds, attention_mask: mask })) as { logits: InstanceType<typeof Tensor> };
    const rows = logits.tolist()[0] as number[][];
    let nll = 0;
    for (let position = 1; position < ids.length; position++) {
      const row = rows[position - 1] as number[];
      const max = Math.max(...row);
      const logSumExp = max + Math.log(row.reduce((total, logit) => total + Math.exp(logit - max), 0));
      nll += logSumExp - (row[ids[position] as number] as number);
    }
    results.push({ ppl: nll / ids.length, tokenCount: ids.length });
  }
  await model.dispose();
  return results;
}
