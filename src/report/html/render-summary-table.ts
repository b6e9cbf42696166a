import type { SummaryRow } from '../format/index.js';
import { escapeHtml } from './escape-html.js';
import { scoreCellHtml } from './format-cells.js';
import { modelColor } from './model-colors.js';
import type { RunReport } from './run-report.js';

const categoryNames: Readonly<Record<string, string>> = { stem: 'STEM', 'social-science': 'social science', humanities: 'humanities', other: 'other' };

/** The summary table: one row per dataset (key, its benchmark's name for it, category), then the group rows; one column per model. */
export function renderSummaryTable(report: RunReport): string {
  const datasets = new Map(report.datasets.map((dataset) => [dataset.abbr, dataset]));
  const modelHeaders = report.summary.models
    .map((model, index) => `<th class="number"><span class="swatch" style="background:${modelColor(index)}"></span>${escapeHtml(model)}</th>`)
    .join('');
  const rows = report.summary.rows.map((row) => {
    const dataset = datasets.get(row.dataset);
    const names = dataset
      ? `<td><code>${escapeHtml(row.dataset)}</code></td><td class="zh">${escapeHtml(dataset.label.name ?? '')}</td><td>${escapeHtml(categoryName(dataset.label.category))}</td>`
      : `<td><code>${escapeHtml(row.dataset)}</code></td><td class="zh">${escapeHtml(report.groupLabels[row.dataset] ?? row.dataset)}</td><td></td>`;
    const questions = dataset ? String(dataset.questions) : '';
    const cells = [row.version, row.metric, row.mode].map((cell) => `<td>${escapeHtml(cell)}</td>`).join('');
    return `<tr${dataset ? '' : ' class="group"'} data-dataset="${escapeHtml(row.dataset)}">${names}${cells}<td class="number">${questions}</td>${scoreCells(row)}</tr>`;
  });
  return [
    '<div class="table-wrap"><table class="summary">',
    `<thead><tr><th>dataset</th><th>name / group</th><th>category</th><th>version</th><th>metric</th><th>mode</th><th class="number">n</th>${modelHeaders}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}

/** A category as a reader says it (`social-science` → `social science`). */
function categoryName(category: string | undefined): string {
  return category === undefined ? '' : (categoryNames[category] ?? category.replaceAll('-', ' '));
}

/** One cell per model; with several models the best score of the row is bold. */
function scoreCells(row: SummaryRow): string {
  const present = row.values.filter((value): value is number => value !== undefined && !Number.isNaN(value));
  const best = row.values.length > 1 && present.length > 1 ? Math.max(...present) : undefined;
  return row.values
    .map((value, index) => `<td class="number${value !== undefined && value === best ? ' best' : ''}">${scoreCellHtml(value, row.intervals?.[index])}</td>`)
    .join('');
}
