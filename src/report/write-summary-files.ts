import { writeFileAtomic } from '../utils/atomic-write.js';
import { formatCsv, formatMarkdown, formatPythonFloat, formatSummaryText, formatTabulate, summaryToGrid, type SummaryTable } from './format/index.js';

/** The summary files of a run (`summary_<timestamp>.{csv,txt,md}`), written atomically; returns the console text. */
export async function writeSummaryFiles(options: {
  table: SummaryTable;
  raw: ReadonlyArray<{ model: string; results: ReadonlyArray<{ dataset: string; result: unknown }> }>;
  timeString: string;
  paths: { csv: string; txt: string; md: string; intervals: string };
}): Promise<{ tabulate: string; markdown: string }> {
  const grid = summaryToGrid(options.table);
  // The csv keeps OpenCompass's exact columns; the .md, the .txt's tabulate and markdown blocks and the console show
  // each score with its 95% interval, and the intervals also go to a csv of their own beside it.
  // sextant's own rows (the question-weighted average) are labelled there and kept out of OpenCompass's csv.
  const displayGrid = summaryToGrid(options.table, { intervals: true, sextant: true });
  const markdown = formatMarkdown(displayGrid);
  await Promise.all([
    writeFileAtomic(options.paths.csv, formatCsv(grid)),
    writeFileAtomic(options.paths.md, markdown),
    writeFileAtomic(options.paths.intervals, formatCsv(intervalsGrid(options.table))),
    writeFileAtomic(
      options.paths.txt,
      formatSummaryText({
        timeString: options.timeString,
        grid,
        displayGrid,
        raw: options.raw.map((entry) => ({ model: entry.model, results: [...entry.results] })),
      }),
    ),
  ]);
  return { tabulate: formatTabulate(displayGrid), markdown };
}

const noDatasetInterval = 'none: not a mean of per-question 0/1 outcomes (e.g. pass@k, a count, several generations per question)';
const noGroupInterval = "none: a subset's score is not a mean of per-question 0/1 outcomes, or OpenCompass weights (no bootstrap)";

/**
 * One line per (row, model): the score and its 95% interval, with how the interval was computed, or, for a score
 * without one, why it has none.
 */
function intervalsGrid(table: SummaryTable): string[][] {
  const header = ['dataset', 'version', 'metric', 'mode', 'model', 'value', 'ci95_lower', 'ci95_upper', 'method'];
  const lines = table.rows.flatMap((row) =>
    table.models.map((model, index) => {
      const value = row.values[index];
      const interval = row.intervals?.[index];
      const method = row.version !== '-' ? 'wilson' : 'bootstrap-within-subsets (2000, seed 0)';
      // A score without an interval says why, rather than looking like one whose interval was lost.
      const none = row.version !== '-' ? noDatasetInterval : noGroupInterval;
      return [
        row.dataset,
        row.version,
        row.origin === 'sextant' ? `${row.metric} (sextant)` : row.metric,
        row.mode,
        model,
        value === undefined ? '-' : formatPythonFloat(value, '.2f'),
        interval ? formatPythonFloat(interval.lower, '.2f') : '-',
        interval ? formatPythonFloat(interval.upper, '.2f') : '-',
        interval ? method : value === undefined ? '-' : none,
      ];
    }),
  );
  return [header, ...lines];
}
