import { mcnemarExact } from '../stats/index.js';
import { summaryNumber, type RunSummary } from './read-run-summary.js';
import { renderComparePage, type CompareRow } from './render-compare-page.js';
import { renderRunPage } from './render-run-page.js';
import { renderRunsPage, type RunListing } from './render-runs-page.js';
import { ViewerRequestError } from './viewer-request-error.js';
import type { RunModel, ViewerRun, ViewerStore } from './viewer-store.js';

/** The run list. Runs are read one after another so a large work dir does not open every log at once. */
export async function runsPage(store: ViewerStore): Promise<string> {
  const runs: RunListing[] = [];
  for (const timestamp of await store.listRuns()) {
    try {
      const run = await store.run(timestamp);
      const [summary, sampleCount] = await Promise.all([store.summary(run), store.sampleCount(run)]);
      runs.push({ kind: 'run', run, summary, sampleCount });
    } catch (error) {
      runs.push({ kind: 'unreadable', timestamp, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return renderRunsPage({ workDir: store.workDir, runs });
}

/** One run's page. */
export async function runPage(store: ViewerStore, timestamp: string): Promise<string> {
  const run = await store.run(timestamp);
  const [summary, runs] = await Promise.all([store.summary(run), store.listRuns()]);
  return renderRunPage({ run, summary, otherRuns: runs.filter((other) => other !== timestamp) });
}

function requiredRun(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new ViewerRequestError({ status: 400, message: `choose two runs to compare (parameters a and b); ${name} is missing` });
  return value;
}

function summaryScore(summary: RunSummary | undefined, model: string, dataset: string, metric: string): number | undefined {
  if (!summary) return undefined;
  const column = summary.models.indexOf(model);
  const row = summary.rows.find((entry) => entry.dataset === dataset && entry.metric === metric);
  return column === -1 ? undefined : summaryNumber(row?.values[column]);
}

/** Rows in A's summary order, then B's other rows, then logged datasets that neither summary has. */
function rowKeys(first: ViewerRun, firstSummary: RunSummary | undefined, secondSummary: RunSummary | undefined): Array<{ dataset: string; metric: string }> {
  const keys = new Map<string, { dataset: string; metric: string }>();
  const add = (dataset: string, metric: string) => keys.set(JSON.stringify([dataset, metric]), { dataset, metric });
  for (const row of [...(firstSummary?.rows ?? []), ...(secondSummary?.rows ?? [])]) add(row.dataset, row.metric);
  for (const dataset of first.datasets) if (![...keys.values()].some((key) => key.dataset === dataset)) add(dataset, 'accuracy');
  return [...keys.values()];
}

async function compareRows(store: ViewerStore, first: RunModel, second: RunModel): Promise<CompareRow[]> {
  const [firstSummary, secondSummary] = await Promise.all([store.summary(first.run), store.summary(second.run)]);
  const keys = rowKeys(first.run, firstSummary, secondSummary);
  return Promise.all(
    keys.map(async ({ dataset, metric }): Promise<CompareRow> => {
      let firstScore = summaryScore(firstSummary, first.model, dataset, metric);
      let secondScore = summaryScore(secondSummary, second.model, dataset, metric);
      const logged = metric === 'accuracy' && first.run.datasets.includes(dataset) && second.run.datasets.includes(dataset);
      if (!logged) return { dataset, metric, ...(firstScore !== undefined ? { first: firstScore } : {}), ...(secondScore !== undefined ? { second: secondScore } : {}) };
      const [comparison, firstFacts, secondFacts] = await Promise.all([
        store.compare(first, second, dataset),
        store.sampleFacts(first.run, first.model, dataset),
        store.sampleFacts(second.run, second.model, dataset),
      ]);
      // Without a summary (a run still going), the score comes from the logged samples.
      firstScore ??= firstFacts.index.count > 0 ? (100 * firstFacts.correctCount) / firstFacts.index.count : undefined;
      secondScore ??= secondFacts.index.count > 0 ? (100 * secondFacts.correctCount) / secondFacts.index.count : undefined;
      const pValue = mcnemarExact({ b: comparison.onlyFirstCorrect, c: comparison.onlySecondCorrect });
      return {
        dataset,
        metric,
        ...(firstScore !== undefined ? { first: firstScore } : {}),
        ...(secondScore !== undefined ? { second: secondScore } : {}),
        agreement: { ...comparison, pValue },
      };
    }),
  );
}

/** Two runs compared dataset by dataset (`/compare?a=<run>&b=<run>`, optionally `ma`/`mb` to pick models). */
export async function comparePage(store: ViewerStore, params: URLSearchParams): Promise<string> {
  const [firstRun, secondRun] = await Promise.all([store.run(requiredRun(params, 'a')), store.run(requiredRun(params, 'b'))]);
  const requestedFirst = params.get('ma') || undefined;
  if (requestedFirst !== undefined && !firstRun.models.includes(requestedFirst)) {
    throw new ViewerRequestError({ status: 400, message: `run ${firstRun.timestamp} has no model "${requestedFirst}"` });
  }
  const firstModel = requestedFirst ?? firstRun.models[0];
  if (firstModel === undefined) throw new ViewerRequestError({ status: 404, message: `run ${firstRun.timestamp} has no models` });
  const first = { run: firstRun, model: firstModel };
  const second = { run: secondRun, model: store.pairedModel(secondRun, firstModel, params.get('mb') || undefined) };
  const [rows, runs] = await Promise.all([compareRows(store, first, second), store.listRuns()]);
  return renderComparePage({ first, second, rows, runs });
}
