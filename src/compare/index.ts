/** Paired comparison of two runs (`sextant compare`), backend agreement, and the extraction audit (`sextant audit`). */
export {
  auditExtractedAnswers,
  extractionAuditFormatVersion,
  type DatasetExtractionAudit,
  type ExtractionAudit,
  type ExtractionTotals,
  type ExtractorDisagreement,
  type NamedExtractor,
  type SecondExtraction,
  type UnextractedSample,
} from './audit-extracted-answers.js';
export { compareModelRuns, type CompareModelRunsOptions } from './compare-model-runs.js';
export { comparisonVerdict } from './comparison-verdict.js';
export { detectConfigDifferences, type ComparedSide, type ConfigDifference, type ConfigDifferenceKind } from './detect-config-differences.js';
export { formatComparisonMarkdown } from './format-comparison-markdown.js';
export { comparisonTables, methodsLines, type ComparisonTables } from './comparison-tables.js';
export { formatComparisonText, fullScoresLine, measurementLines, pairingLine, type FormatComparisonTextOptions } from './format-comparison-text.js';
export {
  datasetStatistics,
  groupStatistics,
  type DatasetStatistics,
  type GroupStatistics,
  type PairedCounts,
  type RowStatistics,
} from './paired-statistics.js';
export type { TextTable } from './text-table.js';
export { formatExtractionAudit, type FormatExtractionAuditOptions } from './format-extraction-audit.js';
export { openRunInfo } from './open-run-info.js';
export { promptFingerprint, samePrompt } from './prompt-fingerprint.js';
export { pairModelRuns, type PairedDataset, type PairingSummary, type PromptVersionMismatch } from './pair-model-runs.js';
export { readModelRun, type DatasetSamples, type ModelRun, type RunModelInfo, type ScoredSample } from './read-model-run.js';
export { resolveExtractor } from './resolve-extractor.js';
export * from './run-comparison.js';
export { selectComparedModels, selectRunModel, type ComparedModels } from './select-compared-models.js';
export { findJudgeDisagreements, type JudgeAgreement, type JudgeDisagreement } from './find-judge-disagreements.js';
