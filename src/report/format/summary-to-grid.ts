import { formatPythonFloat } from './format-python-float.js';
import type { SummaryTable } from './summary-table.js';

/**
 * Turns a summary table into the cell grid OpenCompass formats: header `dataset, version, metric, mode, <models…>`,
 * then one line per row with each score as Python `'{:.02f}'.format(score)` (exact half-to-even rounding, see
 * {@link formatPythonFloat}) and `'-'` for a missing score.
 *
 * sextant's own rows (`origin: 'sextant'`) are left out unless `sextant` is set; then their metric reads
 * `weighted_average (sextant)`.
 *
 * @throws {RangeError} when a row does not have exactly one value per model.
 */
export function summaryToGrid(table: SummaryTable, options: { intervals?: boolean; sextant?: boolean } = {}): string[][] {
  const header = ['dataset', 'version', 'metric', 'mode', ...table.models];
  const rows = options.sextant ? table.rows : table.rows.filter((row) => row.origin !== 'sextant');
  const lines = rows.map((row) => {
    if (row.values.length !== table.models.length) {
      const counts = `${row.values.length} values for ${table.models.length} models`;
      throw new RangeError(`summaryToGrid: row '${row.dataset}' (${row.metric}) has ${counts}`);
    }
    const cells = row.values.map((value, index) => {
      if (value === undefined) return '-';
      const interval = options.intervals ? row.intervals?.[index] : undefined;
      const text = formatPythonFloat(value, '.2f');
      return interval ? `${text} [${formatPythonFloat(interval.lower, '.2f')}, ${formatPythonFloat(interval.upper, '.2f')}]` : text;
    });
    return [row.dataset, row.version, row.origin === 'sextant' ? `${row.metric} (sextant)` : row.metric, row.mode, ...cells];
  });
  return [header, ...lines];
}
