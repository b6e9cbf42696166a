import type { SummaryRow } from '../format/index.js';
import { modelColor } from './model-colors.js';
import type { RunReport } from './run-report.js';

/** One bar chart's data: a label per bar group, and per model one value and interval per label (percent or `null`). */
export interface ChartSeries {
  readonly labels: readonly string[];
  readonly values: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly lower: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly upper: ReadonlyArray<ReadonlyArray<number | null>>;
}

/** The JSON the page's script draws from (embedded once, as `#report-data`). */
export interface ChartData {
  readonly models: readonly string[];
  readonly colors: readonly string[];
  /** The naive-average group rows (C-Eval: STEM, social science, humanities, other, hard, overall), by their labels. */
  readonly categories: ChartSeries;
  /** The dataset rows, labelled `key name` where the benchmark names its subjects (`computer_network 计算机网络`). */
  readonly subjects: ChartSeries;
}

/** The charts' data from a report's summary table, rounded to 2 decimals. */
export function buildChartData(report: RunReport): ChartData {
  const datasets = new Map(report.datasets.map((dataset) => [dataset.abbr, dataset.label]));
  const subjectRows = report.summary.rows.filter((row) => datasets.has(row.dataset));
  const categoryRows = report.summary.rows.filter((row) => !datasets.has(row.dataset) && row.metric === 'naive_average');
  return {
    models: report.summary.models,
    colors: report.summary.models.map((_, index) => modelColor(index)),
    categories: series(categoryRows, (row) => report.groupLabels[row.dataset] ?? row.dataset, report.summary.models.length),
    subjects: series(
      subjectRows,
      (row) => {
        const label = datasets.get(row.dataset);
        return label?.name ? `${label.key} ${label.name}` : row.dataset;
      },
      report.summary.models.length,
    ),
  };
}

function series(rows: readonly SummaryRow[], label: (row: SummaryRow) => string, modelCount: number): ChartSeries {
  const models = Array.from({ length: modelCount }, (_, index) => index);
  const column = (pick: (row: SummaryRow, model: number) => number | undefined) => models.map((model) => rows.map((row) => round(pick(row, model))));
  return {
    labels: rows.map(label),
    values: column((row, model) => row.values[model]),
    lower: column((row, model) => (row.values[model] === undefined ? undefined : row.intervals?.[model]?.lower)),
    upper: column((row, model) => (row.values[model] === undefined ? undefined : row.intervals?.[model]?.upper)),
  };
}

function round(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
}
