import { formatCount, formatRunTime, formatScore } from './format-values.js';
import { html, type SafeHtml } from './html.js';
import { overallScore } from './overall-score.js';
import type { RunSummary } from './read-run-summary.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { ViewerRun } from './viewer-store.js';

/** One row of the run list: a readable run, or a run folder that could not be read (`problem`). */
export type RunListing =
  | { readonly kind: 'run'; readonly run: ViewerRun; readonly summary: RunSummary | undefined; readonly sampleCount: number }
  | { readonly kind: 'unreadable'; readonly timestamp: string; readonly problem: string };

function scoreCell(run: ViewerRun, summary: RunSummary | undefined): SafeHtml {
  if (!summary) return html`<span class="muted">no summary yet</span>`;
  return html`${run.models.map((model) => {
    const column = summary.models.indexOf(model);
    const score = column === -1 ? undefined : overallScore(summary, column);
    return html`<div>${run.models.length > 1 ? html`<span class="muted">${model}:</span> ` : ''}${
      score
        ? html`<strong>${formatScore(score.value)}</strong> <span class="muted small">${score.dataset} ${score.metric}</span>`
        : html`<span class="muted">—</span>`
    }</div>`;
  })}`;
}

function runRow(listing: RunListing): SafeHtml {
  switch (listing.kind) {
    case 'unreadable':
      return html`<tr><td>${listing.timestamp}</td><td colspan="5" class="muted">${listing.problem}</td></tr>`;
    case 'run': {
      const { run, summary } = listing;
      const datasetCount = run.datasets.length;
      return html`<tr>
<td><a href="${viewerUrls.run(run.timestamp)}">${formatRunTime(run.timestamp)}</a><div class="muted small">${run.timestamp}</div></td>
<td>${run.models.map((model) => html`<div>${model}</div>`)}</td>
<td>${run.info.datasets.join(', ')}<div class="muted small">${formatCount(datasetCount)} dataset${datasetCount === 1 ? '' : 's'}${run.info.limit !== null ? `, limit ${run.info.limit}` : ''}</div></td>
<td class="num">${formatCount(listing.sampleCount)}</td>
<td>${scoreCell(run, summary)}</td>
</tr>`;
    }
    default: {
      const unreachable: never = listing;
      throw new TypeError(`unexpected listing ${JSON.stringify(unreachable)}`);
    }
  }
}

function compareForm(timestamps: readonly string[]): SafeHtml {
  if (timestamps.length < 2) return html``;
  const options = (selected: string) =>
    timestamps.map((timestamp) => html`<option value="${timestamp}"${timestamp === selected ? ' selected' : ''}>${formatRunTime(timestamp)}</option>`);
  return html`<form class="bar" method="get" action="/compare">
<strong>Compare runs</strong>
<label>A <select name="a">${options(timestamps[1] as string)}</select></label>
<label>B <select name="b">${options(timestamps[0] as string)}</select></label>
<button type="submit">Compare</button>
</form>`;
}

/** The run list: every run folder of the work dir, newest first. */
export function renderRunsPage(options: { workDir: string; runs: readonly RunListing[] }): string {
  const timestamps = options.runs.filter((listing) => listing.kind === 'run').map((listing) => listing.run.timestamp);
  const body =
    options.runs.length === 0
      ? html`<p class="notice">No runs in <code>${options.workDir}</code> yet. Start one with <code>sextant run … -w ${options.workDir}</code>.</p>`
      : html`<p class="muted">${formatCount(options.runs.length)} run${options.runs.length === 1 ? '' : 's'} in <code>${options.workDir}</code></p>
${compareForm(timestamps)}
<table>
<thead><tr><th>Run</th><th>Models</th><th>Datasets</th><th class="num">Samples</th><th>Overall score</th></tr></thead>
<tbody>${options.runs.map(runRow)}</tbody>
</table>`;
  return renderLayout({ title: 'Runs', body });
}
