import { escapeHtml } from './escape-html.js';
import { formatRate } from './format-cells.js';
import { modelColor } from './model-colors.js';
import type { RunReport, RunReportModel } from './run-report.js';

/** Raw predictions longer than this are cut in the list (the full text stays in the run's predictions files). */
const rawPredictionLength = 300;
/** Extraction rates below this share are highlighted. */
const lowRate = 0.9;

/** The extraction audit: per-model and per-dataset extraction rates, then each model's unextracted samples. */
export function renderExtractionAudit(report: RunReport): string {
  return [
    `<p class="note">A prediction is extracted when its answer is what its dataset expects (per dataset below: one of its option letters, a number, non-empty text or a program; a PPL prediction is always a label); anything else is scored wrong whatever the model meant. Failed samples (no answer after all retries) count as unextracted.</p>`,
    renderTotals(report.models),
    renderPerDataset(report),
    ...report.models.map((model, index) => renderUnextracted(model, index)),
  ].join('\n');
}

function renderTotals(models: readonly RunReportModel[]): string {
  const rows = models.map(
    (model, index) =>
      `<tr><td>${swatch(index)}${escapeHtml(model.abbr)}</td><td class="number">${model.extraction.samples}</td><td class="number${rateClass(model.extraction.extracted, model.extraction.samples)}">${formatRate(model.extraction.extracted, model.extraction.samples)}</td><td class="number">${model.unextractedTotal}</td><td class="number">${model.failed}</td></tr>`,
  );
  return `<div class="table-wrap"><table><thead><tr><th>model</th><th class="number">samples</th><th class="number">extraction rate</th><th class="number">unextracted</th><th class="number">failed</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function renderPerDataset(report: RunReport): string {
  const headers = report.models.map((model, index) => `<th class="number">${swatch(index)}${escapeHtml(model.abbr)}</th>`).join('');
  const rows = report.datasets.map((dataset) => {
    const cells = report.models.map((model) => {
      const extraction = model.extractionByDataset.get(dataset.abbr);
      if (!extraction) return '<td class="number">-</td>';
      return `<td class="number${rateClass(extraction.extracted, extraction.samples)}">${formatRate(extraction.extracted, extraction.samples)}</td>`;
    });
    const rule = report.models.map((model) => model.extractionByDataset.get(dataset.abbr)?.rule).find((text) => text !== undefined) ?? '';
    return `<tr><td><code>${escapeHtml(dataset.abbr)}</code></td><td class="zh">${escapeHtml(dataset.label.name ?? '')}</td><td>${escapeHtml(rule)}</td>${cells.join('')}</tr>`;
  });
  return `<details><summary>Extraction rate per dataset (${report.datasets.length})</summary><div class="table-wrap"><table><thead><tr><th>dataset</th><th>name</th><th>extracted when</th>${headers}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div></details>`;
}

function renderUnextracted(model: RunReportModel, index: number): string {
  const shown = model.unextracted.length;
  const title = `${swatch(index)}${escapeHtml(model.abbr)}: ${model.unextractedTotal} unextracted sample${model.unextractedTotal === 1 ? '' : 's'}${shown < model.unextractedTotal ? ` (first ${shown} shown)` : ''}`;
  if (shown === 0) return `<details><summary>${title}</summary><p class="empty">Every prediction was extracted.</p></details>`;
  const rows = model.unextracted.map((sample) => {
    const raw = sample.error !== undefined ? `failed: ${sample.error}` : sample.raw;
    const cut = raw.length > rawPredictionLength ? `${raw.slice(0, rawPredictionLength)}…` : raw;
    const extracted = sample.extracted === '' ? '<span class="empty">none</span>' : `<code>${escapeHtml(sample.extracted)}</code>`;
    return `<tr><td><code>${escapeHtml(sample.dataset)}</code></td><td class="number">${sample.index}</td><td>${escapeHtml(sample.gold)}</td><td>${extracted}</td><td class="raw">${escapeHtml(cut)}</td></tr>`;
  });
  return `<details open><summary>${title}</summary><div class="table-wrap"><table><thead><tr><th>dataset</th><th class="number">#</th><th>gold</th><th>extracted</th><th>raw prediction</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div></details>`;
}

function swatch(index: number): string {
  return `<span class="swatch" style="background:${modelColor(index)}"></span>`;
}

function rateClass(part: number, total: number): string {
  return total > 0 && part / total < lowRate ? ' low' : '';
}
