import { sampleFlag, type SampleFacts } from './sample-facts.js';
import { ViewerRequestError } from './viewer-request-error.js';

/** The sample browser's filters; all that are set must hold (AND). */
export interface SampleFilter {
  /** Extracted answer differs from the gold (failed samples included). */
  readonly wrong: boolean;
  /** Extracted answer is not one of A–D. */
  readonly unextracted: boolean;
  /** The sample failed after all retries. */
  readonly failed: boolean;
  /** Correctness differs from the compared run at the same sample index (needs `compareRun`). */
  readonly discordant: boolean;
  /** Case-insensitive text in the prompt or the raw prediction; `''` for none. */
  readonly query: string;
  /** Run (timestamp) to compare against, and optionally which of its models. */
  readonly compareRun?: string;
  readonly compareModel?: string;
}

export const maxQueryLength = 200;
/** A run folder name (as `runFolderPattern` in store/run-directory.ts). */
const runTimestamp = /^\d{8}_\d{6}(?:_\d+)?$/;

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === '' || value === '0') return false;
  if (value === '1' || value === 'on' || value === 'true') return true;
  throw new ViewerRequestError({ status: 400, message: `parameter ${name} must be 1 or 0, got "${value}"` });
}

/** Read the filters from a query string; a malformed value is a 400. */
export function parseSampleFilter(params: URLSearchParams): SampleFilter {
  const query = (params.get('q') ?? '').trim();
  if (query.length > maxQueryLength) throw new ViewerRequestError({ status: 400, message: `search text is longer than ${maxQueryLength} characters` });
  const compareRun = params.get('compare') ?? '';
  if (compareRun !== '' && !runTimestamp.test(compareRun)) {
    throw new ViewerRequestError({ status: 400, message: `parameter compare must be a run timestamp (YYYYmmdd_HHMMSS), got "${compareRun}"` });
  }
  const compareModel = params.get('compareModel') ?? '';
  return {
    wrong: flag(params, 'wrong'),
    unextracted: flag(params, 'unextracted'),
    failed: flag(params, 'failed'),
    discordant: flag(params, 'discordant'),
    query,
    ...(compareRun ? { compareRun } : {}),
    ...(compareRun && compareModel ? { compareModel } : {}),
  };
}

/** The query-string entries that reproduce a filter (for links that keep it). */
export function sampleFilterParams(filter: SampleFilter): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const name of ['wrong', 'unextracted', 'failed', 'discordant'] as const) if (filter[name]) entries.push([name, '1']);
  if (filter.query) entries.push(['q', filter.query]);
  if (filter.compareRun) entries.push(['compare', filter.compareRun]);
  if (filter.compareModel) entries.push(['compareModel', filter.compareModel]);
  return entries;
}

/** Whether a filter narrows the list at all (a compare run alone does not). */
export function isFilterActive(filter: SampleFilter): boolean {
  return filter.wrong || filter.unextracted || filter.failed || filter.discordant || filter.query !== '';
}

/**
 * The positions that pass a filter, ascending. `discordant` and `matches` are the positions already known to be
 * discordant / to contain the search text; they must be given when the filter asks for them.
 */
export function applySampleFilter(options: { facts: SampleFacts; filter: SampleFilter; discordant?: Int32Array; matches?: Int32Array }): Int32Array {
  const { facts, filter } = options;
  let candidates: ArrayLike<number> = options.matches ?? Int32Array.from({ length: facts.index.count }, (_, position) => position);
  if (filter.discordant) {
    if (!options.discordant) throw new ViewerRequestError({ status: 400, message: 'the discordant filter needs a run to compare against' });
    candidates = intersectSorted(candidates, options.discordant);
  }
  const result: number[] = [];
  for (let at = 0; at < candidates.length; at += 1) {
    const position = candidates[at] as number;
    const bits = facts.flags[position] as number;
    if (filter.wrong && (bits & sampleFlag.correct) !== 0) continue;
    if (filter.failed && (bits & sampleFlag.failed) === 0) continue;
    if (filter.unextracted && (bits & sampleFlag.unextracted) === 0) continue;
    result.push(position);
  }
  return Int32Array.from(result);
}

function intersectSorted(left: ArrayLike<number>, right: ArrayLike<number>): Int32Array {
  const result: number[] = [];
  let leftAt = 0;
  let rightAt = 0;
  while (leftAt < left.length && rightAt < right.length) {
    const leftValue = left[leftAt] as number;
    const rightValue = right[rightAt] as number;
    if (leftValue < rightValue) leftAt += 1;
    else if (rightValue < leftValue) rightAt += 1;
    else {
      result.push(leftValue);
      leftAt += 1;
      rightAt += 1;
    }
  }
  return Int32Array.from(result);
}
