import { describe, expect, it } from 'vitest';
import { holmCorrection, mcnemarExact } from '../stats/index.js';
import type { SummaryGroup } from '../spec/index.js';
import { summaryGroups } from '../registry/dataset-registry.js';
import { compareModelRuns } from './compare-model-runs.js';
import { formatComparisonText } from './format-comparison-text.js';
import type { DatasetSamples, ModelRun, ScoredSample } from './read-model-run.js';

/** A dataset of synthetic samples: gold is always 'A'; a correct sample answers 'A', a wrong one 'B'. */
interface SyntheticDataset {
  abbr: string;
  outcomes: ReadonlyArray<0 | 1>;
  version?: string;
  /** Sample indexes (default 0..n-1). */
  indexes?: readonly number[];
  prompt?: (index: number) => unknown;
  /** Generations per question (`--num-samples`): sample i is generation i mod this. */
  generations?: number;
}

function syntheticRun(datasets: readonly SyntheticDataset[], root = '/runs/a'): ModelRun {
  const samples = (dataset: SyntheticDataset): ScoredSample[] =>
    dataset.outcomes.map((outcome, position) => {
      const index = dataset.indexes?.[position] ?? position;
      const answer = outcome === 1 ? 'A' : 'B';
      return {
        index,
        gold: 'A',
        raw: `${answer}.`,
        extracted: answer,
        correct: outcome === 1,
        originPrompt: dataset.prompt?.(index) ?? `question ${dataset.abbr} ${index}`,
        ...(dataset.generations ? { repeat: index % dataset.generations } : {}),
      };
    });
  const built: DatasetSamples[] = datasets.map((dataset) => ({
    abbr: dataset.abbr,
    version: dataset.version ?? 'v1',
    extraction: 'first_capital_postprocess',
    samples: samples(dataset),
  }));
  return {
    info: {
      root,
      timestamp: '20260101_000000',
      datasets: ['synthetic'],
      datasetVersions: Object.fromEntries(datasets.map((dataset) => [dataset.abbr, dataset.version ?? 'v1'])),
      limit: null,
      models: [{ abbr: 'model' }],
    },
    model: { abbr: 'model', config: { type: 'openai' }, generation: { temperature: 0, stopWords: [] }, promptStyle: { kind: 'messages', messageStyle: 'api' } },
    datasets: built,
    unscored: [],
  };
}

/** Deterministic 0/1 outcomes with about `share` ones. */
function outcomes(count: number, share: number, salt: number): Array<0 | 1> {
  return Array.from({ length: count }, (_, index) => (((index * 7919 + salt * 104729) % 100) / 100 < share ? 1 : 0));
}

/** `base` with the first `flips` correct answers made wrong. */
function worsen(base: ReadonlyArray<0 | 1>, flips: number): Array<0 | 1> {
  let left = flips;
  return base.map((outcome) => {
    if (outcome === 1 && left > 0) {
      left -= 1;
      return 0;
    }
    return outcome;
  });
}

const subjects = ['s1', 's2', 's3', 's4'];
const allGroup: SummaryGroup[] = [
  { name: 'all', subsets: subjects, average: 'naive' },
  { name: 'all', subsets: subjects, average: 'questions' },
];

describe('compareModelRuns', () => {
  it('detects a planted drop with the right sign, interval and verdict', () => {
    const base = subjects.map((abbr, salt) => ({ abbr, outcomes: outcomes(60, 0.7, salt) }));
    const a = syntheticRun(base);
    const b = syntheticRun(
      base.map((dataset) => ({ ...dataset, outcomes: worsen(dataset.outcomes, 12) })),
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups: allGroup, failIfWorse: 1 });

    expect(comparison.datasets).toHaveLength(4);
    for (const row of comparison.datasets) {
      expect(row.samples).toBe(60);
      expect(row.difference).toBeCloseTo(-20, 10);
      expect(row.accuracyB - row.accuracyA).toBeCloseTo(-20, 10);
      expect([row.b, row.c]).toEqual([12, 0]);
      expect(row.pValue).toBeCloseTo(2 * 0.5 ** 12, 15);
      expect(row.adjustedPValue).toBeCloseTo(4 * 2 * 0.5 ** 12, 15);
      expect(row.upper).toBeLessThan(0);
      expect(row.lower).toBeLessThanOrEqual(row.difference);
      expect(row.verdict.direction).toBe('lower');
      expect(row.verdict.text).toBe(`B is lower by 20.0 points [${(-row.upper).toFixed(1)}, ${(-row.lower).toFixed(1)}]`);
    }
    const [naive, weighted] = comparison.groups;
    expect(naive).toMatchObject({ group: 'all', metric: 'naive_average', subsets: 4, samples: 240, b: 48, c: 0 });
    expect(naive?.difference).toBeCloseTo(-20, 10);
    expect(naive?.upper).toBeLessThan(0);
    expect(naive?.verdict.direction).toBe('lower');
    expect(weighted?.metric).toBe('weighted_average');
    expect(comparison.gate?.tripped).toBe(true);
    expect(comparison.gate?.failures.map((failure) => `${failure.kind}:${failure.name}`)).toEqual([
      'dataset:s1',
      'dataset:s2',
      'dataset:s3',
      'dataset:s4',
      'group:all',
      'group:all',
    ]);
    expect(compareModelRuns({ a, b, groups: allGroup, failIfWorse: 25 }).gate).toEqual({ threshold: 25, tripped: false, failures: [] });
    // The drop must exceed the threshold with the stated confidence (upper < −threshold), not just on its point estimate.
    const row = comparison.datasets[0]!;
    const between = (-row.upper + -row.difference) / 2;
    expect(-row.difference).toBeGreaterThan(between);
    const strict = compareModelRuns({ a, b, groups: [], failIfWorse: between });
    expect(strict.gate?.failures.some((failure) => failure.name === row.dataset)).toBe(false);
    expect(compareModelRuns({ a, b, groups: [], failIfWorse: -row.upper - 0.01 }).gate?.tripped).toBe(true);
  });

  it('reports a planted gain as B higher, with a positive difference', () => {
    const base = subjects.map((abbr, salt) => ({ abbr, outcomes: outcomes(80, 0.8, salt) }));
    const a = syntheticRun(base.map((dataset) => ({ ...dataset, outcomes: worsen(dataset.outcomes, 20) })));
    const b = syntheticRun(base, '/runs/b');
    const comparison = compareModelRuns({ a, b, groups: allGroup, failIfWorse: 0 });
    expect(comparison.datasets.every((row) => row.difference === 25 && row.verdict.direction === 'higher' && row.lower > 0)).toBe(true);
    expect(comparison.groups[0]?.verdict.text).toMatch(/^B is higher by 25\.0 points \[\d+\.\d, \d+\.\d\]$/);
    expect(comparison.gate?.tripped).toBe(false);
  });

  it('finds no detectable difference between identical runs', () => {
    const datasets = subjects.map((abbr, salt) => ({ abbr, outcomes: outcomes(40, 0.5, salt) }));
    const comparison = compareModelRuns({ a: syntheticRun(datasets), b: syntheticRun(datasets, '/runs/b'), groups: allGroup, failIfWorse: 0 });
    for (const row of [...comparison.datasets, ...comparison.groups]) {
      expect({ difference: row.difference, b: row.b, c: row.c }).toEqual({ difference: 0, b: 0, c: 0 });
      // Agreement on 40 questions does not prove equality: the interval keeps a width (no zero-width bootstrap).
      expect(row.lower).toBeLessThan(-1);
      expect(row.upper).toBeGreaterThan(1);
      expect(row.verdict).toEqual({ direction: 'none', text: 'no detectable difference' });
    }
    expect(comparison.datasets.every((row) => row.pValue === 1 && row.adjustedPValue === 1)).toBe(true);
    expect(comparison.discordant).toEqual([]);
    expect(comparison.agreement).toMatchObject({ paired: 160, extracted: 160, raw: 160, promptsDiffer: 0 });
    expect(comparison.measurementChanges).toEqual([]);
    expect(comparison.configDifferences).toEqual([]);
    expect(comparison.gate?.tripped).toBe(false);
  });

  it('counts the discordant pairs exactly and lists each one', () => {
    const a = syntheticRun([{ abbr: 's1', outcomes: [1, 1, 0, 0, 1, 0, 1] }]);
    const b = syntheticRun([{ abbr: 's1', outcomes: [1, 0, 1, 0, 0, 0, 1] }], '/runs/b');
    const [row] = compareModelRuns({ a, b, groups: [] }).datasets;
    expect(row).toMatchObject({ samples: 7, b: 2, c: 1, pValue: mcnemarExact({ b: 2, c: 1 }) });
    const { discordant } = compareModelRuns({ a, b, groups: [] });
    expect(discordant.map((sample) => [sample.index, sample.correct, sample.a.extracted, sample.b.extracted])).toEqual([
      [1, 'A', 'A', 'B'],
      [2, 'B', 'B', 'A'],
      [4, 'A', 'A', 'B'],
    ]);
    expect(discordant[0]).toMatchObject({ dataset: 's1', gold: 'A', a: { raw: 'A.' }, b: { raw: 'B.' } });
  });

  it('applies Holm across datasets: a raw p below alpha can become not significant', () => {
    // s1: b = 6, c = 0 gives p = 2 / 64 = 0.03125; s2, s3 are identical (p = 1).
    const a = syntheticRun([
      { abbr: 's1', outcomes: [1, 1, 1, 1, 1, 1, 0, 0] },
      { abbr: 's2', outcomes: [1, 0, 1, 0] },
      { abbr: 's3', outcomes: [0, 0, 1, 1] },
    ]);
    const b = syntheticRun(
      [
        { abbr: 's1', outcomes: [0, 0, 0, 0, 0, 0, 0, 0] },
        { abbr: 's2', outcomes: [1, 0, 1, 0] },
        { abbr: 's3', outcomes: [0, 0, 1, 1] },
      ],
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups: [] });
    const pValues = comparison.datasets.map((row) => row.pValue);
    expect(pValues).toEqual([0.03125, 1, 1]);
    expect(comparison.datasets.map((row) => row.adjustedPValue)).toEqual(holmCorrection(pValues));
    expect(comparison.datasets[0]?.adjustedPValue).toBeCloseTo(0.09375, 15);
    expect(comparison.datasets[0]?.verdict.direction).toBe('none');
    expect(comparison.datasets.map((row) => row.verdict.text).slice(1)).toEqual([
      'not enough data (4 paired; a verdict needs ≥ 6)',
      'not enough data (4 paired; a verdict needs ≥ 6)',
    ]);
    // Alone, the same subject is significant.
    const alone = compareModelRuns({
      a: syntheticRun([{ abbr: 's1', outcomes: [1, 1, 1, 1, 1, 1, 0, 0] }]),
      b: syntheticRun([{ abbr: 's1', outcomes: [0, 0, 0, 0, 0, 0, 0, 0] }]),
      groups: [],
    });
    expect(alone.datasets[0]?.adjustedPValue).toBe(0.03125);
    expect(alone.datasets[0]?.verdict.direction).toBe('lower');
  });

  it('is reproducible for a seed', () => {
    const base = subjects.map((abbr, salt) => ({ abbr, outcomes: outcomes(50, 0.6, salt) }));
    const a = syntheticRun(base);
    const b = syntheticRun(
      base.map((dataset) => ({ ...dataset, outcomes: worsen(dataset.outcomes, 3) })),
      '/runs/b',
    );
    const first = compareModelRuns({ a, b, groups: allGroup, seed: 7, draws: 500 });
    const second = compareModelRuns({ a, b, groups: allGroup, seed: 7, draws: 500 });
    expect(second).toEqual(first);
    expect(first.settings).toEqual({ alpha: 0.05, confidence: 0.95, draws: 500, seed: 7, minimumPairs: 6 });
  });

  it('excludes unpaired samples and datasets whose prompt version differs, and counts them', () => {
    const a = syntheticRun([
      { abbr: 's1', outcomes: [1, 1, 0, 1], indexes: [0, 1, 2, 3] },
      { abbr: 's2', outcomes: [1, 0, 1], version: 'old' },
      { abbr: 'only-a', outcomes: [1, 1] },
    ]);
    const b = syntheticRun(
      [
        { abbr: 's1', outcomes: [1, 0, 1], indexes: [1, 3, 9] },
        { abbr: 's2', outcomes: [1, 0, 1, 1], version: 'new' },
        { abbr: 'only-b', outcomes: [0] },
      ],
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups: [{ name: 'g', subsets: ['s1', 's2'], average: 'naive' }] });
    expect(comparison.pairing).toEqual({
      paired: 2,
      onlyInA: 2 + 2,
      onlyInB: 1 + 1,
      excludedByVersion: 7,
      excludedByPrompt: 0,
      datasetsOnlyInA: ['only-a'],
      datasetsOnlyInB: ['only-b'],
      promptVersionMismatches: [{ dataset: 's2', versionA: 'old', versionB: 'new', samplesA: 3, samplesB: 4 }],
    });
    expect(comparison.datasets.map((row) => [row.dataset, row.samples, row.onlyInA, row.onlyInB])).toEqual([['s1', 2, 2, 1]]);
    // Indexes 1 and 3 pair: A (1, 1) vs B (1, 0).
    expect(comparison.datasets[0]).toMatchObject({ b: 1, c: 0 });
    expect(comparison.skippedGroups).toEqual([{ group: 'g', metric: 'naive_average', missing: ['s2'] }]);
    expect(comparison.groups).toEqual([]);
    expect(comparison.measurementChanges[0]).toMatch(/^prompt version differs for 1 dataset\(s\) \(e\.g\. s2: A old, B new\); their 7 samples were excluded$/);
    expect(comparison.configDifferences.map((difference) => [difference.kind, difference.field])).toEqual([
      ['prompt-version', 'datasetVersions.s2'],
      ['datasets', 'datasetVersions.only-a'],
      ['datasets', 'datasetVersions.only-b'],
    ]);
  });

  it('reports where rendered prompts differ, with a hash per run, as a measurement change', () => {
    const a = syntheticRun([
      { abbr: 's1', outcomes: [1, 0, 1, 1] },
      { abbr: 's2', outcomes: [1, 1] },
    ]);
    const b = syntheticRun(
      [
        { abbr: 's1', outcomes: [1, 0, 1, 1], prompt: (index) => (index >= 2 ? [{ role: 'HUMAN', prompt: `changed ${index}` }] : `question s1 ${index}`) },
        { abbr: 's2', outcomes: [1, 1] },
      ],
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups: [] });
    expect(comparison.agreement.promptsDiffer).toBe(2);
    const [difference] = comparison.agreement.requestsDiffered.prompts;
    expect(difference).toMatchObject({ dataset: 's1', samples: 2, present: 4, firstIndex: 2 });
    expect(difference?.hashA).toMatch(/^[0-9a-f]{12}$/);
    expect(difference?.hashA).not.toBe(difference?.hashB);
    // Pairs whose prompts differ are excluded: s1 compares indexes 0 and 1 only, and its own full scores stay whole.
    expect(comparison.pairing).toMatchObject({ paired: 4, excludedByPrompt: 2, onlyInA: 0, onlyInB: 0 });
    expect(comparison.datasets.map((row) => [row.samples, row.excluded, row.fullA.samples, row.fullB.samples])).toEqual([
      [2, 2, 4, 4],
      [2, 0, 2, 2],
    ]);
    expect(comparison.measurementChanges).toEqual(['rendered prompts differ in 1 dataset(s) (e.g. s1 #2); those 2 pair(s) were excluded']);
  });

  it('measures agreement of extracted answers and of raw outputs separately', () => {
    const a = syntheticRun([{ abbr: 's1', outcomes: [1, 1, 0, 0] }]);
    const b = syntheticRun([{ abbr: 's1', outcomes: [1, 1, 0, 0] }], '/runs/b');
    const dataset = b.datasets[0] as DatasetSamples;
    const changed: ModelRun = {
      ...b,
      datasets: [{ ...dataset, samples: dataset.samples.map((sample, index) => (index === 0 ? { ...sample, raw: 'A because…' } : sample)) }],
    };
    const comparison = compareModelRuns({ a, b: changed, groups: [] });
    expect(comparison.agreement).toMatchObject({ paired: 4, extracted: 4, raw: 3 });
    expect(comparison.datasets[0]?.agreement).toEqual({ extracted: 4, raw: 3 });
  });

  it('one discordant question among 52 one-question subjects: not significant, no zero-width interval, no gate failure', () => {
    const names = Array.from({ length: 52 }, (_, index) => `s${index}`);
    const groups: SummaryGroup[] = [{ name: 'ceval', subsets: names, average: 'naive' }];
    const a = syntheticRun(names.map((abbr) => ({ abbr, outcomes: [0] })));
    const b = syntheticRun(
      names.map((abbr, index) => ({ abbr, outcomes: [index === 0 ? 1 : 0] })),
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups, failIfWorse: 1 });
    const [group] = comparison.groups;
    expect(group).toMatchObject({
      samples: 52,
      b: 0,
      c: 1,
      pValue: 1,
      testMethod: 'sign-flip-mcnemar',
      intervalMethod: 'newcombe-pooled',
      effectiveSamples: 52,
    });
    expect(group?.difference).toBeCloseTo(100 / 52, 12);
    expect(group?.lower).toBeLessThan(-2);
    expect(group?.upper).toBeGreaterThan(8);
    expect(group?.verdict.direction).toBe('none');
    expect(comparison.datasets.every((row) => row.verdict.direction === 'not-enough-data')).toBe(true);
    expect(comparison.gate).toEqual({ threshold: 1, tripped: false, failures: [] });
  });

  it('tests a naive average over subjects of different sizes with the sign-flip test, and keeps its interval honest', () => {
    const groups: SummaryGroup[] = [
      { name: 'g', subsets: ['s1', 's2'], average: 'naive' },
      { name: 'g', subsets: ['s1', 's2'], average: 'questions' },
    ];
    const a = syntheticRun([
      { abbr: 's1', outcomes: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      { abbr: 's2', outcomes: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
    ]);
    const b = syntheticRun(
      [
        { abbr: 's1', outcomes: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1] },
        { abbr: 's2', outcomes: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      ],
      '/runs/b',
    );
    const [naive, weighted] = compareModelRuns({ a, b, groups }).groups;
    // Naive: (−40 − 30)/2 = −35; the sign-flip null puts every one of the 10 discordant pairs either way: p = 2 · 2^−10.
    expect(naive).toMatchObject({ testMethod: 'sign-flip-exact', b: 10, c: 0 });
    expect(naive?.difference).toBeCloseTo(-35, 12);
    expect(naive?.pValue).toBeCloseTo(2 / 1024, 12);
    // Kish: (Σw)²/Σw² = 1/(10/20² + 20/40²) = 1/(0.025 + 0.0125).
    expect(naive?.effectiveSamples).toBeCloseTo(1 / 0.0375, 12);
    expect(naive?.verdict.direction).toBe('lower');
    expect(weighted).toMatchObject({ testMethod: 'mcnemar-exact', pValue: mcnemarExact({ b: 10, c: 0 }), effectiveSamples: 30 });
    expect(weighted?.difference).toBeCloseTo(-100 / 3, 12);
  });

  it("compares OpenCompass's weights groups (mmlu-weighted): the pooled per-sample difference when weights are the sizes", () => {
    const aRows = [
      { abbr: 's1', outcomes: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as Array<0 | 1> },
      { abbr: 's2', outcomes: Array.from({ length: 30 }, (_, index) => (index % 3 === 0 ? 0 : 1)) as Array<0 | 1> },
    ];
    const bRows = [
      { abbr: 's1', outcomes: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1] as Array<0 | 1> },
      { abbr: 's2', outcomes: aRows[1]!.outcomes.map((outcome, index) => (index < 9 ? 1 : outcome)) as Array<0 | 1> },
    ];
    const a = syntheticRun(aRows);
    const b = syntheticRun(bRows, '/runs/b');
    // Per-sample tallies, computed here from the outcomes: b = A right & B wrong, c = B right & A wrong.
    const tally = (index: number) => {
      const left = aRows[index]!.outcomes;
      const right = bRows[index]!.outcomes;
      return {
        b: left.filter((outcome, position) => outcome === 1 && right[position] === 0).length,
        c: left.filter((outcome, position) => outcome === 0 && right[position] === 1).length,
        n: left.length,
        correctA: left.filter((outcome) => outcome === 1).length,
      };
    };
    const [t1, t2] = [tally(0), tally(1)];
    // Weights equal to the subsets' sizes (a full run): every pair weighs 1/40, as in the question-weighted mean.
    const sized = compareModelRuns({ a, b, groups: [{ name: 'w', subsets: ['s1', 's2'], average: 'weighted', weights: { s1: 10, s2: 30 } }] });
    expect(sized.skippedGroups).toEqual([]);
    const row = sized.groups[0]!;
    expect(row).toMatchObject({ group: 'w', metric: 'weighted_average', weighting: 'opencompass-weights', subsets: 2, samples: 40 });
    expect(row.difference).toBeCloseTo((100 * (t1.c + t2.c - t1.b - t2.b)) / 40, 12);
    expect(row.accuracyA).toBeCloseTo((100 * (t1.correctA + t2.correctA)) / 40, 12);
    expect(row.testMethod).toBe('sign-flip-mcnemar');
    expect(row.pValue).toBeCloseTo(mcnemarExact({ b: t1.b + t2.b, c: t1.c + t2.c }), 12);
    expect(row.effectiveSamples).toBeCloseTo(40, 9);
    expect(sized.fullScores.a).toEqual([{ group: 'w', metric: 'weighted_average', samples: 40, accuracy: (100 * (t1.correctA + t2.correctA)) / 40 }]);
    // Other weights (e.g. a --limit run, or weights unlike the sizes): Σ w·difference / Σ w, and the weighted sign-flip test.
    const uneven = compareModelRuns({ a, b, groups: [{ name: 'w', subsets: ['s1', 's2'], average: 'weighted', weights: { s1: 3, s2: 1 } }] }).groups[0]!;
    const expected = (3 * ((100 * (t1.c - t1.b)) / t1.n) + 1 * ((100 * (t2.c - t2.b)) / t2.n)) / 4;
    expect(uneven.difference).toBeCloseTo(expected, 12);
    expect(uneven.testMethod).toBe('sign-flip-exact');
    // Kish: 1/Σ(ω²/n) with ω = 3/4, 1/4.
    expect(uneven.effectiveSamples).toBeCloseTo(1 / ((3 / 4) ** 2 / 10 + (1 / 4) ** 2 / 30), 9);
    expect(uneven.lower).toBeLessThan(uneven.difference);
    expect(uneven.upper).toBeGreaterThan(uneven.difference);
  });

  it("compares the registry's mmlu-weighted by default, weighting each subject's difference by its test-set size", () => {
    const mmlu = summaryGroups().find((group) => group.name === 'mmlu-weighted')!;
    // Two questions per subject (a --limit 2 run): A right on both, B wrong on the first question of every third subject.
    const a = syntheticRun(mmlu.subsets.map((abbr) => ({ abbr, outcomes: [1, 1] as Array<0 | 1> })));
    const b = syntheticRun(
      mmlu.subsets.map((abbr, position) => ({ abbr, outcomes: (position % 3 === 0 ? [0, 1] : [1, 1]) as Array<0 | 1> })),
      '/runs/b',
    );
    const row = compareModelRuns({ a, b, draws: 2000 }).groups.find((group) => group.group === 'mmlu-weighted')!;
    const weights = mmlu.subsets.map((subset) => mmlu.weights![subset]!);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const expected = weights.reduce((sum, weight, position) => sum + weight * (position % 3 === 0 ? -50 : 0), 0) / total;
    expect(row).toMatchObject({ metric: 'weighted_average', weighting: 'opencompass-weights', subsets: 57, samples: 114, b: 19, c: 0 });
    expect(row.difference).toBeCloseTo(expected, 10);
    expect(row.accuracyA).toBeCloseTo(100, 10);
    expect(row.accuracyB).toBeCloseTo(100 + expected, 10);
    // Unequal test-set sizes with equal pair counts: pairs weigh differently, so the sign-flip test (not pooled McNemar).
    expect(row.testMethod).toMatch(/^sign-flip-(exact|monte-carlo)$/);
    expect(row.upper).toBeLessThan(0);
    expect(row.verdict.direction).toBe('lower');
  });

  it('leaves datasets of several generations per question (--num-samples) out of the statistics, saying why', () => {
    const drop = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as Array<0 | 1>;
    const a = syntheticRun([
      { abbr: 's1', outcomes: drop, generations: 4 },
      { abbr: 's2', outcomes: [1, 1, 1, 1, 1, 1] },
    ]);
    const b = syntheticRun(
      [
        { abbr: 's1', outcomes: drop.map(() => 0), generations: 4 },
        { abbr: 's2', outcomes: [1, 1, 1, 1, 1, 1] },
      ],
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups: [{ name: 'g', subsets: ['s1', 's2'], average: 'naive' }], failIfWorse: 1 });
    // 12 pairs of 3 questions × 4 generations would look significant if taken for 12 independent questions.
    expect(comparison.datasets.map((row) => row.dataset)).toEqual(['s2']);
    expect(comparison.notCompared).toEqual([
      { dataset: 's1', samples: 12, reason: 'several generations per question (--num-samples): the paired intervals and tests need independent questions' },
    ]);
    expect(comparison.groups).toEqual([]);
    expect(comparison.skippedGroups).toEqual([{ group: 'g', metric: 'naive_average', missing: ['s1'] }]);
    expect(comparison.gate?.tripped).toBe(false);
    expect(formatComparisonText(comparison)).toContain('dataset s1 (12 pairs) not compared: several generations per question (--num-samples)');
  });

  it("labels each run's own full scores, over all of its samples, apart from the paired accuracies", () => {
    const names = ['s1', 's2'];
    const groups: SummaryGroup[] = [{ name: 'g', subsets: names, average: 'naive' }];
    const a = syntheticRun(names.map((abbr) => ({ abbr, outcomes: [0] })));
    const b = syntheticRun(
      names.map((abbr) => ({ abbr, outcomes: [0, 1] })),
      '/runs/b',
    );
    const comparison = compareModelRuns({ a, b, groups });
    expect(comparison.pairing).toMatchObject({ paired: 2, onlyInA: 0, onlyInB: 2 });
    expect(comparison.datasets.map((row) => [row.accuracyA, row.accuracyB, row.fullA, row.fullB])).toEqual([
      [0, 0, { samples: 1, accuracy: 0 }, { samples: 2, accuracy: 50 }],
      [0, 0, { samples: 1, accuracy: 0 }, { samples: 2, accuracy: 50 }],
    ]);
    expect(comparison.groups[0]).toMatchObject({
      accuracyA: 0,
      accuracyB: 0,
      difference: 0,
      fullA: { samples: 2, accuracy: 0 },
      fullB: { samples: 4, accuracy: 50 },
    });
    expect(comparison.fullScores).toEqual({
      a: [{ group: 'g', metric: 'naive_average', samples: 2, accuracy: 0 }],
      b: [{ group: 'g', metric: 'naive_average', samples: 4, accuracy: 50 }],
    });
    expect(comparison.groups[0]?.verdict.text).toBe('not enough data (2 paired; a verdict needs ≥ 6)');
  });
});
