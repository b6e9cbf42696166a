/** Writers for OpenCompass's summary files (`summary_<time>.txt`, `.csv`, `.md`) and their Python formatting rules. */
export { displayWidth } from './display-width.js';
export { formatCsv, type FormatCsvOptions } from './format-csv.js';
export { formatMarkdown } from './format-markdown.js';
export { formatPythonFloat } from './format-python-float.js';
export { formatRawResults, type RawDatasetResult, type RawModelResults } from './format-raw-results.js';
export { formatSummaryText, type SummaryTextInput } from './format-summary-text.js';
export { formatTabulate, type FormatTabulateOptions } from './format-tabulate.js';
export { pythonRepr } from './python-repr.js';
export type { SummaryGrid, SummaryRow, SummaryTable } from './summary-table.js';
export { summaryToGrid } from './summary-to-grid.js';
