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
});

describe('resolveExtractor', () => {
  it('accepts OpenCompass names and short forms, and rejects unknown ones with the known list', () => {
    expect(resolveExtractor('first_option_postprocess').name).toBe('first_option_postprocess');
    expect(resolveExtractor('first-capital').name).toBe('first_capital_postprocess');
    expect(resolveExtractor('first_capital').extract('The answer is B')).toBe('T');
    expect(() => resolveExtractor('last_number')).toThrow(/unknown extractor "last_number" \(known: first_capital_postprocess, first_option_postprocess\)/);
  });
});
