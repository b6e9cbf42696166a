import type { SampleRecord } from '../store/index.js';
import { formatCount, formatRunTime, truncateText } from './format-values.js';
import { html, rawHtml, type SafeHtml } from './html.js';
import { promptTurns } from './prompt-turns.js';
import type { SampleFacts } from './sample-facts.js';
import { isFilterActive, sampleFilterParams, type SampleFilter } from './sample-filter.js';
import { answerText, outcomeBadges, type SampleOutcome } from './sample-outcome.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { RunModel, ViewerRun } from './viewer-store.js';

/** One row of the sample list; `record` is absent when the log line is unreadable. */
export interface SampleRow {
  readonly sampleIndex: number;
  readonly record?: SampleRecord;
  readonly outcome?: SampleOutcome;
  /** The same sample in the compared run; `'missing'` when that run has no record of it. */
  readonly other?: SampleOutcome | 'missing';
}

/** Everything the sample list shows; rows are one page only. */
export interface SamplesPageData {
  readonly run: ViewerRun;
  readonly model: string;
  readonly dataset: string;
  readonly filter: SampleFilter;
  readonly page: number;
  readonly pageCount: number;
  readonly pageSize: number;
  /** Samples that pass the filter, and samples in the log. */
  readonly total: number;
  readonly count: number;
  readonly facts?: SampleFacts;
  readonly extractorName: string;
  /** The dataset's score in the run summary, as written there. */
  readonly score?: string;
  readonly otherRuns: readonly string[];
  readonly compared?: RunModel;
  readonly notice?: string;
  readonly rows: readonly SampleRow[];
}

/**
 * A short form of the question a sample asks: its last human turn (the in-context examples come before it), or for
 * a plain-text prompt its end, where the question is.
 */
export function questionSnippet(originPrompt: unknown, limit: number): string {
  const turns = promptTurns(originPrompt);
  const asked = [...turns].reverse().find((turn) => /^(human|user)$/i.test(turn.role));
  if (asked) return truncateText(asked.text, limit);
  const characters = Array.from((turns.at(-1)?.text ?? '').replace(/\s+/g, ' ').trim());
  return characters.length <= limit ? characters.join('') : `…${characters.slice(-limit).join('')}`;
}

function filterForm(data: SamplesPageData): SafeHtml {
  const { filter } = data;
  const checkbox = (name: 'wrong' | 'unextracted' | 'failed' | 'discordant', label: string) =>
    html`<label><input type="checkbox" name="${name}" value="1"${filter[name] ? rawHtml(' checked') : ''}> ${label}</label>`;
  return html`<form class="bar" method="get" action="${viewerUrls.samples({ run: data.run.timestamp, model: data.model, dataset: data.dataset })}">
${checkbox('wrong', 'wrong')}${checkbox('unextracted', 'no answer extracted')}${checkbox('failed', 'failed')}${checkbox('discordant', 'discordant')}
<label>vs <select name="compare" id="compare"><option value="">— no run —</option>${data.otherRuns.map(
    (timestamp) => html`<option value="${timestamp}"${timestamp === filter.compareRun ? rawHtml(' selected') : ''}>${formatRunTime(timestamp)}</option>`,
  )}</select></label>
${filter.compareModel ? html`<input type="hidden" name="compareModel" value="${filter.compareModel}">` : ''}
<input type="search" name="q" value="${filter.query}" placeholder="Search prompt or prediction">
<button type="submit">Apply</button>
<a href="${viewerUrls.samples({ run: data.run.timestamp, model: data.model, dataset: data.dataset })}">clear</a>
</form>`;
}

function counts(data: SamplesPageData): SafeHtml {
  const facts = data.facts;
  const parts = [
    html`<strong>${formatCount(data.total)}</strong> ${isFilterActive(data.filter) ? html`of ${formatCount(data.count)} samples match` : 'samples'}`,
    data.score !== undefined ? html`score ${data.score}` : '',
    facts
      ? html`${formatCount(facts.correctCount)} correct · ${formatCount(facts.failedCount)} failed · ${formatCount(facts.unextractedCount)} without an extracted answer`
      : '',
    html`answers extracted by <code>${data.extractorName}</code>`,
    data.compared
      ? html`compared with <a href="${viewerUrls.run(data.compared.run.timestamp)}">${data.compared.run.timestamp}</a> / ${data.compared.model}`
      : '',
  ];
  return html`<p class="muted">${parts.filter((part) => part !== '').map((part, at) => html`${at > 0 ? ' · ' : ''}${part}`)}</p>`;
}

function row(data: SamplesPageData, entry: SampleRow): SafeHtml {
  const href = viewerUrls.sample({
    run: data.run.timestamp,
    model: data.model,
    dataset: data.dataset,
    index: entry.sampleIndex,
    params: sampleFilterParams(data.filter),
  });
  const index = html`<td class="num"><a href="${href}">#${entry.sampleIndex}</a></td>`;
  const { record, outcome } = entry;
  if (!record || !outcome) return html`<tr>${index}<td colspan="${data.compared ? 6 : 5}" class="muted">unreadable log line</td></tr>`;
  const other =
    entry.other === undefined
      ? ''
      : entry.other === 'missing'
        ? html`<td class="muted">not in run</td>`
        : html`<td>${answerText(entry.other.extracted)} ${outcomeBadges(entry.other)}</td>`;
  return html`<tr>${index}
<td class="text"><a href="${href}" class="question">${questionSnippet(record.originPrompt, 150) || '(empty prompt)'}</a></td>
<td class="text">${record.error !== undefined ? html`<span class="muted">${truncateText(record.error, 90)}</span>` : truncateText(record.prediction, 90)}</td>
<td>${answerText(outcome.extracted)}</td><td>${answerText(record.gold)}</td><td>${outcomeBadges(outcome)}</td>${other}</tr>`;
}

function pager(data: SamplesPageData): SafeHtml {
  const link = (page: number, label: string) =>
    page >= 1 && page <= data.pageCount && page !== data.page
      ? html`<a href="${viewerUrls.samples({ run: data.run.timestamp, model: data.model, dataset: data.dataset, params: [...sampleFilterParams(data.filter), ['page', String(page)]] })}">${label}</a>`
      : html`<span>${label}</span>`;
  const first = (data.page - 1) * data.pageSize + 1;
  const last = Math.min(data.total, data.page * data.pageSize);
  return html`<div class="pager">${link(1, '« first')}${link(data.page - 1, '‹ previous')}<span>page ${data.page} of ${formatCount(data.pageCount)}${data.total > 0 ? ` (${formatCount(first)}–${formatCount(last)})` : ''}</span>${link(data.page + 1, 'next ›')}${link(data.pageCount, 'last »')}</div>`;
}

const script = rawHtml(`
const compare = document.getElementById('compare');
const discordant = document.querySelector('input[name=discordant]');
const sync = () => { discordant.disabled = compare.value === ''; if (discordant.disabled) discordant.checked = false; };
compare.addEventListener('change', sync); sync();
`);

/** One page of a (model, dataset)'s samples, with the filter bar and paging. */
export function renderSamplesPage(data: SamplesPageData): string {
  const table =
    data.rows.length === 0
      ? html`<p class="notice">No samples match.</p>`
      : html`<table><thead><tr><th class="num">#</th><th>Question</th><th>Prediction</th><th>Extracted</th><th>Gold</th><th>Result</th>${data.compared ? html`<th>${data.compared.run.timestamp}</th>` : ''}</tr></thead>
<tbody>${data.rows.map((entry) => row(data, entry))}</tbody></table>`;
  const body = html`${filterForm(data)}
${data.notice ? html`<p class="notice">${data.notice}</p>` : ''}
${counts(data)}
${pager(data)}
${table}
${data.pageCount > 1 ? pager(data) : ''}`;
  return renderLayout({
    title: `${data.dataset} · ${data.model}`,
    heading: html`${data.dataset} <span class="muted small">${data.model}</span>`,
    crumbs: [
      { label: 'Runs', href: viewerUrls.runs() },
      { label: data.run.timestamp, href: viewerUrls.run(data.run.timestamp) },
    ],
    body,
    script,
  });
}
