/** The self-contained HTML report of a run: summary with intervals, charts, extraction audit. */
export { buildChartData, type ChartData, type ChartSeries } from './build-chart-data.js';
export { buildRunReport, type BuildRunReportOptions, type ModelExtractionAudit, type ScoredDatasetResults } from './build-run-report.js';
export type { DatasetLabel } from './dataset-labels.js';
export { readChartLibrary } from './read-chart-library.js';
export { renderRunReport, type RenderRunReportOptions } from './render-run-report.js';
export type { RunReport, RunReportHeader, RunReportModel, UnextractedSampleRow } from './run-report.js';
export { sampleCorrectness, sampleOutcomes } from './sample-outcomes.js';
