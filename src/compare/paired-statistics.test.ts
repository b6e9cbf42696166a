// The simulation behind "numbers that never overclaim": 1,000 pairs of runs of the same model (and of a model 5
// points worse) on a C-Eval-shaped benchmark, through the very functions every comparison output uses. Seeded, so
// the rates below are the same on every run; printed for the record.
import { describe, expect, it } from 'vitest';
import { summaryGroups } from '../registry/dataset-registry.js';
import { createRandom, minimumPairsForSignificance, type RandomSource } from '../stats/index.js';
import { datasetStatistics, groupStatistics, type PairedCounts } from './paired-statistics.js';
import type { ComparisonSettings } from './run-comparison.js';

const alpha = 0.05;
const settings: ComparisonSettings = { alpha, confidence: 0.95, draws: 2000, seed: 0, minimumPairs: minimumPairsForSignificance(alpha) };
const pairsOfRuns = 1000;
/**
 * A test of exact size α rejects in Binomial(pairs, α) of the pairs, so even a perfect one lands above α about half
 * the time (n = 200: the exact McNemar test's size is within 0.001 of α). One scenario's rate must stay below
 * α + 2.33 standard errors (0.066 for 1,000 pairs: a perfect test passes 99% of seeds); the rate pooled over every
 * scenario and group row (~60,000 verdicts, standard error 0.0009) must be at or below α itself.
 */
const allowance = (pairs: number) => alpha + 2.33 * Math.sqrt((alpha * (1 - alpha)) / pairs);
const pooled = { verdicts: 0, falseSignificant: 0 };
/** C-Eval's 52 subjects and its 7 group rows (stem, social science, humanities, other, hard, ceval naive and weighted). */
// C-Eval's groups only (the registry also holds the other benchmarks' groups).
const groups = summaryGroups().filter((group) => group.name.startsWith('ceval') && !group.name.startsWith('ceval-test'));
const subjects = groups.find((group) => group.name === 'ceval' && group.average === 'naive')!.subsets;

/**
 * The noise model. Each subject k has a mean accuracy m_k ~ U(0.3, 0.8); each question q in it a latent probability
 * p_q = clamp(m_k + 0.35·(2u − 1), 0.06, 0.99). A pair of runs draws, per question, A correct iff U < p_q and B correct
 * iff U' < p_q − shift, where U' = U with probability `correlation` (the runs agree as one deployment of a model
 * mostly agrees with another) and a fresh uniform otherwise. So P(A) = p_q, P(B) = p_q − shift exactly, and shift = 0
 * is "the same model twice".
 */
interface Benchmark {
  /** Latent p_q per subject, fixed for all pairs of runs (the benchmark and model do not change). */
  readonly probabilities: readonly Float64Array[];
}

function makeBenchmark(random: RandomSource, sizes: readonly number[]): Benchmark {
  return {
    probabilities: sizes.map((size) => {
      const mean = 0.3 + 0.5 * random();
      return Float64Array.from({ length: size }, () => Math.min(0.99, Math.max(0.06, mean + 0.35 * (2 * random() - 1))));
    }),
  };
}

function drawPair(random: RandomSource, benchmark: Benchmark, options: { correlation: number; shift: number }): PairedCounts[] {
  return benchmark.probabilities.map((probabilities) => {
    let both = 0;
    let b = 0;
    let c = 0;
    for (const probability of probabilities) {
      const u = random();
      const v = random() < options.correlation ? u : random();
      const right = u < probability;
      const rightB = v < probability - options.shift;
      if (right && rightB) both += 1;
      else if (right) b += 1;
      else if (rightB) c += 1;
    }
    return { samples: probabilities.length, both, b, c };
  });
}

interface Rates {
  /** Pairs of runs with some dataset verdict not "none"/"not enough data" (after Holm: a family-wise rate). */
  readonly anyDataset: number;
  /** Per group row (name/metric): share of pairs with a "lower"/"higher" verdict. */
  readonly groups: Map<string, number>;
  /** Share of pairs where the overall C-Eval naive average's verdict is "lower". */
  readonly overallLower: number;
}

function simulate(options: {
  seed: number;
  sizes: readonly number[];
  correlation: number;
  shift: number;
  pairs?: number;
  settings?: ComparisonSettings;
}): Rates {
  const random = createRandom(options.seed);
  const benchmark = makeBenchmark(random, options.sizes);
  const used = options.settings ?? settings;
  const pairs = options.pairs ?? pairsOfRuns;
  let anyDataset = 0;
  let overallLower = 0;
  const groupHits = new Map<string, number>(groups.map((group) => [`${group.name}/${group.average}`, 0]));
  const position = new Map(subjects.map((subject, index) => [subject, index]));
  for (let pair = 0; pair < pairs; pair += 1) {
    const counts = drawPair(random, benchmark, options);
    if (datasetStatistics(counts, used).some((row) => row.verdict.direction === 'lower' || row.verdict.direction === 'higher')) anyDataset += 1;
    for (const group of groups) {
      const row = groupStatistics(
        group.subsets.map((subset) => counts[position.get(subset)!]!),
        { metric: group.average === 'naive' ? 'naive_average' : 'weighted_average' },
        used,
      );
      const key = `${group.name}/${group.average}`;
      if (row.verdict.direction === 'lower' || row.verdict.direction === 'higher') groupHits.set(key, groupHits.get(key)! + 1);
      if (key === 'ceval/naive' && row.verdict.direction === 'lower') overallLower += 1;
    }
  }
  return { anyDataset: anyDataset / pairs, groups: new Map([...groupHits].map(([key, hits]) => [key, hits / pairs])), overallLower: overallLower / pairs };
}

function record(rates: Rates, pairs: number): void {
  for (const rate of [rates.anyDataset, ...rates.groups.values()]) {
    pooled.verdicts += pairs;
    pooled.falseSignificant += Math.round(rate * pairs);
  }
}

function describeRates(label: string, rates: Rates): string {
  const groupRates = [...rates.groups].map(([key, rate]) => `${key} ${rate.toFixed(3)}`).join(', ');
  return `${label}: any dataset (Holm) ${rates.anyDataset.toFixed(3)}; groups ${groupRates}`;
}

describe('comparison statistics under the same model twice (1,000 pairs of runs each)', () => {
  // n = 200 uses all 52 subjects too (10,400 questions a run): the counts-only statistics keep it fast.
  it.each([
    [1, 0],
    [1, 0.6],
    [5, 0],
    [5, 0.6],
    [20, 0],
    [20, 0.6],
    [200, 0],
    [200, 0.6],
  ])('n = %i per subject, run correlation %d: false "significant" verdicts at or below alpha = 0.05', (perSubject, correlation) => {
    const rates = simulate({ seed: perSubject * 10 + correlation * 10, sizes: subjects.map(() => perSubject), correlation, shift: 0 });
    console.log(describeRates(`same model, n = ${perSubject}, correlation ${correlation}`, rates));
    expect(rates.anyDataset).toBeLessThanOrEqual(allowance(pairsOfRuns));
    for (const [key, rate] of rates.groups) expect(rate, key).toBeLessThanOrEqual(allowance(pairsOfRuns));
    if (perSubject < settings.minimumPairs) expect(rates.anyDataset).toBe(0);
    record(rates, pairsOfRuns);
  });

  it('subjects of unequal sizes (10 to 55 questions, so the naive groups use Monte Carlo sign flips): at or below alpha', () => {
    const sizes = subjects.map((_, index) => 10 + ((index * 17) % 46));
    const rates = simulate({ seed: 77, sizes, correlation: 0.3, shift: 0, pairs: 300, settings: { ...settings, draws: 1000 } });
    console.log(describeRates('same model, unequal sizes 10-55, correlation 0.3, 300 pairs, 1000 sign flips', rates));
    expect(rates.anyDataset).toBeLessThanOrEqual(allowance(300));
    for (const [key, rate] of rates.groups) expect(rate, key).toBeLessThanOrEqual(allowance(300));
    record(rates, 300);
  });

  it('pooled over every scenario above and every group row and dataset family: at or below alpha', () => {
    const rate = pooled.falseSignificant / pooled.verdicts;
    console.log(`pooled false "significant" rate: ${rate.toFixed(4)} over ${pooled.verdicts} verdicts`);
    expect(pooled.verdicts).toBeGreaterThan(60_000);
    expect(rate).toBeLessThanOrEqual(alpha);
  });
});

describe('comparison statistics with a planted 5-point drop', () => {
  it.each([0.3])('n = 200 per subject, correlation %d: the overall C-Eval average finds it in at least 80% of 1,000 pairs', (correlation) => {
    const rates = simulate({ seed: 500 + correlation * 10, sizes: subjects.map(() => 200), correlation, shift: 0.05 });
    console.log(
      `planted −5 points, n = 200, correlation ${correlation}: ceval naive_average "B is lower" in ${(100 * rates.overallLower).toFixed(1)}% of pairs`,
    );
    expect(rates.overallLower).toBeGreaterThanOrEqual(0.8);
  });
});
