import type { SampleRecord } from '../store/index.js';
import { formatCount } from './format-values.js';
import { html, rawHtml, type SafeHtml } from './html.js';
import { promptTurns, type PromptTurn } from './prompt-turns.js';
import { sampleFilterParams, type SampleFilter } from './sample-filter.js';
import { answerText, outcomeBadges, type SampleOutcome } from './sample-outcome.js';
import { renderLayout } from './render-layout.js';
import { viewerUrls } from './viewer-urls.js';
import type { RunModel, ViewerRun } from './viewer-store.js';

/** The same sample in a compared run. */
export interface ComparedSample {
  readonly source: RunModel;
  readonly record?: SampleRecord;
  readonly outcome?: SampleOutcome;
}

/** Everything one sample's page shows. */
export interface SamplePageData {
  readonly run: ViewerRun;
  readonly model: string;
  readonly dataset: string;
  readonly sampleIndex: number;
  /** The record, or the raw line when it is unreadable. */
  readonly sample:
    { readonly kind: 'record'; readonly record: SampleRecord; readonly outcome: SampleOutcome } | { readonly kind: 'unreadable'; readonly text: string };
  readonly extractorName: string;
  readonly filter: SampleFilter;
  /** Neighbours within the filtered list, and the list page this sample is on. */
  readonly previousIndex?: number;
  readonly nextIndex?: number;
  readonly listPage: number;
  readonly compared?: ComparedSample;
}

function roleClass(role: string): string {
  if (/^(human|user)$/i.test(role)) return 'human';
  if (/^(bot|assistant|gpt)$/i.test(role)) return 'bot';
  if (/^system$/i.test(role)) return 'system';
  return 'plain';
}

function turnBlock(turn: PromptTurn): SafeHtml {
  return html`<div class="turn ${roleClass(turn.role)}"><div class="role">${turn.role || 'prompt'}</div><pre>${turn.text}</pre></div>`;
}

/** The prompt: in-context example turns folded away, the asked turn (the last human one) and what follows it shown. */
function promptBlock(originPrompt: unknown): SafeHtml {
  const turns = promptTurns(originPrompt);
  let asked = turns.length - 1;
  while (asked > 0 && roleClass((turns[asked] as PromptTurn).role) !== 'human') asked -= 1;
  const examples = turns.slice(0, Math.max(0, asked));
  const shots = examples.filter((turn) => roleClass(turn.role) === 'human').length;
  return html`${examples.length > 0 ? html`<details><summary>${shots} in-context example${shots === 1 ? '' : 's'} (${examples.length} turns)</summary><div class="examples">${examples.map(turnBlock)}</div></details>` : ''}${turns.slice(Math.max(0, asked)).map(turnBlock)}`;
}

function labelsTable(record: SampleRecord): SafeHtml {
  if (!record.labels || record.labels.length === 0) return html``;
  return html`<h2>Labels (perplexity)</h2><table><thead><tr><th>Label</th><th class="num">PPL</th><th class="num">BPB</th><th>Prompt</th></tr></thead>
<tbody>${record.labels.map(
    (label) =>
      html`<tr><td>${answerText(label.label)}${label.label === record.prediction ? html` <span class="badge good">chosen</span>` : ''}</td><td class="num">${label.ppl.toFixed(4)}</td><td class="num">${label.bpb.toFixed(4)}</td><td><details><summary>show</summary><pre>${label.prompt}</pre></details></td></tr>`,
  )}</tbody></table>`;
}

function recordFacts(record: SampleRecord, outcome: SampleOutcome, extractorName: string): SafeHtml {
  const tokens =
    record.promptTokens !== undefined || record.completionTokens !== undefined
      ? `${record.promptTokens ?? '?'} prompt + ${record.completionTokens ?? '?'} completion`
      : undefined;
  return html`<dl class="facts">
<dt>Result</dt><dd>${outcomeBadges(outcome)}</dd>
<dt>Extracted answer</dt><dd>${answerText(outcome.extracted)} <span class="muted small">by ${extractorName}</span></dd>
<dt>Gold</dt><dd>${answerText(record.gold)}</dd>
${record.error !== undefined ? html`<dt>Error</dt><dd><span class="badge warn">failed</span> ${record.error}</dd>` : ''}
<dt>Attempts</dt><dd>${record.attempts ?? '—'}${record.latencyMs !== undefined ? html` <span class="muted">· ${formatCount(record.latencyMs)} ms</span>` : ''}</dd>
${tokens ? html`<dt>Tokens</dt><dd>${tokens}</dd>` : ''}
<dt>Key</dt><dd class="muted small"><code>${record.key}</code></dd>
</dl>`;
}

function comparedBlock(data: SamplePageData): SafeHtml {
  const compared = data.compared;
  if (!compared) return html``;
  const href = viewerUrls.sample({
    run: compared.source.run.timestamp,
    model: compared.source.model,
    dataset: data.dataset,
    index: data.sampleIndex,
    params: [['compare', data.run.timestamp]],
  });
  const heading = html`<h2>In run <a href="${href}">${compared.source.run.timestamp}</a> <span class="muted small">${compared.source.model}</span></h2>`;
  if (!compared.record || !compared.outcome) return html`<div>${heading}<p class="muted">That run has no readable record of this sample.</p></div>`;
  return html`<div>${heading}<dl class="facts"><dt>Result</dt><dd>${outcomeBadges(compared.outcome)}</dd><dt>Extracted answer</dt><dd>${answerText(compared.outcome.extracted)}</dd></dl>
<div class="box"><pre>${compared.record.error ?? compared.record.prediction}</pre></div></div>`;
}

function navigation(data: SamplePageData): SafeHtml {
  const params = sampleFilterParams(data.filter);
  const at = (index: number | undefined, label: string, id: string) =>
    index === undefined
      ? html`<span>${label}</span>`
      : html`<a id="${id}" href="${viewerUrls.sample({ run: data.run.timestamp, model: data.model, dataset: data.dataset, index, params })}">${label}</a>`;
  const list = viewerUrls.samples({
    run: data.run.timestamp,
    model: data.model,
    dataset: data.dataset,
    params: data.listPage > 1 ? [...params, ['page', String(data.listPage)]] : params,
  });
  return html`<div class="pager">${at(data.previousIndex, '‹ previous', 'previous')}<a href="${list}">back to the list</a>${at(data.nextIndex, 'next ›', 'next')}<span class="small">(keys ← →)</span></div>`;
}

const script = rawHtml(`
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
  const link = document.getElementById(event.key === 'ArrowLeft' ? 'previous' : event.key === 'ArrowRight' ? 'next' : '');
  if (link) location.href = link.getAttribute('href');
});
`);

/** One sample: result, answers, raw prediction, the prompt as turns, and the same sample in a compared run. */
export function renderSamplePage(data: SamplePageData): string {
  const { sample } = data;
  const content =
    sample.kind === 'record'
      ? html`${recordFacts(sample.record, sample.outcome, data.extractorName)}
<div class="${data.compared ? 'columns' : ''}"><div><h2>Raw prediction</h2><div class="box"><pre>${sample.record.prediction === '' ? html`<span class="muted">(empty)</span>` : sample.record.prediction}</pre></div></div>
${comparedBlock(data)}</div>
<h2>Prompt</h2>${promptBlock(sample.record.originPrompt)}
${sample.record.inContextExamples ? html`<details><summary>in-context examples (as rendered)</summary><pre>${sample.record.inContextExamples}</pre></details>` : ''}
${labelsTable(sample.record)}`
      : html`<p class="notice">This log line is not a readable sample record (a torn write?):</p><div class="box"><pre>${sample.text}</pre></div>`;
  return renderLayout({
    title: `#${data.sampleIndex} · ${data.dataset}`,
    heading: html`Sample #${data.sampleIndex} <span class="muted small">${data.dataset} · ${data.model}</span>`,
    crumbs: [
      { label: 'Runs', href: viewerUrls.runs() },
      { label: data.run.timestamp, href: viewerUrls.run(data.run.timestamp) },
      {
        label: data.dataset,
        href: viewerUrls.samples({ run: data.run.timestamp, model: data.model, dataset: data.dataset, params: sampleFilterParams(data.filter) }),
      },
    ],
    body: html`${navigation(data)}${content}`,
    script,
  });
}
