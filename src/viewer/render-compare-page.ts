import { comparisonTables, fullScoresLine, measurementLines, methodsLines, pairingLine, type RunComparison, type TextTable } from '../compare/index.js';
import { formatCount, formatRunTime } from './format-values.js';
import { html, rawHtml, type SafeHtml } from './html.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { RunModel } from './viewer-store.js';

/** Everything the comparison page shows: the two sides and `sextant compare`'s own comparison of them. */
export interface ComparePageData {
  readonly first: RunModel;
  readonly second: RunModel;
  /** The CLI's comparison (same pairing, warnings, intervals, corrected p-values and verdicts). */
  readonly comparison: RunComparison;
  /** Every run, for the pickers. */
  readonly runs: readonly string[];
}

function picker(data: ComparePageData): SafeHtml {
  const runOptions = (selected: string) =>
    data.runs.map((timestamp) => html`<option value="${timestamp}"${timestamp === selected ? rawHtml(' selected') : ''}>${formatRunTime(timestamp)}</option>`);
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

/** A table of the CLI's own cells (so every number reads exactly as in `sextant compare`), plus optional extra cells. */
function renderTable(table: TextTable, options: { className?: string; extraHeader?: string; extraCells?: (row: number) => SafeHtml }): SafeHtml {
  // The verdict may wrap; every number stays on one line.
  const verdictColumn = table.header.indexOf('verdict');
  const cell = (text: string, column: number) =>
    table.rightAligned[column]
      ? html`<td class="num">${text}</td>`
      : column === verdictColumn
        ? html`<td class="verdict">${text}</td>`
        : html`<td>${text}</td>`;
  return html`<div class="scroll"><table class="compare${options.className ? ` ${options.className}` : ''}"><thead><tr>${table.header.map((name, column) => (table.rightAligned[column] ? html`<th class="num">${name}</th>` : html`<th>${name}</th>`))}${options.extraHeader ? html`<th>${options.extraHeader}</th>` : ''}</tr></thead>
<tbody>${table.rows.map((row, index) => html`<tr>${row.map(cell)}${options.extraCells ? options.extraCells(index) : ''}</tr>`)}</tbody></table></div>`;
}

function discordantLink(data: ComparePageData, row: RunComparison['datasets'][number]): SafeHtml {
  const discordant = row.b + row.c;
  if (discordant === 0) return html`<td><span class="muted">none</span></td>`;
  const href = viewerUrls.samples({
    run: data.first.run.timestamp,
    model: data.first.model,
    dataset: row.dataset,
    params: [
      ['discordant', '1'],
      ['compare', data.second.run.timestamp],
      ['compareModel', data.second.model],
    ],
  });
  return html`<td><a href="${href}">${formatCount(discordant)} discordant</a></td>`;
}

/**
 * Two runs side by side, as `sextant compare` reports them: the pairing (unpaired and excluded counts) first, the
 * "NOT A PURE DEPLOYMENT CHECK" warning when what is measured changed, then the group and dataset tables with the
 * CLI's cells (accuracies on the paired samples, intervals, p-values, Holm-adjusted p-values, verdicts, and each run's
 * own full score), the methods behind them, and links to the discordant samples.
 */
export function renderComparePage(data: ComparePageData): string {
  const { first, second, comparison } = data;
  const tables = comparisonTables(comparison, { rawWidth: 80, discordantLimit: 0 });
  const measurement = measurementLines(comparison);
  const warning =
    comparison.measurementChanges.length > 0
      ? html`<div class="notice"><strong>${measurement[0]}</strong><ul>${comparison.measurementChanges.map((line) => html`<li>${line}</li>`)}</ul></div>`
      : html`<p class="muted">${measurement[0]}</p>`;
  const body = html`${rawHtml('<style>.scroll { overflow-x: auto; } table.compare td { white-space: nowrap; } table.compare td.verdict { white-space: normal; min-width: 11em; }</style>')}
${picker(data)}
<dl class="facts"><dt>A</dt><dd><a href="${viewerUrls.run(first.run.timestamp)}">${first.run.timestamp}</a> · ${first.model}</dd>
<dt>B</dt><dd><a href="${viewerUrls.run(second.run.timestamp)}">${second.run.timestamp}</a> · ${second.model}</dd></dl>
<p class="pairing">${pairingLine(comparison)}</p>
${warning}
${comparison.groups.length > 0 ? html`<h2>Groups</h2>${renderTable(tables.groups, { className: 'groups' })}` : ''}
${comparison.skippedGroups.map((group) => html`<p class="muted">group ${group.group} (${group.metric}) left out: no pairs for ${group.missing.join(', ')}</p>`)}
${comparison.notCompared.map((entry) => html`<p class="muted">dataset ${entry.dataset} (${entry.samples} pairs) not compared: ${entry.reason}</p>`)}
${
  comparison.datasets.length > 0
    ? html`<h2>Datasets</h2>${renderTable(tables.datasets, { className: 'datasets', extraHeader: 'Samples', extraCells: (index) => discordantLink(data, comparison.datasets[index]!) })}
<div class="methods small muted">${methodsLines(comparison).map((line) => html`<p>${line}</p>`)}</div>`
    : html`<p><strong>No paired samples: nothing can be compared (not enough data).</strong></p>`
}
<p class="muted">${fullScoresLine(comparison)}</p>`;
  return renderLayout({
    title: `Compare ${first.run.timestamp} and ${second.run.timestamp}`,
    heading: html`Compare <span class="muted small">A ${first.run.timestamp} · B ${second.run.timestamp}</span>`,
    crumbs: [{ label: 'Runs', href: viewerUrls.runs() }],
    body,
  });
}
