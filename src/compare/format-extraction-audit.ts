import type { ExtractionAudit } from './audit-extracted-answers.js';
import { fixed, oneLine } from './comparison-tables.js';
import { formatTextTable, type TextTable } from './text-table.js';

/** Options for {@link formatExtractionAudit}. */
export interface FormatExtractionAuditOptions {
  /** Unextracted samples and disagreements listed per kind (the rest are counted; `--json` lists all). @default 20 */
  listLimit?: number;
  /** Characters of raw output shown per cell. @default 60 */
  rawWidth?: number;
}

/** The terminal report of an extraction audit: the per-dataset table, then the samples to look at. Ends with a newline. */
export function formatExtractionAudit(audit: ExtractionAudit, options: FormatExtractionAuditOptions = {}): string {
  const limit = options.listLimit ?? 20;
  const rawWidth = options.rawWidth ?? 60;
  const second = audit.extractor;
  const table: TextTable = {
    header: ['dataset', 'extraction', 'extracted when', 'n', 'extracted', 'rate', 'accuracy', ...(second ? [`${second}`, 'rate', 'accuracy', 'disagree'] : [])],
    rows: audit.datasets.map((dataset) => [
      dataset.dataset,
      dataset.extraction,
      dataset.rule,
      String(dataset.samples),
      String(dataset.extracted),
      fixed(dataset.rate),
      fixed(dataset.accuracy),
      ...(dataset.second
        ? [String(dataset.second.extracted), fixed(dataset.second.rate), fixed(dataset.second.accuracy), String(dataset.second.disagreements.length)]
        : []),
    ]),
    rightAligned: [false, false, false, true, true, true, true, true, true, true, true],
  };
  const { totals } = audit;
  const blocks = [
    `Extraction audit of ${audit.run}, model ${audit.model}: a prediction is extracted when its answer is what its dataset expects ("extracted when": option letters, a number, non-empty text or a program; a PPL label always).`,
    formatTextTable(table),
    `Total: ${totals.extracted}/${totals.samples} extracted (${fixed(totals.rate)}%)` +
      (totals.second && second
        ? `; ${second}: ${totals.second.extracted}/${totals.samples} (${fixed(totals.second.rate)}%), ${totals.second.disagreements} disagreement(s)`
        : '') +
      '.',
  ];
  const unextracted = audit.datasets.flatMap((dataset) => dataset.unextracted.map((sample) => ({ dataset: dataset.dataset, ...sample })));
  blocks.push(
    listing(`Unextracted samples: ${unextracted.length}`, limit, {
      header: ['dataset', '#', 'gold', 'extracted', 'output'],
      rows: unextracted.map((sample) => [
        sample.dataset,
        String(sample.index),
        sample.gold || '-',
        sample.extracted || '-',
        sample.error !== undefined ? `(failed: ${oneLine(sample.error, rawWidth)})` : oneLine(sample.raw, rawWidth),
      ]),
      rightAligned: [false, true, false, false, false],
    }),
  );
  if (second) {
    const disagreements = audit.datasets.flatMap((dataset) => (dataset.second?.disagreements ?? []).map((sample) => ({ dataset: dataset.dataset, ...sample })));
    blocks.push(
      listing(`Samples where the extractors disagree: ${disagreements.length}`, limit, {
        header: ['dataset', '#', 'gold', 'own', second, 'output'],
        rows: disagreements.map((sample) => [
          sample.dataset,
          String(sample.index),
          sample.gold || '-',
          sample.primary || '-',
          sample.secondary || '-',
          oneLine(sample.raw, rawWidth),
        ]),
        rightAligned: [false, true, false, false, false, false],
      }),
    );
  }
  const judged = audit.datasets.filter((dataset) => dataset.judges !== undefined);
  if (judged.length > 0) {
    const rows = judged.flatMap((dataset) =>
      (dataset.judges?.disagreements ?? []).map((sample) => {
        const verdicts = Object.entries(sample.verdicts).map(
          ([name, verdict]) => `${name}: ${verdict.correct ? 'right' : 'wrong'} (${oneLine(verdict.pred ?? '-', 30)})`,
        );
        return [dataset.dataset, String(sample.index), verdicts.join('; ')];
      }),
    );
    const judges = [...new Set(judged.flatMap((dataset) => dataset.judges?.judges ?? []))].join(', ');
    blocks.push(
      listing(`Samples where the judges (${judges}) disagree: ${rows.length}`, limit, {
        header: ['dataset', '#', 'verdicts'],
        rows,
        rightAligned: [false, true, false],
      }),
    );
  }
  return `${blocks.join('\n\n')}\n`;
}

function listing(title: string, limit: number, table: TextTable): string {
  if (table.rows.length === 0) return `${title}.`;
  const shown = formatTextTable({ ...table, rows: table.rows.slice(0, limit) });
  const more = table.rows.length > limit ? `\n… and ${table.rows.length - limit} more (--json lists all)` : '';
  return `${title}\n${shown}${more}`;
}
