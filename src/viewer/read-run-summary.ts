import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A 95% interval in points, as the summary's intervals file gives it. */
export interface SummaryInterval {
  readonly lower: string;
  readonly upper: string;
}

/** One row of a run's summary CSV; cells as written (`'-'` where there is no score). */
export interface RunSummaryRow {
  readonly dataset: string;
  readonly version: string;
  readonly metric: string;
  readonly mode: string;
  /** One cell per model, in {@link RunSummary.models} order. */
  readonly values: readonly string[];
  /** One entry per model when the run has an intervals file; `undefined` where it gives none. */
  readonly intervals?: readonly (SummaryInterval | undefined)[];
}

/** The newest summary of a run (`summary/summary_<ts>.csv`), with sextant's `sextant/summary_<ts>.intervals.csv` when present. */
export interface RunSummary {
  readonly csvPath: string;
  readonly intervalsPath?: string;
  readonly models: readonly string[];
  readonly rows: readonly RunSummaryRow[];
}

const summaryFile = /^summary_(\d{8}_\d{6})\.csv$/;

/** The summary CSV is OpenCompass's: commas between cells, no quoting (commas inside cells were replaced). */
function splitCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => line.split(','));
}

/** `(dataset, metric, model)` → interval, from the long-format intervals file (columns found by header name). */
function readIntervals(text: string): Map<string, SummaryInterval> {
  const [header, ...lines] = splitCsv(text);
  const intervals = new Map<string, SummaryInterval>();
  if (!header) return intervals;
  const column = (test: (name: string) => boolean) => header.findIndex((name) => test(name.trim().toLowerCase()));
  const dataset = column((name) => name === 'dataset');
  const metric = column((name) => name === 'metric');
  const model = column((name) => name === 'model');
  const lower = column((name) => name === 'lower' || name.endsWith('_lower'));
  const upper = column((name) => name === 'upper' || name.endsWith('_upper'));
  if ([dataset, metric, model, lower, upper].includes(-1)) return intervals;
  for (const cells of lines) {
    const low = cells[lower]?.trim();
    const high = cells[upper]?.trim();
    if (!low || !high || low === '-' || high === '-') continue;
    intervals.set(intervalKey(cells[dataset] ?? '', cells[metric] ?? '', cells[model] ?? ''), { lower: low, upper: high });
  }
  return intervals;
}

function intervalKey(dataset: string, metric: string, model: string): string {
  return JSON.stringify([dataset.trim(), metric.trim(), model.trim()]);
}

/** Read a run's newest summary; `undefined` when it has none yet (inference still running, or not evaluated). */
export async function readRunSummary(root: string): Promise<RunSummary | undefined> {
  const folder = join(root, 'summary');
  const newest = (await readdir(folder).catch(() => [] as string[]))
    .filter((name) => summaryFile.test(name))
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const csvPath = join(folder, newest);
  const [header, ...lines] = splitCsv(await readFile(csvPath, 'utf8'));
  if (!header || header.length < 4) return undefined;
  const models = header.slice(4);
  // Beside summary/ (runs before that change kept it inside summary/).
  const intervalsName = newest.replace(/\.csv$/, '.intervals.csv');
  let intervalsPath = join(root, 'sextant', intervalsName);
  let intervalsText = await readFile(intervalsPath, 'utf8').catch(() => undefined);
  if (intervalsText === undefined) {
    intervalsPath = join(folder, intervalsName);
    intervalsText = await readFile(intervalsPath, 'utf8').catch(() => undefined);
  }
  const intervals = intervalsText === undefined ? undefined : readIntervals(intervalsText);
  const rows = lines.map((cells): RunSummaryRow => {
    const [dataset = '', version = '', metric = '', mode = ''] = cells;
    return {
      dataset,
      version,
      metric,
      mode,
      values: models.map((_, column) => cells[4 + column] ?? '-'),
      ...(intervals ? { intervals: models.map((model) => intervals.get(intervalKey(dataset, metric, model))) } : {}),
    };
  });
  return { csvPath, ...(intervalsText !== undefined ? { intervalsPath } : {}), models, rows };
}

/** A summary cell as a number, or `undefined` for `'-'` and anything else that is not one. */
export function summaryNumber(cell: string | undefined): number | undefined {
  if (cell === undefined || !/^-?\d+(\.\d+)?$/.test(cell.trim())) return undefined;
  return Number(cell);
}
