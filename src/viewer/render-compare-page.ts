import type { FactsComparison } from './compare-facts.js';
import { formatCount, formatDifference, formatPValue, formatRunTime, formatScore } from './format-values.js';
import { html, rawHtml, type SafeHtml } from './html.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { RunModel } from './viewer-store.js';

/** One row of a comparison: a dataset (with per-sample agreement when both runs logged it) or a summary group. */
export interface CompareRow {
  readonly dataset: string;
  readonly metric: string;
  readonly first?: number;
  readonly second?: number;
  /** Present for datasets both runs have sample logs of. */
  readonly agreement?: FactsComparison & { readonly pValue: number };
}

/** Everything the comparison page shows. */
export interface ComparePageData {
  readonly first: RunModel;
  readonly second: RunModel;
  readonly rows: readonly CompareRow[];
  /** Every run, for the pickers. */
  readonly runs: readonly string[];
}

function picker(data: ComparePageData): SafeHtml {
  const runOptions = (selected: string) => data.runs.map((timestamp) => html`<option value="${timestamp}"${timestamp === selected ? rawHtml(' selected') : ''}>${formatRunTime(timestamp)}</option>`);
  const modelPicker = (name: string, side: RunModel) =>
    side.run.models.length > 1
      ? html`<select name="${name}">${side.run.models.map((model) => html`<option value="${model}"${model === side.model ? rawHtml(' selected') : ''}>${model}</option>`)}</select>`
      : html`<span class="muted">${side.model}</span>`;
  return html`<form class="bar" method="get" action="/compare">
<label>A <select name="a">${runOptions(data.first.run.timestamp)}</select></label>${modelPicker('ma', data.first)}
<label>B <select name="b">${runOptions(data.second.run.timestamp)}</select></label>${modelPicker('mb', data.second)}
<button type="submit">Compare</button>
</form>`;
}

function agreementCells(data: ComparePageData, row: CompareRow): SafeHtml {
  const agreement = row.agreement;
  if (!agreement) return html`<td colspan="5"></td>`;
  const discordant = agreement.onlyFirstCorrect + agreement.onlySecondCorrect;
  const href = viewerUrls.samples({
    run: data.first.run.timestamp,
    model: data.first.model,
    dataset: row.dataset,
    params: [['discordant', '1'], ['compare', data.second.run.timestamp], ['compareModel', data.second.model]],
  });
  return html`<td class="num">${formatCount(agreement.paired)}</td><td class="num">${formatCount(agreement.onlyFirstCorrect)}</td><td class="num">${formatCount(agreement.onlySecondCorrect)}</td>
<td class="num">${formatPValue(agreement.pValue)}</td><td>${discordant > 0 ? html`<a href="${href}">${formatCount(discordant)} discordant</a>` : html`<span class="muted">none</span>`}</td>`;
}

function compareRow(data: ComparePageData, row: CompareRow): SafeHtml {
  const difference = row.first !== undefined && row.second !== undefined ? row.second - row.first : undefined;
  const direction = difference === undefined || Math.abs(difference) < 0.005 ? '' : difference > 0 ? 'up' : 'down';
  return html`<tr${row.agreement ? '' : rawHtml(' class="group"')}><td>${row.dataset}${row.metric !== 'accuracy' ? html` <span class="muted small">${row.metric}</span>` : ''}</td>
<td class="num">${formatScore(row.first)}</td><td class="num">${formatScore(row.second)}</td><td class="num ${direction}">${formatDifference(difference)}</td>${agreementCells(data, row)}</tr>`;
}

function tally(rows: readonly CompareRow[]): SafeHtml {
  const datasets = rows.filter((row) => row.agreement && row.first !== undefined && row.second !== undefined);
  const better = datasets.filter((row) => (row.second as number) - (row.first as number) >= 0.005).length;
  const worse = datasets.filter((row) => (row.first as number) - (row.second as number) >= 0.005).length;
  const significant = datasets.filter((row) => (row.agreement?.pValue ?? 1) < 0.05).length;
  return html`<p class="muted">B scores higher on ${better} and lower on ${worse} of ${datasets.length} datasets; ${significant} differ at p &lt; 0.05 (exact McNemar test on paired samples, not corrected for multiple comparisons).</p>`;
}

/** Two runs side by side: per dataset, both scores, the difference, and the samples they disagree on. */
export function renderComparePage(data: ComparePageData): string {
  const { first, second } = data;
  const body = html`${picker(data)}
<dl class="facts"><dt>A</dt><dd><a href="${viewerUrls.run(first.run.timestamp)}">${first.run.timestamp}</a> · ${first.model}</dd>
<dt>B</dt><dd><a href="${viewerUrls.run(second.run.timestamp)}">${second.run.timestamp}</a> · ${second.model}</dd></dl>
${tally(data.rows)}
<table><thead><tr><th>Dataset</th><th class="num">A</th><th class="num">B</th><th class="num">B − A</th><th class="num">Paired</th><th class="num">A right only</th><th class="num">B right only</th><th class="num">p</th><th>Samples</th></tr></thead>
<tbody>${data.rows.map((row) => compareRow(data, row))}</tbody></table>`;
  return renderLayout({
    title: `Compare ${first.run.timestamp} and ${second.run.timestamp}`,
    heading: html`Compare <span class="muted small">A ${first.run.timestamp} · B ${second.run.timestamp}</span>`,
    crumbs: [{ label: 'Runs', href: viewerUrls.runs() }],
    body,
  });
}
