import { buildChartData } from './build-chart-data.js';
import { escapeHtml, jsonForScript, scriptForInline } from './escape-html.js';
import { formatRate, scoreCellHtml } from './format-cells.js';
import { modelColor } from './model-colors.js';
import { renderExtractionAudit } from './render-extraction-audit.js';
import { renderSummaryTable } from './render-summary-table.js';
import { reportClientScript } from './report-client-script.js';
import { reportStyles } from './report-styles.js';
import type { RunReport } from './run-report.js';

/** Options for {@link renderRunReport}. */
export interface RenderRunReportOptions {
  readonly report: RunReport;
  /** Chart.js's UMD bundle (`chart.umd.min.js`), inlined so the page needs no network. */
  readonly chartLibrary: string;
}

/**
 * The report as one self-contained HTML document: styles, Chart.js, the chart data (JSON, once) and the drawing
 * script are inline, and a Content-Security-Policy forbids every fetch, so the page works offline and never calls
 * home. Tables are plain HTML, readable without scripts.
 */
export function renderRunReport({ report, chartLibrary }: RenderRunReportOptions): string {
  const { run } = report;
  const chartData = buildChartData(report);
  const title = `sextant report · ${run.timestamp}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${reportStyles}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<p>${report.models.length} model${report.models.length === 1 ? '' : 's'} on ${report.datasets.length} dataset${report.datasets.length === 1 ? '' : 's'}; scores are accuracy in percent with 95% intervals.</p>
<dl class="meta">
<dt>datasets</dt><dd>${escapeHtml(run.datasetConfigs.join(', ') || '-')}</dd>
<dt>limit</dt><dd>${run.limit === null ? 'none (all samples)' : `first ${run.limit} samples per dataset`}</dd>
<dt>sextant</dt><dd>${escapeHtml(run.sextantVersion ?? 'unknown version')}</dd>
<dt>generated</dt><dd>${escapeHtml(run.generatedAt)}</dd>
</dl>
</header>
<section id="models">
<h2>Models</h2>
${renderModels(report)}
</section>
${chartData.categories.labels.length > 0 ? chartSection('categories', 'Groups', "Naive mean of the subsets' scores in each group; whiskers: seeded bootstrap 95% interval resampling questions within each subset, where every subset's score is a mean of per-question 0/1 outcomes.", 'category-chart') : ''}
${chartData.subjects.labels.length > 0 ? chartSection('subjects', 'Subjects', 'Accuracy per dataset; whiskers: 95% Wilson interval.', 'subject-chart') : ''}
<section id="summary">
<h2>Summary</h2>
<p class="note">Dataset rows, then group rows (naive or question-weighted means), as in the summary files; each score is followed by its 95% interval where one is valid. A score shown without one is not a mean of per-question 0/1 outcomes (pass@k, a count such as MBPP's <code>timeout</code>, several generations per question under <code>--num-samples</code>, a group over such subsets or with OpenCompass's weights), so no interval is claimed for it.</p>
${renderSummaryTable(report)}
</section>
<section id="extraction">
<h2>Extraction audit</h2>
${renderExtractionAudit(report)}
</section>
<footer>
<p>Intervals: each dataset's accuracy has a 95% Wilson score interval; each group's score has a 95% percentile interval from a stratified bootstrap (${report.bootstrap.iterations} resamples, seed ${report.bootstrap.seed}) that resamples questions within each subject, keeping subject sizes fixed. Built by sextant from the run's results files; charts drawn with Chart.js (MIT License), embedded.</p>
</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(chartData)}</script>
<script>${scriptForInline(chartLibrary)}</script>
<script>${scriptForInline(reportClientScript)}</script>
</body>
</html>
`;
}

function chartSection(id: string, heading: string, note: string, canvasId: string): string {
  return `<section id="${id}">
<h2>${escapeHtml(heading)}</h2>
<p class="note">${escapeHtml(note)}</p>
<div class="chart"><canvas id="${canvasId}" role="img" aria-label="${escapeHtml(heading)} bar chart"></canvas></div>
</section>`;
}

/** One row per model: its served name, totals, failures, extraction rate and the overall scores. */
function renderModels(report: RunReport): string {
  const overall = report.summary.rows.filter((row) => row.metric !== 'accuracy' && (row.dataset === 'ceval' || row.dataset === 'ceval-test'));
  const overallHeaders = overall.map((row) => `<th class="number">${escapeHtml(row.dataset)} ${escapeHtml(row.metric.replace('_average', ''))}</th>`).join('');
  const rows = report.models.map((model, index) => {
    const scores = overall.map((row) => `<td class="number">${scoreCellHtml(row.values[index], row.intervals?.[index])}</td>`).join('');
    return `<tr><td><span class="swatch" style="background:${modelColor(index)}"></span>${escapeHtml(model.abbr)}</td><td>${escapeHtml(model.modelName ?? '-')}</td><td class="number">${model.datasetCount}</td><td class="number">${model.questions}</td><td class="number${model.failed > 0 ? ' low' : ''}">${model.failed}</td><td class="number">${formatRate(model.extraction.extracted, model.extraction.samples)}</td>${scores}</tr>`;
  });
  return `<div class="table-wrap"><table><thead><tr><th>model</th><th>served model</th><th class="number">datasets</th><th class="number">questions</th><th class="number">failed samples</th><th class="number">extraction rate</th>${overallHeaders}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}
