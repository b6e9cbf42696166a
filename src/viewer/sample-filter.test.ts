import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gsm8kPostprocess } from '../postprocess/gsm8k-postprocess.js';
import { resolveAnswerExtractors } from './answer-extractor.js';
import { buildSampleFacts, sampleFlag } from './sample-facts.js';
import { buildSampleLogIndex } from './sample-log-index.js';
import { applySampleFilter, parseSampleFilter, sampleFilterParams, type SampleFilter } from './sample-filter.js';
import { ViewerRequestError } from './viewer-request-error.js';
import { ViewerStore } from './viewer-store.js';

const workDir = fileURLToPath(new URL('./__fixtures__/work', import.meta.url));
const none: SampleFilter = { wrong: false, unextracted: false, failed: false, discordant: false, query: '' };

// Fixture run A, ceval-computer_network (ceval_gen: first_capital_postprocess), samples by index:
//   0 "B" gold B → correct · 1 "The answer is C." gold C → "T": wrong, no option · 2 failed (retried, still failing)
//   3 "答案是D" gold A → wrong. Run B: 0 wrong, 1 correct, 2 correct, 3 wrong → discordant 0, 1, 2.
async function fixture() {
  const store = new ViewerStore(workDir);
  const [first, second] = await Promise.all([store.run('20260101_120000'), store.run('20260102_120000')]);
  return { store, first, second };
}

async function filtered(filter: Partial<SampleFilter>): Promise<number[]> {
  const { store, first } = await fixture();
  const result = await store.filterSamples(first, 'toy', 'ceval-computer_network', { ...none, ...filter });
  const positions = result.positions ?? Int32Array.from({ length: result.total }, (_, at) => at);
  return [...positions].map((position) => result.index.sampleIndexes[position] as number);
}

describe('sample facts', () => {
  it('score each sample with the dataset postprocessor, exactly as the summary did', async () => {
    const { store, first } = await fixture();
    const facts = await store.sampleFacts(first, 'toy', 'ceval-computer_network');
    expect([...facts.flags]).toEqual([sampleFlag.correct, sampleFlag.unextracted, sampleFlag.failed | sampleFlag.unextracted, 0]);
    expect(facts.correctCount / facts.index.count).toBe(0.25); // the summary says 25.00
    expect({ failed: facts.failedCount, unextracted: facts.unextractedCount }).toEqual({ failed: 1, unextracted: 2 });
  });
});

describe('sample facts of a dataset whose answers are not letters', () => {
  it("count an answer as extracted by the dataset's answer format (GSM8K: a number; NULL when none was found)", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sextant-viewer-facts-'));
    const path = join(folder, 'gsm8k.jsonl');
    const predictions = ['so the answer is 18', 'I do not know', 'It costs $1,000 in all.', ''];
    const lines = predictions.map((prediction, index) => JSON.stringify({ index, key: `k${index}`, originPrompt: `q${index}`, prediction, gold: '18' }));
    await writeFile(path, `${lines.join('\n')}\n`);
    const found = resolveAnswerExtractors(['gsm8k_gen']).found.get('gsm8k');
    expect(found).toBeDefined();
    const facts = await buildSampleFacts({
      index: await buildSampleLogIndex(path),
      extractor: { name: 'gsm8k_postprocess', extract: (sample) => gsm8kPostprocess(sample.prediction), found: found! },
    });
    // Computed here: gsm8k_postprocess gives the last number, or NULL.
    const expected = predictions.map((prediction) => (/\d/.test(prediction) ? 0 : sampleFlag.unextracted));
    expect([...facts.flags].map((flags) => flags & sampleFlag.unextracted)).toEqual(expected);
    expect(facts.unextractedCount).toBe(2);
  });
});

describe('filters', () => {
  it('wrong, unextracted, failed, and their combination (all must hold)', async () => {
    expect(await filtered({})).toEqual([0, 1, 2, 3]);
    expect(await filtered({ wrong: true })).toEqual([1, 2, 3]);
    expect(await filtered({ unextracted: true })).toEqual([1, 2]);
    expect(await filtered({ failed: true })).toEqual([2]);
    expect(await filtered({ wrong: true, unextracted: true, failed: false })).toEqual([1, 2]);
  });

  it('discordant: correctness differs from the compared run at the same index', async () => {
    expect(await filtered({ discordant: true, compareRun: '20260102_120000' })).toEqual([0, 1, 2]);
    expect(await filtered({ discordant: true, wrong: true, compareRun: '20260102_120000' })).toEqual([1, 2]);
    const { store, first, second } = await fixture();
    const comparison = await store.compare({ run: first, model: 'toy' }, { run: second, model: 'toy' }, 'ceval-computer_network');
    expect({ paired: comparison.paired, b: comparison.onlyFirstCorrect, c: comparison.onlySecondCorrect }).toEqual({ paired: 4, b: 1, c: 2 });
  });

  it('text search in prompt and prediction, ignoring case, for ASCII and CJK text', async () => {
    expect(await filtered({ query: 'SCRIPT>alert' })).toEqual([1]);
    expect(await filtered({ query: 'answer is c' })).toEqual([1]);
    expect(await filtered({ query: 'HTTP 默认端口' })).toEqual([2]);
    expect(await filtered({ query: '计算机网络' })).toEqual([0, 1, 2, 3]);
    expect(await filtered({ query: '答案是D' })).toEqual([3]);
    expect(await filtered({ query: '"x"' })).toEqual([1]);
    // The error message and gold are not searched.
    expect(await filtered({ query: 'bad request' })).toEqual([]);
    expect(await filtered({ query: 'calculus', wrong: true })).toEqual([]);
  });

  it('refuses a discordant filter without the discordant positions', async () => {
    const { store, first } = await fixture();
    const facts = await store.sampleFacts(first, 'toy', 'ceval-computer_network');
    expect(() => applySampleFilter({ facts, filter: { ...none, discordant: true } })).toThrow(ViewerRequestError);
  });
});

describe('parseSampleFilter', () => {
  it('reads flags, search text and the compared run, and writes them back', () => {
    const filter = parseSampleFilter(new URLSearchParams('wrong=1&failed=on&unextracted=0&q=%20答案%20&compare=20260102_120000&compareModel=toy&page=2'));
    expect(filter).toEqual({
      wrong: true,
      unextracted: false,
      failed: true,
      discordant: false,
      query: '答案',
      compareRun: '20260102_120000',
      compareModel: 'toy',
    });
    expect(sampleFilterParams(filter)).toEqual([
      ['wrong', '1'],
      ['failed', '1'],
      ['q', '答案'],
      ['compare', '20260102_120000'],
      ['compareModel', 'toy'],
    ]);
  });

  it('answers 400 for malformed values', () => {
    for (const query of ['wrong=yes', 'compare=../etc', `q=${'x'.repeat(201)}`]) {
      let caught: unknown;
      try {
        parseSampleFilter(new URLSearchParams(query));
      } catch (error) {
        caught = error;
      }
      expect(ViewerRequestError.isInstance(caught) && caught.status, query).toBe(400);
    }
  });
});
