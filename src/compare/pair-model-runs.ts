import type { ModelRun, ScoredSample } from './read-model-run.js';

/** One dataset's samples present in both runs under the same prompt version, aligned: `a[i]` pairs with `b[i]`. */
export interface PairedDataset {
  readonly dataset: string;
  /** The prompt version both runs recorded. */
  readonly version: string;
  readonly a: readonly ScoredSample[];
  readonly b: readonly ScoredSample[];
  /** Samples of this dataset only A has. */
  readonly onlyInA: number;
  /** Samples of this dataset only B has. */
  readonly onlyInB: number;
}

/** A dataset left out of the pairing because A and B recorded different prompt versions for it. */
export interface PromptVersionMismatch {
  readonly dataset: string;
  readonly versionA: string;
  readonly versionB: string;
  readonly samplesA: number;
  readonly samplesB: number;
}

/** How the samples of two runs were paired, and what was left out. Counts are samples. */
export interface PairingSummary {
  /** Pairs compared: same dataset, same sample index, same prompt version. */
  readonly paired: number;
  /** A's samples with no partner in B (datasets B lacks included). */
  readonly onlyInA: number;
  /** B's samples with no partner in A. */
  readonly onlyInB: number;
  readonly datasetsOnlyInA: readonly string[];
  readonly datasetsOnlyInB: readonly string[];
  /** Datasets excluded whole because their prompt version differs. */
  readonly promptVersionMismatches: readonly PromptVersionMismatch[];
}

/**
 * Pairs two runs' samples by (dataset abbr, sample index), never by the sample log's `key` (it hashes the model
 * identity, so it differs across backends by design). A dataset whose recorded prompt versions differ is excluded
 * whole. Datasets keep A's order, then B's extra ones; samples are ascending by index. O(samples).
 */
export function pairModelRuns(options: { a: ModelRun; b: ModelRun }): { datasets: PairedDataset[]; pairing: PairingSummary } {
  const datasetsOfB = new Map(options.b.datasets.map((dataset) => [dataset.abbr, dataset]));
  const datasetsOfA = new Set(options.a.datasets.map((dataset) => dataset.abbr));
  const datasets: PairedDataset[] = [];
  const promptVersionMismatches: PromptVersionMismatch[] = [];
  const datasetsOnlyInA: string[] = [];
  let onlyInA = 0;
  let onlyInB = 0;
  for (const left of options.a.datasets) {
    const right = datasetsOfB.get(left.abbr);
    if (!right) {
      datasetsOnlyInA.push(left.abbr);
      onlyInA += left.samples.length;
      continue;
    }
    if (left.version !== right.version) {
      promptVersionMismatches.push({
        dataset: left.abbr,
        versionA: left.version,
        versionB: right.version,
        samplesA: left.samples.length,
        samplesB: right.samples.length,
      });
      continue;
    }
    const paired = pairSamples(left.samples, right.samples);
    onlyInA += paired.onlyInA;
    onlyInB += paired.onlyInB;
    if (paired.a.length > 0) datasets.push({ dataset: left.abbr, version: left.version, ...paired });
  }
  const datasetsOnlyInB = options.b.datasets.filter((dataset) => !datasetsOfA.has(dataset.abbr));
  for (const dataset of datasetsOnlyInB) onlyInB += dataset.samples.length;
  return {
    datasets,
    pairing: {
      paired: datasets.reduce((total, dataset) => total + dataset.a.length, 0),
      onlyInA,
      onlyInB,
      datasetsOnlyInA,
      datasetsOnlyInB: datasetsOnlyInB.map((dataset) => dataset.abbr),
      promptVersionMismatches,
    },
  };
}

function pairSamples(
  left: readonly ScoredSample[],
  right: readonly ScoredSample[],
): { a: ScoredSample[]; b: ScoredSample[]; onlyInA: number; onlyInB: number } {
  const rightByIndex = new Map(right.map((sample) => [sample.index, sample]));
  const a: ScoredSample[] = [];
  const b: ScoredSample[] = [];
  for (const sample of left) {
    const partner = rightByIndex.get(sample.index);
    if (!partner) continue;
    a.push(sample);
    b.push(partner);
  }
  return { a, b, onlyInA: left.length - a.length, onlyInB: right.length - b.length };
}
