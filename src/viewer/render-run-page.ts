import { formatRunTime } from './format-values.js';
import { html, type SafeHtml } from './html.js';
import type { RunSummary, RunSummaryRow } from './read-run-summary.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { ViewerRun } from './viewer-store.js';

function runFacts(run: ViewerRun, summary: RunSummary | undefined): SafeHtml {
  const { info } = run;
  return html`<dl class="facts">
<dt>Models</dt><dd>${info.models.map((model) => html`<div><strong>${model.abbr}</strong>${model.modelName && model.modelName !== model.abbr ? ` (${model.modelName})` : ''}${model.apiBase ? html` <span class="muted">${model.apiBase}</span>` : ''}</div>`)}</dd>
<dt>Dataset configs</dt><dd>${info.datasets.join(', ') || '—'} <span class="muted">(${run.datasets.length} datasets)</span></dd>
<dt>Limit</dt><dd>${info.limit ?? 'none'}</dd>
${info.sextantVersion ? html`<dt>sextant</dt><dd>${info.sextantVersion}</dd>` : ''}
<dt>Folder</dt><dd><code>${run.root}</code></dd>
${summary ? html`<dt>Summary</dt><dd><code>${summary.csvPath}</code>${summary.intervalsPath ? html`<div class="muted small">intervals: <code>${summary.intervalsPath}</code></div>` : ''}</dd>` : ''}
</dl>`;
}

function compareForm(run: ViewerRun, others: readonly string[]): SafeHtml {
  if (others.length === 0) return html``;
  return html`<form class="bar" method="get" action="/compare">
<input type="hidden" name="a" value="${run.timestamp}">
<strong>Compare with</strong>
<select name="b">${others.map((timestamp) => html`<option value="${timestamp}">${formatRunTime(timestamp)} (${timestamp})</option>`)}</select>
<button type="submit">Compare</button>
</form>`;
}

function scoreCell(options: { run: ViewerRun; row: RunSummaryRow; column: number; model: string; hasLog: boolean }): SafeHtml {
  const { run, row, column, model } = options;
  const value = row.values[column] ?? '-';
  const interval = row.intervals?.[column];
  const score =
    options.hasLog && run.models.includes(model)
      ? html`<a href="${viewerUrls.samples({ run: run.timestamp, model, dataset: row.dataset })}">${value}</a>`
      : html`${value}`;
  return html`<td class="num">${score}${interval ? html`<span class="ci">[${interval.lower}, ${interval.upper}]</span>` : ''}</td>`;
}

function summaryTable(run: ViewerRun, summary: RunSummary): SafeHtml {
  const withIntervals = summary.rows.some((row) => row.intervals?.some((interval) => interval !== undefined));
  return html`<table class="compact">
<thead><tr><th>Dataset</th><th>Version</th><th>Metric</th><th>Mode</th>${summary.models.map((model) => html`<th class="num">${model}${withIntervals ? html`<div class="muted small">score [95% CI]</div>` : ''}</th>`)}</tr></thead>
<tbody>${summary.rows.map((row) => {
    const hasLog = run.datasets.includes(row.dataset);
    const firstModel = summary.models.find((model) => run.models.includes(model));
    const name =
      hasLog && firstModel
        ? html`<a href="${viewerUrls.samples({ run: run.timestamp, model: firstModel, dataset: row.dataset })}">${row.dataset}</a>`
        : html`${row.dataset}`;
    return html`<tr${hasLog ? '' : html` class="group"`}><td>${name}</td><td class="muted">${row.version}</td><td>${row.metric}</td><td>${row.mode}</td>${summary.models.map((model, column) => scoreCell({ run, row, column, model, hasLog }))}</tr>`;
  })}</tbody>
</table>`;
}

function datasetTable(run: ViewerRun): SafeHtml {
  return html`<p class="notice">This run has no summary yet (inference may still be running); its sample logs:</p>
<table><thead><tr><th>Dataset</th>${run.models.map((model) => html`<th>${model}</th>`)}</tr></thead>
<tbody>${run.datasets.map((dataset) => html`<tr><td>${dataset}</td>${run.models.map((model) => html`<td><a href="${viewerUrls.samples({ run: run.timestamp, model, dataset })}">samples</a></td>`)}</tr>`)}</tbody></table>`;
}

/** A run: what it ran, its summary table (with intervals when the run has them) and links into its samples. */
export function renderRunPage(options: { run: ViewerRun; summary: RunSummary | undefined; otherRuns: readonly string[] }): string {
  const { run, summary } = options;
  const body = html`${runFacts(run, summary)}
${compareForm(run, options.otherRuns)}
<h2>Summary</h2>
${summary ? summaryTable(run, summary) : datasetTable(run)}`;
  return renderLayout({
    title: `Run ${run.timestamp}`,
    heading: html`Run ${formatRunTime(run.timestamp)} <span class="muted small">${run.timestamp}</span>`,
    crumbs: [{ label: 'Runs', href: viewerUrls.runs() }],
    body,
  });
}
