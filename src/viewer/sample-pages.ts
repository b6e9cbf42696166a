import { positionOfSample, readLoggedSamples } from './sample-log-index.js';
import { parseSampleFilter, type SampleFilter } from './sample-filter.js';
import { sampleOutcome } from './sample-outcome.js';
import { renderSamplePage, type ComparedSample } from './render-sample-page.js';
import { renderSamplesPage, type SampleRow } from './render-samples-page.js';
import { ViewerRequestError } from './viewer-request-error.js';
import { ViewerStore, type RunModel, type ViewerRun } from './viewer-store.js';

/** Samples per page of the sample list. */
export const samplesPageSize = 50;

/** Which samples a page is about: `/runs/<run>/samples/<model>/<dataset>`. */
export interface SamplesLocation {
  readonly run: string;
  readonly model: string;
  readonly dataset: string;
  readonly params: URLSearchParams;
}

function parsePage(value: string | null): number {
  if (value === null || value === '') return 1;
  const page = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(page) || page < 1)
    throw new ViewerRequestError({ status: 400, message: `page must be a whole number from 1, got "${value}"` });
  return page;
}

/** The filter of a request; `discordant` without a run to compare against is dropped with a notice. */
function requestFilter(params: URLSearchParams): { filter: SampleFilter; notice?: string } {
  const filter = parseSampleFilter(params);
  if (filter.discordant && !filter.compareRun)
    return { filter: { ...filter, discordant: false }, notice: 'Choose a run to compare against (“vs”) to see discordant samples.' };
  return { filter };
}

async function openSamples(store: ViewerStore, location: SamplesLocation): Promise<{ run: ViewerRun; filter: SampleFilter; notice?: string }> {
  const run = await store.run(location.run);
  store.requireSamples(run, location.model, location.dataset);
  return { run, ...requestFilter(location.params) };
}

/** The same samples (by index) in a compared run, scored with that run's extractor. */
async function comparedOutcomes(store: ViewerStore, compared: RunModel, dataset: string, sampleIndexes: readonly number[]) {
  const [index, extractor] = await Promise.all([store.logIndex(compared.run, compared.model, dataset), store.extractor(compared.run, compared.model, dataset)]);
  const positions = sampleIndexes.map((sampleIndex) => positionOfSample(index, sampleIndex));
  const logged = await readLoggedSamples(
    index,
    positions.filter((position) => position !== -1),
  );
  const byPosition = new Map(logged.map((entry) => [entry.position, entry]));
  return positions.map((position) => {
    const entry = position === -1 ? undefined : byPosition.get(position);
    return entry?.kind === 'record' ? { record: entry.record, outcome: sampleOutcome(entry.record, extractor) } : undefined;
  });
}

/** The sample list of one (run, model, dataset): one page, filtered; reads only that page's lines. */
export async function samplesPage(store: ViewerStore, location: SamplesLocation): Promise<string> {
  const { run, filter, notice } = await openSamples(store, location);
  const { model, dataset } = location;
  const page = parsePage(location.params.get('page'));
  const filtered = await store.filterSamples(run, model, dataset, filter);
  const { positions, pageCount } = ViewerStore.page(filtered, page, samplesPageSize);
  if (page > pageCount)
    throw new ViewerRequestError({ status: 404, message: `there is no page ${page}: the list has ${pageCount} page${pageCount === 1 ? '' : 's'}` });
  const [logged, extractor, summary, runs] = await Promise.all([
    readLoggedSamples(filtered.index, positions),
    store.extractor(run, model, dataset),
    store.summary(run),
    store.listRuns(),
  ]);
  const compared = filtered.compared;
  const sampleIndexes = logged.map((entry) => (entry.kind === 'record' ? entry.record.index : entry.sampleIndex));
  const others = compared ? await comparedOutcomes(store, compared, dataset, sampleIndexes) : undefined;
  const rows = logged.map((entry, at): SampleRow => {
    const other = others ? (others[at]?.outcome ?? 'missing') : undefined;
    const base =
      entry.kind === 'record'
        ? { sampleIndex: entry.record.index, record: entry.record, outcome: sampleOutcome(entry.record, extractor) }
        : { sampleIndex: entry.sampleIndex };
    return other === undefined ? base : { ...base, other };
  });
  const column = summary?.models.indexOf(model) ?? -1;
  const score = summary?.rows.find((row) => row.dataset === dataset && row.metric === 'accuracy')?.values[column];
  return renderSamplesPage({
    run,
    model,
    dataset,
    filter,
    page,
    pageCount,
    pageSize: samplesPageSize,
    total: filtered.total,
    count: filtered.index.count,
    ...(filtered.facts ? { facts: filtered.facts } : {}),
    extractorName: extractor.name,
    ...(score !== undefined && score !== '-' ? { score } : {}),
    otherRuns: runs.filter((timestamp) => timestamp !== run.timestamp),
    ...(compared ? { compared } : {}),
    ...(notice ? { notice } : {}),
    rows,
  });
}

/** Neighbours of a position in an ascending list of positions, and its rank (where it is or would be). */
function neighbours(positions: ArrayLike<number>, position: number): { previous?: number; next?: number; rank: number } {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((positions[middle] as number) < position) low = middle + 1;
    else high = middle;
  }
  const found = positions[low] === position;
  const previous = low > 0 ? positions[low - 1] : undefined;
  const next = found ? positions[low + 1] : positions[low];
  return { ...(previous !== undefined ? { previous } : {}), ...(next !== undefined ? { next } : {}), rank: low };
}

/** One sample's page, with previous/next within the current filter and the compared run's record of it. */
export async function samplePage(store: ViewerStore, location: SamplesLocation & { readonly sampleIndex: string }): Promise<string> {
  const { run, filter } = await openSamples(store, location);
  const { model, dataset } = location;
  const sampleIndex = Number(location.sampleIndex);
  if (!/^\d+$/.test(location.sampleIndex) || !Number.isSafeInteger(sampleIndex)) {
    throw new ViewerRequestError({ status: 400, message: `a sample index is a whole number, got "${location.sampleIndex}"` });
  }
  const filtered = await store.filterSamples(run, model, dataset, filter);
  const { index } = filtered;
  const position = positionOfSample(index, sampleIndex);
  if (position === -1) throw new ViewerRequestError({ status: 404, message: `${dataset} of ${model} in run ${run.timestamp} has no sample #${sampleIndex}` });
  const near = filtered.positions
    ? neighbours(filtered.positions, position)
    : { rank: position, ...(position > 0 ? { previous: position - 1 } : {}), ...(position + 1 < index.count ? { next: position + 1 } : {}) };
  const [[logged], extractor] = await Promise.all([readLoggedSamples(index, [position]), store.extractor(run, model, dataset)]);
  let compared: ComparedSample | undefined;
  if (filtered.compared) {
    const [other] = await comparedOutcomes(store, filtered.compared, dataset, [sampleIndex]);
    compared = { source: filtered.compared, ...(other ?? {}) };
  }
  return renderSamplePage({
    run,
    model,
    dataset,
    sampleIndex,
    sample:
      logged?.kind === 'record'
        ? { kind: 'record', record: logged.record, outcome: sampleOutcome(logged.record, extractor) }
        : { kind: 'unreadable', text: logged?.kind === 'unreadable' ? logged.text : '' },
    extractorName: extractor.name,
    filter,
    ...(near.previous !== undefined ? { previousIndex: index.sampleIndexes[near.previous] as number } : {}),
    ...(near.next !== undefined ? { nextIndex: index.sampleIndexes[near.next] as number } : {}),
    listPage: Math.floor(near.rank / samplesPageSize) + 1,
    ...(compared ? { compared } : {}),
  });
}
