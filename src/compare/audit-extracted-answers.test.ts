import { describe, expect, it } from 'vitest';
import { postprocessors } from '../postprocess/index.js';
import { auditExtractedAnswers } from './audit-extracted-answers.js';
import type { DatasetSamples } from './read-model-run.js';
import { resolveExtractor } from './resolve-extractor.js';

function dataset(abbr: string, rows: ReadonlyArray<{ raw: string; gold: string; error?: string }>): DatasetSamples {
  const extract = postprocessors.first_capital_postprocess;
  return {
    abbr,
    version: 'v1',
    extraction: 'first_capital_postprocess',
    samples: rows.map((row, index) => {
      const extracted = extract(row.raw);
      return { index, gold: row.gold, raw: row.raw, extracted, correct: extracted === row.gold, originPrompt: '', ...(row.error ? { error: row.error } : {}) };
    }),
  };
}

const law = dataset('ceval-law', [
  { raw: 'A', gold: 'A' },
  { raw: 'The answer is B', gold: 'B' },
  { raw: '选c', gold: 'C' },
  { raw: '答案是C。', gold: 'C' },
  { raw: '', gold: 'D', error: 'HTTP 500 after 3 attempts' },
]);
const logic = dataset('ceval-logic', [
  { raw: 'D. 因为……', gold: 'D' },
  { raw: '我认为选项B是正确的', gold: 'B' },
]);

describe('auditExtractedAnswers', () => {
  it('gives the extraction rate per dataset and lists every unextracted sample', () => {
    const audit = auditExtractedAnswers({ datasets: [law, logic] });
    const [lawAudit, logicAudit] = audit.datasets;
    expect(lawAudit).toMatchObject({ dataset: 'ceval-law', extraction: 'first_capital_postprocess', samples: 5, extracted: 2, rate: 40, accuracy: 40 });
    expect(lawAudit?.unextracted).toEqual([
      { index: 1, gold: 'B', raw: 'The answer is B', extracted: 'T' },
      { index: 2, gold: 'C', raw: '选c', extracted: '' },
      { index: 4, gold: 'D', raw: '', extracted: '', error: 'HTTP 500 after 3 attempts' },
    ]);
    expect(logicAudit).toMatchObject({ samples: 2, extracted: 2, rate: 100, unextracted: [] });
    expect(lawAudit?.second).toBeUndefined();
    expect(audit.totals).toEqual({ samples: 7, extracted: 4, rate: (100 * 4) / 7 });
  });

  it('runs a second extractor side by side and lists the samples where the two disagree', () => {
    const audit = auditExtractedAnswers({ datasets: [law, logic], second: resolveExtractor('first_option') });
    const [lawAudit, logicAudit] = audit.datasets;
    expect(lawAudit?.second).toEqual({
      extractor: 'first_option_postprocess',
      extracted: 3,
      rate: 60,
      accuracy: 60,
      disagreements: [{ index: 1, gold: 'B', raw: 'The answer is B', primary: 'T', secondary: 'B' }],
    });
    expect(logicAudit?.second?.disagreements).toEqual([]);
    expect(audit.totals.second).toEqual({ extracted: 5, rate: (100 * 5) / 7, disagreements: 1 });
  });

  it('takes the valid options as given', () => {
    const audit = auditExtractedAnswers({ datasets: [logic], validOptions: 'AB' });
    expect(audit.datasets[0]).toMatchObject({ extracted: 1, unextracted: [{ index: 0, extracted: 'D' }] });
  });

  it('audits each dataset by its own answer format and names the rule: numbers, free text, programs, several letters, PPL labels', () => {
    const recorded = (abbr: string, answerFormat: DatasetSamples['answerFormat'], answers: readonly string[]): DatasetSamples => ({
      abbr,
      version: 'v1',
      extraction: 'recorded',
      ...(answerFormat !== undefined ? { answerFormat } : {}),
      samples: answers.map((extracted, index) => ({ index, gold: '1', raw: `raw ${index}`, extracted, correct: extracted === '1', originPrompt: '' })),
    });
    const audit = auditExtractedAnswers({
      datasets: [
        // gsm8k_postprocess gives NULL when the output has no number.
        recorded('gsm8k', { kind: 'number' }, ['18', 'NULL', '-3.5', '1,000', '']),
        recorded('nq', { kind: 'text' }, ['paris', '  ', '']),
        recorded('openai_humaneval', { kind: 'program' }, ['    return 1', '']),
        recorded('agieval-gaokao-physics', { kind: 'options', options: 'ABCDE', multiple: true }, ['ACD', 'AZ', 'E', '']),
        recorded('ceval-law-ppl', 'label', ['A', 'B']),
        recorded('unknown-config', undefined, ['A', 'E']),
      ],
    });
    const summary = audit.datasets.map((dataset) => [dataset.dataset, dataset.rule, dataset.extracted, dataset.unextracted.map((sample) => sample.index)]);
    expect(summary).toEqual([
      ['gsm8k', 'a number', 3, [1, 4]],
      ['nq', 'non-empty text', 1, [1, 2]],
      ['openai_humaneval', 'a non-empty program', 1, [1]],
      ['agieval-gaokao-physics', 'one or more of A, B, C, D, E', 2, [1, 3]],
      ['ceval-law-ppl', 'a PPL label (always)', 2, []],
      ['unknown-config', 'one of A, B, C, D', 1, [1]],
    ]);
    expect(audit.totals).toEqual({ samples: 18, extracted: 10, rate: (100 * 10) / 18 });
    expect(auditExtractedAnswers({ datasets: [law] }).datasets[0]?.rule).toBe('one of A, B, C, D');
  });
});

describe('resolveExtractor', () => {
  it('accepts OpenCompass names and short forms, and rejects unknown ones with the known list', () => {
    expect(resolveExtractor('first_option_postprocess').name).toBe('first_option_postprocess');
    expect(resolveExtractor('first-capital').name).toBe('first_capital_postprocess');
    expect(resolveExtractor('first_capital').extract('The answer is B')).toBe('T');
    expect(() => resolveExtractor('last_number')).toThrow(/unknown extractor "last_number" \(known: first_capital_postprocess, first_option_postprocess\)/);
  });
});
