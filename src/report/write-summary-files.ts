import { writeFileAtomic } from '../utils/atomic-write.js';
import { formatCsv, formatMarkdown, formatSummaryText, formatTabulate, summaryToGrid, type SummaryTable } from './format/index.js';

/** The summary files of a run (`summary_<timestamp>.{csv,txt,md}`), written atomically; returns the console text. */
export async function writeSummaryFiles(options: {
  table: SummaryTable;
  raw: ReadonlyArray<{ model: string; results: ReadonlyArray<{ dataset: string; result: unknown }> }>;
  timeString: string;
  paths: { csv: string; txt: string; md: string };
}): Promise<{ tabulate: string; markdown: string }> {
  const grid = summaryToGrid(options.table);
  const markdown = formatMarkdown(grid);
  await Promise.all([
    writeFileAtomic(options.paths.csv, formatCsv(grid)),
    writeFileAtomic(options.paths.md, markdown),
    writeFileAtomic(options.paths.txt, formatSummaryText({ timeString: options.timeString, grid, raw: options.raw.map((entry) => ({ model: entry.model, results: [...entry.results] })) })),
  ]);
  return { tabulate: formatTabulate(grid), markdown };
}
