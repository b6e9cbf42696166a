import { join, resolve } from 'node:path';
import { buildRunReport, readChartLibrary, renderRunReport, type ModelExtractionAudit, type ScoredDatasetResults } from '../report/html/index.js';
import { resolveDatasets, summaryGroups } from '../registry/index.js';
import { DataError, type DatasetLabel } from '../spec/index.js';
import { readRunInfo, readRunResults, resolveRunFolder } from '../store/index.js';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { auditExtraction } from './audit-extraction.js';

/** Options for {@link writeRunReport}. */
export interface WriteRunReportOptions {
  /** A run folder (`<work-dir>/<YYYYmmdd_HHMMSS>`) whose results were scored, or a work dir (its newest run). */
  readonly runDirectory: string;
  /** Where to write the report. @default `<runDirectory>/report.html` */
  readonly outputPath?: string;
}

/** The report written by {@link writeRunReport}. */
export interface WrittenRunReport {
  /** Absolute path of the HTML file. */
  readonly path: string;
  /** Its size in bytes (UTF-8). */
  readonly bytes: number;
}

/**
 * Writes a run's self-contained HTML report (atomically): every model's summary with 95% intervals where they are
 * valid, group and per-subject charts (labelled by each benchmark's own subject names), failed-sample counts and an extraction audit ({@link auditExtraction}). Reads
 * only the run's recorded config, results files and sample logs: no model is called, and the page loads nothing
 * from the network (Chart.js is inlined).
 *
 * @throws {DataError} when the folder is not a sextant run, or no (model, dataset) of it has been scored.
 */
export async function writeRunReport(options: WriteRunReportOptions): Promise<WrittenRunReport> {
  const root = await resolveRunFolder({ path: options.runDirectory, argument: 'RUN' });
  const info = await readRunInfo(root);
  const datasets = Object.entries(info.datasetVersions).map(([abbr, version]) => ({ abbr, version }));
  const results = new Map<string, Map<string, ScoredDatasetResults>>();
  const extraction = new Map<string, ModelExtractionAudit>();
  for (const model of info.models) {
    const modelResults = new Map<string, ScoredDatasetResults>();
    for (const dataset of datasets) {
      const scored = await readRunResults(root, model.abbr, dataset.abbr);
      if (scored) modelResults.set(dataset.abbr, { ...scored, details: slimDetails(scored.details) });
    }
    results.set(model.abbr, modelResults);
  }
  if (![...results.values()].some((modelResults) => modelResults.size > 0)) {
    throw new DataError({ path: root, message: `${root} has no scored results yet: score it first (sextant run --mode eval -r ${info.timestamp})` });
  }
  // Dataset by dataset: the audit reads the sample logs (prompts included), and a suite's would not fit in memory at once.
  for (const model of info.models) {
    const audits: ModelExtractionAudit['datasets'][number][] = [];
    let validOptions = 'ABCD';
    for (const dataset of datasets) {
      const audit = await auditExtraction({ run: root, model: model.abbr, datasets: [dataset.abbr] });
      validOptions = audit.validOptions;
      audits.push(...audit.datasets);
    }
    extraction.set(model.abbr, { validOptions, datasets: audits });
  }
  const report = buildRunReport({
    run: {
      timestamp: info.timestamp,
      ...(info.sextantVersion ? { sextantVersion: info.sextantVersion } : {}),
      datasetConfigs: info.datasets,
      limit: info.limit,
    },
    models: info.models.map((model) => ({ abbr: model.abbr, ...(model.modelName !== undefined ? { modelName: model.modelName } : {}) })),
    datasets,
    results,
    extraction,
    groups: summaryGroups(),
    labels: datasetLabels(info.datasets),
  });
  const html = renderRunReport({ report, chartLibrary: await readChartLibrary() });
  const path = resolve(options.outputPath ?? join(root, 'report.html'));
  await writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html, 'utf8') };
}

/** Each dataset's label from its benchmark's definition (none when this sextant version does not know the run's configs). */
function datasetLabels(configs: readonly string[]): Map<string, DatasetLabel> {
  try {
    return new Map(resolveDatasets(configs).flatMap((task) => (task.label ? [[task.abbr, task.label] as const] : [])));
  } catch {
    return new Map();
  }
}

/** Only what the report reads of each sample (the prompts would hold a whole run's text in memory). */
function slimDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const slim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (key === 'type' || typeof value !== 'object' || value === null) {
      slim[key] = value;
      continue;
    }
    const { predictions, references, correct, error } = value as Record<string, unknown>;
    slim[key] = { predictions, references, ...(correct !== undefined ? { correct } : {}), ...(error !== undefined ? { error } : {}) };
  }
  return slim;
}
