import { describe, expect, it } from 'vitest';
import { compareModelRuns } from './compare-model-runs.js';
import { comparisonVerdict } from './comparison-verdict.js';
import { formatComparisonMarkdown } from './format-comparison-markdown.js';
import { formatComparisonText } from './format-comparison-text.js';
import type { ModelRun } from './read-model-run.js';

function run(root: string, answers: string, stopWords: readonly string[] = []): ModelRun {
  return {
    info: { root, timestamp: '20260101_000000', datasets: ['x'], datasetVersions: { 'ceval-law': 'v1' }, limit: null, models: [{ abbr: 'm' }] },
    model: { abbr: 'm', generation: { temperature: 0, stopWords } },
    unscored: [],
    datasets: [
      {
        abbr: 'ceval-law',
        version: 'v1',
        extraction: 'first_capital_postprocess',
        samples: [...answers].map((answer, index) => ({
          index,
          gold: 'A',
          raw: `${answer} | line one\nline two`,
          extracted: answer,
          correct: answer === 'A',
          originPrompt: `q${index}`,
        })),
      },
    ],
  };
}

describe('comparisonVerdict', () => {
  it('reads the interval as magnitudes in the direction of the change', () => {
    const base = { samples: 100, minimumPairs: 6, alpha: 0.05 };
    expect(comparisonVerdict({ ...base, pValue: 0.01, difference: -1.2, lower: -2.1, upper: -0.3 })).toEqual({
      direction: 'lower',
      text: 'B is lower by 1.2 points [0.3, 2.1]',
    });
    expect(comparisonVerdict({ ...base, pValue: 0.01, difference: 3.04, lower: 0.96, upper: 5.2 })).toEqual({
      direction: 'higher',
      text: 'B is higher by 3.0 points [1.0, 5.2]',
    });
    expect(comparisonVerdict({ ...base, pValue: 0.2, difference: -5, lower: -9, upper: -1 })).toEqual({ direction: 'none', text: 'no detectable difference' });
  });

  it('needs both the test and the interval, and enough pairs', () => {
    const base = { samples: 100, minimumPairs: 6, alpha: 0.05 };
    expect(comparisonVerdict({ ...base, pValue: 0.01, difference: -5, lower: -9, upper: 1 }).direction).toBe('none');
    expect(comparisonVerdict({ ...base, pValue: 0.05, difference: -5, lower: -9, upper: -1 }).direction).toBe('lower');
    expect(comparisonVerdict({ ...base, samples: 5, pValue: 0.01, difference: -100, lower: -100, upper: -50 })).toEqual({
      direction: 'not-enough-data',
      text: 'not enough data (5 paired; a verdict needs ≥ 6)',
    });
  });
});

describe('formatComparisonText and formatComparisonMarkdown', () => {
  const comparison = compareModelRuns({
    a: run('/runs/a', 'AAAAAAAAAAAA'),
    b: run('/runs/b', 'BBBBBBBBBBBA', ['</s>']),
    groups: [{ name: 'ceval-humanities', subsets: ['ceval-law'], average: 'naive' }],
    failIfWorse: 1,
  });

  it('prints the pairing and measurement changes first, then the tables, methods, own scores, agreement, discordant samples and the gate', () => {
    const text = formatComparisonText(comparison, { discordantLimit: 3 });
    const order = [
      'A: /runs/a',
      'Paired 12 samples',
      'NOT A PURE DEPLOYMENT CHECK',
      'generation: generation.stopWords differs (A [], B ["</s>"])',
      '\ndataset ',
      '\nceval-humanities',
      'Intervals: 95% Newcombe',
      'Own full scores',
      'Backend agreement',
      'Requests differed:',
      'Discordant samples: 11',
      'Gate --fail-if-worse 1: FAILED',
    ];
    const positions = order.map((needle) => text.indexOf(needle));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((left, right) => left - right)).toEqual(positions);
    expect(text).toMatch(
      /^ceval-law\s+12\s+100\.00\s+8\.33\s+-91\.67\s+\[-\d+\.\d\d, -\d+\.\d\d\]\s+11\s+0\s+0\.0010\s+0\.0010\s+B is lower by 91\.7 points \[\d+\.\d, \d+\.\d\]\s+100\.00 \(12\)\s+8\.33 \(12\)$/m,
    );
    expect(text).toContain('… and 8 more (all are listed in compare.md and compare.json)');
    expect(text).toContain('  - group ceval-humanities (naive_average): -91.67 points');
    // Raw outputs stay on one line.
    expect(text).toContain('A | line one⏎line two');
  });

  it('writes Markdown with every discordant sample and escaped cells', () => {
    const markdown = formatComparisonMarkdown(comparison);
    expect(markdown.startsWith('# sextant compare\n')).toBe(true);
    expect(markdown.indexOf('## What changed besides the deployment')).toBeLessThan(markdown.indexOf('## Datasets'));
    expect(markdown).toContain('| dataset | n | A | B | B−A | 95% CI | b | c | p | p (Holm) | verdict | A own (n) | B own (n) |');
    expect(markdown).toContain('Tests: exact McNemar per dataset, Holm-adjusted across 1 dataset(s)');
    expect(markdown).toContain('## Discordant samples (11)');
    expect(markdown.match(/^\| ceval-law \| \d+ \| A \| A \|/gm)).toHaveLength(11);
    expect(markdown).toContain('A \\| line one⏎line two');
    expect(markdown).toContain('## Gate\n\nGate --fail-if-worse 1: FAILED');
  });

  it('says so when only the deployment differs', () => {
    const same = compareModelRuns({ a: run('/runs/a', 'AAB'), b: run('/runs/b', 'AAB'), groups: [] });
    expect(formatComparisonText(same)).toContain('Same prompts, templates, generation parameters and prompt versions: a deployment check.');
    expect(formatComparisonText(same)).toContain('Discordant samples: none.');
    expect(formatComparisonMarkdown(same)).toContain('Nothing: same prompts, templates, generation parameters and prompt versions.');
  });
});
