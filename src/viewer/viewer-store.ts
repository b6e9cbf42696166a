import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listRunFolders, readRunInfo, readRunResults, runFolderPattern, type RunInfo } from '../store/index.js';
import { rawPredictionExtractor, resolveAnswerExtractors, type AnswerExtractor } from './answer-extractor.js';
import { compareFacts, type FactsComparison } from './compare-facts.js';
import { LruCache } from './lru-cache.js';
import { readRunSummary, type RunSummary } from './read-run-summary.js';
import { samePrompt } from '../compare/index.js';
import { buildSampleFacts, sampleFlag, type SampleFacts } from './sample-facts.js';
import { applySampleFilter, isFilterActive, type SampleFilter } from './sample-filter.js';
import { buildSampleLogIndex, positionOfSample, readLoggedSamples, type SampleLogIndex } from './sample-log-index.js';
import { searchSamples } from './search-samples.js';
import { ViewerRequestError } from './viewer-request-error.js';

/** A run as the viewer shows it. */
export interface ViewerRun {
  readonly timestamp: string;
  readonly root: string;
  readonly info: RunInfo;
  /** Model abbrs: the recorded ones, then any other folder under `samples/`. */
  readonly models: readonly string[];
  /** Dataset abbrs in run order, then any other sample log found. */
  readonly datasets: readonly string[];
}

/** One side of a comparison: a run and one of its models. */
export interface RunModel {
  readonly run: ViewerRun;
  readonly model: string;
}

/** The samples of one (run, model, dataset) that pass a filter. */
export interface FilteredSamples {
  readonly index: SampleLogIndex;
  /** Positions in the log index that pass, ascending; `undefined` when the filter is not active (every position). */
  readonly positions: Int32Array | undefined;
  /** How many samples pass. */
  readonly total: number;
  /** Set when the filter needed the facts (so counts can be shown). */
  readonly facts?: SampleFacts;
  readonly compared?: RunModel;
}

/** A name that is safe to use as one path segment (it comes from the run's own files). */
function isPlainName(name: string): boolean {
  return name.length > 0 && !name.startsWith('.') && !/[/\\\0]/.test(name);
}

interface Versioned<Value> {
  readonly size: number;
  readonly mtimeMs: number;
  readonly value: Promise<Value>;
}

/**
 * Reads a work dir for the viewer and caches what is costly per sample log: its line-offset index, per-sample
 * outcome bits, and recent searches. A log that changed on disk (a run still going) is indexed again.
 */
export class ViewerStore {
  readonly workDir: string;
  // Bounds: an index costs ~24 bytes a sample, facts 1 byte, a search 4 bytes a match; counts are plain numbers.
  private readonly indexes = new LruCache<Versioned<SampleLogIndex>>({ maxEntries: 2048, maxWeight: 4_000_000 });
  private readonly counts = new LruCache<Versioned<number>>({ maxEntries: 100_000 });
  private readonly facts = new LruCache<{ index: SampleLogIndex; value: Promise<SampleFacts> }>({ maxEntries: 2048, maxWeight: 16_000_000 });
  private readonly searches = new LruCache<{ index: SampleLogIndex; value: Promise<Int32Array> }>({ maxEntries: 32, maxWeight: 4_000_000 });
  private readonly results = new LruCache<Versioned<AnswerExtractor>>({ maxEntries: 8 });
  private readonly extractors = new LruCache<ReturnType<typeof resolveAnswerExtractors>>({ maxEntries: 64 });

  constructor(workDir: string) {
    this.workDir = resolve(workDir);
  }

  /** Run timestamps, newest first. */
  listRuns(): Promise<string[]> {
    return listRunFolders(this.workDir);
  }

  /** A run by its folder name; 404 when there is no such sextant run. */
  async run(timestamp: string): Promise<ViewerRun> {
    if (!runFolderPattern.test(timestamp))
      throw new ViewerRequestError({ status: 404, message: `no run "${timestamp}" (run folders are named YYYYmmdd_HHMMSS)` });
    const root = join(this.workDir, timestamp);
    const info = await readRunInfo(root).catch((error: unknown) => {
      throw new ViewerRequestError({ status: 404, message: `no sextant run ${timestamp} in ${this.workDir}`, cause: error });
    });
    const sampleFolders = await readdir(join(root, 'samples'), { withFileTypes: true }).catch(() => []);
    const models = unique([...info.models.map((model) => model.abbr), ...sampleFolders.filter((entry) => entry.isDirectory()).map((entry) => entry.name)]);
    const logs = await Promise.all(models.map((model) => readdir(join(root, 'samples', model)).catch(() => [] as string[])));
    const logged = logs
      .flat()
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length));
    const datasets = unique([...Object.keys(info.datasetVersions), ...logged.sort()]);
    return { timestamp, root, info, models, datasets };
  }

  summary(run: ViewerRun): Promise<RunSummary | undefined> {
    return readRunSummary(run.root);
  }

  /** 404 unless the run has this model and dataset. */
  requireSamples(run: ViewerRun, model: string, dataset: string): void {
    if (!run.models.includes(model)) throw new ViewerRequestError({ status: 404, message: `run ${run.timestamp} has no model "${model}"` });
    if (!run.datasets.includes(dataset)) throw new ViewerRequestError({ status: 404, message: `run ${run.timestamp} has no dataset "${dataset}"` });
  }

  /** The model of `other` to compare with `model`: the requested one, the same abbr, or its only model. */
  pairedModel(other: ViewerRun, model: string, requested?: string): string {
    if (requested !== undefined) {
      if (!other.models.includes(requested)) throw new ViewerRequestError({ status: 400, message: `run ${other.timestamp} has no model "${requested}"` });
      return requested;
    }
    if (other.models.includes(model)) return model;
    if (other.models.length === 1) return other.models[0] as string;
    throw new ViewerRequestError({ status: 400, message: `run ${other.timestamp} has no model "${model}"; choose one of ${other.models.join(', ')}` });
  }

  private logPath(run: ViewerRun, model: string, dataset: string): string {
    this.requireSamples(run, model, dataset);
    return join(run.root, 'samples', model, `${dataset}.jsonl`);
  }

  /** The line-offset index of a (model, dataset) log, built on first use and again when the file changes. */
  async logIndex(run: ViewerRun, model: string, dataset: string): Promise<SampleLogIndex> {
    const path = this.logPath(run, model, dataset);
    const stats = await stat(path).catch(() => undefined);
    return this.versioned(
      this.indexes,
      path,
      stats,
      () => buildSampleLogIndex(path),
      (index) => {
        this.counts.set(path, { size: stats?.size ?? -1, mtimeMs: stats?.mtimeMs ?? -1, value: Promise.resolve(index.count) });
        return index.count;
      },
    );
  }

  /** How answers of a dataset were extracted: its postprocessor, else the run's results file, else the raw prediction. */
  async extractor(run: ViewerRun, model: string, dataset: string): Promise<AnswerExtractor> {
    const byDataset = this.extractors.get(run.root) ?? resolveAnswerExtractors(run.info.datasets);
    this.extractors.set(run.root, byDataset);
    const known = byDataset.extractors.get(dataset);
    if (known) return known;
    const found = byDataset.found.get(dataset);
    const path = join(run.root, 'results', model, `${dataset}.json`);
    const stats = await stat(path).catch(() => undefined);
    if (!stats) return rawPredictionExtractor;
    return this.versioned(this.results, path, stats, async () => {
      const results = await readRunResults(run.root, model, dataset).catch(() => undefined);
      const details = (results?.details ?? {}) as Record<string, unknown>;
      return {
        name: 'results file',
        // The evaluator's own extracted answer where it records one (`null`: none found), else the postprocessed one.
        extract: (sample) => {
          const detail = details[String(sample.index)] as { predictions?: unknown; pred?: unknown } | undefined;
          if (typeof detail?.pred === 'string') return detail.pred;
          if (detail?.pred === null) return '';
          return typeof detail?.predictions === 'string' ? detail.predictions : sample.prediction;
        },
        ...(found ? { found } : {}),
        correct: (sample) => {
          const correct = (details[String(sample.index)] as { correct?: unknown } | undefined)?.correct;
          return typeof correct === 'boolean' ? correct : typeof correct === 'number' ? correct === 1 : undefined;
        },
      };
    });
  }

  /** Per-sample outcome bits of a log (one streaming pass, cached until the log changes). */
  async sampleFacts(run: ViewerRun, model: string, dataset: string): Promise<SampleFacts> {
    const index = await this.logIndex(run, model, dataset);
    const cached = this.facts.get(index.path);
    if (cached && cached.index === index) return cached.value;
    const value = this.extractor(run, model, dataset).then((extractor) => buildSampleFacts({ index, extractor }));
    this.remember(this.facts, index.path, { index, value }, () => index.count);
    return value;
  }

  /** Positions of the samples whose prompt or prediction contains `query` (cached for recent queries). */
  async search(run: ViewerRun, model: string, dataset: string, query: string): Promise<Int32Array> {
    const index = await this.logIndex(run, model, dataset);
    const key = JSON.stringify([index.path, query]);
    const cached = this.searches.get(key);
    if (cached && cached.index === index) return cached.value;
    const value = searchSamples({ index, query });
    this.remember(this.searches, key, { index, value }, (matches: Int32Array) => matches.length);
    return value;
  }

  /**
   * Per-sample agreement of two (run, model) logs of one dataset, paired as `sextant compare` pairs: by sample index,
   * only under the same prompt version, and a discordant pair counts only when both rendered prompts are the same
   * (the discordant lines are read back to check; the others never are).
   */
  async compare(first: RunModel, second: RunModel, dataset: string): Promise<FactsComparison> {
    const [firstFacts, secondFacts] = await Promise.all([
      this.sampleFacts(first.run, first.model, dataset),
      this.sampleFacts(second.run, second.model, dataset),
    ]);
    const byIndex = compareFacts(firstFacts, secondFacts);
    const none = { onlyFirstCorrect: 0, onlySecondCorrect: 0, discordantPositions: new Int32Array() };
    if ((first.run.info.datasetVersions[dataset] ?? '') !== (second.run.info.datasetVersions[dataset] ?? '')) return { ...none, paired: byIndex.paired };
    const positions = [...byIndex.discordantPositions];
    const partners = positions.map((position) => positionOfSample(secondFacts.index, firstFacts.index.sampleIndexes[position] as number));
    const [left, right] = await Promise.all([readLoggedSamples(firstFacts.index, positions), readLoggedSamples(secondFacts.index, partners)]);
    const kept: number[] = [];
    let onlyFirstCorrect = 0;
    positions.forEach((position, at) => {
      const a = left[at];
      const b = right[at];
      if (a?.kind !== 'record' || b?.kind !== 'record' || !samePrompt(a.record.originPrompt, b.record.originPrompt)) return;
      kept.push(position);
      if (((firstFacts.flags[position] as number) & sampleFlag.correct) !== 0) onlyFirstCorrect += 1;
    });
    return {
      paired: byIndex.paired,
      onlyFirstCorrect,
      onlySecondCorrect: kept.length - onlyFirstCorrect,
      discordantPositions: Int32Array.from(kept),
    };
  }

  /** The samples of a (run, model, dataset) that pass a filter; without an active filter, no log is read beyond its index. */
  async filterSamples(run: ViewerRun, model: string, dataset: string, filter: SampleFilter): Promise<FilteredSamples> {
    const index = await this.logIndex(run, model, dataset);
    const compared = filter.compareRun ? await this.comparedRunModel(run, model, dataset, filter) : undefined;
    if (!isFilterActive(filter)) return { index, positions: undefined, total: index.count, ...(compared ? { compared } : {}) };
    const [facts, matches, comparison] = await Promise.all([
      this.sampleFacts(run, model, dataset),
      filter.query ? this.search(run, model, dataset, filter.query) : undefined,
      filter.discordant && compared ? this.compare({ run, model }, compared, dataset) : undefined,
    ]);
    const positions = applySampleFilter({
      facts,
      filter,
      ...(matches ? { matches } : {}),
      ...(comparison ? { discordant: comparison.discordantPositions } : {}),
    });
    return { index, positions, total: positions.length, facts, ...(compared ? { compared } : {}) };
  }

  private async comparedRunModel(run: ViewerRun, model: string, dataset: string, filter: SampleFilter): Promise<RunModel> {
    const other = await this.run(filter.compareRun as string).catch((error: unknown) => {
      throw new ViewerRequestError({ status: 400, message: `cannot compare with run ${filter.compareRun}: it does not exist`, cause: error });
    });
    const otherModel = this.pairedModel(other, model, filter.compareModel);
    if (!other.datasets.includes(dataset))
      throw new ViewerRequestError({ status: 400, message: `run ${other.timestamp} has no dataset "${dataset}" to compare with` });
    return { run: other, model: otherModel };
  }

  /** The positions of one page (1-based) of filtered samples, and the page count (at least 1). */
  static page(filtered: FilteredSamples, page: number, pageSize: number): { positions: number[]; pageCount: number } {
    const pageCount = Math.max(1, Math.ceil(filtered.total / pageSize));
    const first = (page - 1) * pageSize;
    const last = Math.min(filtered.total, first + pageSize);
    const positions: number[] = [];
    for (let at = first; at < last; at += 1) positions.push(filtered.positions ? (filtered.positions[at] as number) : at);
    return { positions, pageCount };
  }

  /** Samples recorded by a run, over all its models and datasets (remembered per log; a log not seen yet is indexed). */
  async sampleCount(run: ViewerRun): Promise<number> {
    let total = 0;
    for (const model of run.models) {
      const counts = await Promise.all(
        run.datasets.map(async (dataset) => {
          const path = this.logPath(run, model, dataset);
          const stats = await stat(path).catch(() => undefined);
          const known = this.counts.get(path);
          if (known && known.size === (stats?.size ?? -1) && known.mtimeMs === (stats?.mtimeMs ?? -1)) return known.value;
          return (await this.logIndex(run, model, dataset)).count;
        }),
      );
      total += counts.reduce((sum, count) => sum + count, 0);
    }
    return total;
  }

  private versioned<Value>(
    cache: LruCache<Versioned<Value>>,
    path: string,
    stats: { size: number; mtimeMs: number } | undefined,
    build: () => Promise<Value>,
    weigh?: (value: Value) => number,
  ): Promise<Value> {
    const size = stats?.size ?? -1;
    const mtimeMs = stats?.mtimeMs ?? -1;
    const cached = cache.get(path);
    if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.value;
    const value = build();
    this.remember(cache, path, { size, mtimeMs, value }, weigh);
    return value;
  }

  /** Cache a pending value; once it settles, weigh it, or forget it if it failed (so the next request tries again). */
  private remember<Value, Entry extends { value: Promise<Value> }>(cache: LruCache<Entry>, key: string, entry: Entry, weigh?: (value: Value) => number): void {
    cache.set(key, entry);
    entry.value.then(
      (value) => {
        if (weigh && cache.get(key) === entry) cache.set(key, entry, Math.max(1, weigh(value)));
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key);
      },
    );
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)].filter(isPlainName);
}
