import { compareModelRuns, readModelRun, type RunComparison } from '../compare/index.js';
import { renderComparePage } from './render-compare-page.js';
import { renderRunPage } from './render-run-page.js';
import { renderRunsPage, type RunListing } from './render-runs-page.js';
import { ViewerRequestError } from './viewer-request-error.js';
import type { RunModel, ViewerStore } from './viewer-store.js';

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

/**
 * The comparison of two (run, model) sides with `sextant compare`'s own functions: the same reading of the runs
 * (answers re-extracted from the sample logs), pairing, statistics and verdicts as the CLI.
 */
async function runComparison(first: RunModel, second: RunModel): Promise<RunComparison> {
  const modelInfo = (side: RunModel) => side.run.info.models.find((model) => model.abbr === side.model) ?? { abbr: side.model };
  const [a, b] = await Promise.all([
    readModelRun({ info: first.run.info, model: modelInfo(first) }),
    readModelRun({ info: second.run.info, model: modelInfo(second) }),
  ]);
  return compareModelRuns({ a, b });
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
  const [comparison, runs] = await Promise.all([runComparison(first, second), store.listRuns()]);
  return renderComparePage({ first, second, comparison, runs });
}
