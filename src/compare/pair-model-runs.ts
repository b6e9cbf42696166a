import { samePrompt } from './prompt-fingerprint.js';
import type { ModelRun, ScoredSample } from './read-model-run.js';

/**
 * One dataset's samples present in both runs under the same prompt version and with the same rendered prompt,
 * aligned: `a[i]` pairs with `b[i]`.
 */
export interface PairedDataset {
  readonly dataset: string;
  /** The prompt version both runs recorded. */
  readonly version: string;
  readonly a: readonly ScoredSample[];
  readonly b: readonly ScoredSample[];
  /** All of each run's scored samples of this dataset (its own full score), paired or not. */
  readonly allA: readonly ScoredSample[];
  readonly allB: readonly ScoredSample[];
  /** Samples of this dataset only A has. */
  readonly onlyInA: number;
  /** Samples of this dataset only B has. */
  readonly onlyInB: number;
  /** Samples present in both whose rendered prompts differ, aligned like `a`/`b`: excluded from the comparison. */
  readonly excludedA: readonly ScoredSample[];
  readonly excludedB: readonly ScoredSample[];
}

/** A dataset left out of the pairing because A and B recorded different prompt versions for it. */
export interface PromptVersionMismatch {
  readonly dataset: string;
  readonly versionA: string;
  readonly versionB: string;
  readonly samplesA: number;
  readonly samplesB: number;
}

/** How the samples of two runs were paired, and what was left out. */
export interface PairingSummary {
  /** Pairs compared: same dataset, same sample index, same prompt version, same rendered prompt. */
  readonly paired: number;
  /** A's samples with no partner in B (datasets B lacks included). */
  readonly onlyInA: number;
  /** B's samples with no partner in A. */
  readonly onlyInB: number;
  /** Samples (A's plus B's) left out because their dataset's prompt version differs. */
  readonly excludedByVersion: number;
  /** Pairs left out because their rendered prompts (`origin_prompt`) differ. */
  readonly excludedByPrompt: number;
  readonly datasetsOnlyInA: readonly string[];
  readonly datasetsOnlyInB: readonly string[];
  /** Datasets excluded whole because their prompt version differs. */
  readonly promptVersionMismatches: readonly PromptVersionMismatch[];
}

/**
 * Pairs two runs' samples by (dataset abbr, sample index), never by the sample log's `key` (it hashes the model
 * identity, so it differs across backends by design). A dataset whose recorded prompt versions differ is excluded
 * whole; a pair whose rendered prompts differ (a different template, truncation, in-context examples) is excluded
 * and counted, so both accuracies always come from the same questions asked the same way. Datasets keep A's order;
 * samples are ascending by index. O(samples); prompts are compared structurally.
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
    if (paired.a.length > 0 || paired.excludedA.length > 0) {
      datasets.push({ dataset: left.abbr, version: left.version, allA: left.samples, allB: right.samples, ...paired });
    }
  }
  const datasetsOnlyInB = options.b.datasets.filter((dataset) => !datasetsOfA.has(dataset.abbr));
  for (const dataset of datasetsOnlyInB) onlyInB += dataset.samples.length;
  return {
    datasets,
    pairing: {
      paired: datasets.reduce((total, dataset) => total + dataset.a.length, 0),
      onlyInA,
      onlyInB,
      excludedByVersion: promptVersionMismatches.reduce((total, mismatch) => total + mismatch.samplesA + mismatch.samplesB, 0),
      excludedByPrompt: datasets.reduce((total, dataset) => total + dataset.excludedA.length, 0),
      datasetsOnlyInA,
      datasetsOnlyInB: datasetsOnlyInB.map((dataset) => dataset.abbr),
      promptVersionMismatches,
    },
  };
}

function pairSamples(left: readonly ScoredSample[], right: readonly ScoredSample[]) {
  const rightByIndex = new Map(right.map((sample) => [sample.index, sample]));
  const a: ScoredSample[] = [];
  const b: ScoredSample[] = [];
  const excludedA: ScoredSample[] = [];
  const excludedB: ScoredSample[] = [];
  for (const sample of left) {
    const partner = rightByIndex.get(sample.index);
    if (!partner) continue;
    const same = samePrompt(sample.originPrompt, partner.originPrompt);
    (same ? a : excludedA).push(sample);
    (same ? b : excludedB).push(partner);
  }
  const present = a.length + excludedA.length;
  return { a, b, excludedA, excludedB, onlyInA: left.length - present, onlyInB: right.length - present };
}
