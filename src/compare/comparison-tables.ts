import type { OwnScore, RunComparison } from './run-comparison.js';
import type { TextTable } from './text-table.js';

/** The tables of a comparison report, as preformatted cells shared by the terminal and Markdown renderings. */
export interface ComparisonTables {
  readonly datasets: TextTable;
  readonly groups: TextTable;
  readonly differences: TextTable;
  readonly discordant: TextTable;
}

/**
 * Builds the report tables. Accuracies have two decimals, differences a sign, p-values four decimals (`<0.0001`
 * below). Raw outputs are shown on one line (`⏎` for line breaks), cut to `rawWidth` characters.
 */
export function comparisonTables(comparison: RunComparison, options: { rawWidth: number; discordantLimit?: number }): ComparisonTables {
  const scoreHeader = ['n', 'A', 'B', 'B−A', `${Math.round(comparison.settings.confidence * 100)}% CI`, 'b', 'c', 'p'];
  const scoreCells = (row: RunComparison['datasets'][number] | RunComparison['groups'][number]) => [
    String(row.samples),
    fixed(row.accuracyA),
    fixed(row.accuracyB),
    signed(row.difference),
    `[${signed(row.lower)}, ${signed(row.upper)}]`,
    String(row.b),
    String(row.c),
    pValue(row.pValue),
  ];
  const own = (score: OwnScore | undefined) => (score ? `${fixed(score.accuracy)} (${score.samples})` : '-');
  const discordant = comparison.discordant.slice(0, options.discordantLimit ?? comparison.discordant.length);
  return {
    datasets: {
      header: ['dataset', ...scoreHeader, 'p (Holm)', 'verdict', 'A own (n)', 'B own (n)'],
      rows: comparison.datasets.map((row) => [row.dataset, ...scoreCells(row), pValue(row.adjustedPValue), row.verdict.text, own(row.fullA), own(row.fullB)]),
      rightAligned: [false, true, true, true, true, false, true, true, true, true, false, true, true],
    },
    groups: {
      header: ['group', 'metric', 'subsets', ...scoreHeader, 'verdict', 'A own (n)', 'B own (n)'],
      rows: comparison.groups.map((row) => [row.group, row.metric, String(row.subsets), ...scoreCells(row), row.verdict.text, own(row.fullA), own(row.fullB)]),
      rightAligned: [false, false, true, true, true, true, true, false, true, true, true, false, true, true],
    },
    differences: {
      header: ['kind', 'field', 'A', 'B', 'changes measurement'],
      rows: comparison.configDifferences.map((difference) => [
        difference.kind,
        difference.field,
        oneLine(JSON.stringify(difference.a), options.rawWidth),
        oneLine(JSON.stringify(difference.b), options.rawWidth),
        difference.changesMeasurement ? 'yes' : 'no',
      ]),
      rightAligned: [false, false, false, false, false],
    },
    discordant: {
      header: ['dataset', '#', 'gold', 'right', 'A answer', 'B answer', 'A output', 'B output'],
      rows: discordant.map((sample) => [
        sample.dataset,
        String(sample.index),
        sample.gold || '-',
        sample.correct,
        sample.a.extracted || '-',
        sample.b.extracted || '-',
        sample.a.error !== undefined ? `(failed: ${oneLine(sample.a.error, options.rawWidth)})` : oneLine(sample.a.raw, options.rawWidth),
        sample.b.error !== undefined ? `(failed: ${oneLine(sample.b.error, options.rawWidth)})` : oneLine(sample.b.raw, options.rawWidth),
      ]),
      rightAligned: [false, true, false, false, false, false, false, false],
    },
  };
}

/** Two decimals. */
export function fixed(value: number): string {
  return value.toFixed(2);
}

/** Two decimals with an explicit sign; zero is `0.00`. */
export function signed(value: number): string {
  const text = value.toFixed(2);
  if (text === '0.00' || text === '-0.00') return '0.00';
  return value > 0 ? `+${text}` : text;
}

/** Four decimals, `<0.0001` below. */
export function pValue(value: number): string {
  return value < 0.0001 ? '<0.0001' : value.toFixed(4);
}

/** One line, at most `width` characters (code points), `…` marking a cut. */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/\r?\n/g, '⏎');
  const characters = [...flat];
  return characters.length <= width ? flat : `${characters.slice(0, Math.max(1, width - 1)).join('')}…`;
}

/**
 * The methods behind the numbers, in plain words (every output states them): what was paired, how intervals and
 * p-values were computed, when a verdict is given, and what "own" means.
 */
export function methodsLines(comparison: RunComparison): string[] {
  const { settings } = comparison;
  const level = `${Math.round(settings.confidence * 100)}%`;
  const monteCarlo = comparison.groups.filter((row) => row.testMethod === 'sign-flip-monte-carlo').map((row) => row.group);
  const enumerated = comparison.groups.filter((row) => row.testMethod === 'sign-flip-exact').map((row) => row.group);
  const signFlip = [
    "naive_average groups and weights groups (OpenCompass `weights`, e.g. mmlu-weighted): stratified sign-flip test of the weighted difference (exact McNemar of the pooled counts when every pair weighs the same: subsets of one size, or weights equal to the subsets' sizes",
    enumerated.length > 0 ? `; enumerated exactly for ${enumerated.join(', ')}` : '',
    monteCarlo.length > 0 ? `; ${settings.draws} seeded Monte Carlo sign flips, seed ${settings.seed}, for ${monteCarlo.join(', ')}` : '',
    ')',
  ].join('');
  return [
    `Accuracies, differences and tests use the paired samples only; "own (n)" is each run's own full score over all its samples (n), not paired.`,
    `Intervals: ${level} Newcombe paired score interval (1998, method 10) per dataset; per group the same on its subsets pooled with the group's pair weights (Kish effective n).`,
    `Tests: exact McNemar per dataset, Holm-adjusted across ${comparison.datasets.length} dataset(s); ${signFlip}; question-weighted groups: exact McNemar of the pooled counts.`,
    `Verdict: B is lower/higher only when the test gives p ≤ ${settings.alpha} (Holm-adjusted for datasets) AND the interval excludes 0; "not enough data" below ${settings.minimumPairs} paired samples.`,
  ];
}
