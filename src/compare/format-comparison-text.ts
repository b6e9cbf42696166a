import { comparisonTables, fixed, methodsLines, oneLine, signed } from './comparison-tables.js';
import type { RunComparison } from './run-comparison.js';
import { formatTextTable } from './text-table.js';

/** Options for {@link formatComparisonText}. */
export interface FormatComparisonTextOptions {
  /** Discordant samples listed (the rest are counted; `compare.md`/`compare.json` list all). @default 20 */
  discordantLimit?: number;
  /** Characters of raw output shown per cell. @default 40 */
  rawWidth?: number;
}

/**
 * The terminal report of a comparison: pairing (unpaired and excluded counts) first, then what changed besides the
 * deployment, the dataset and group tables with the methods behind them, each run's own full scores, backend
 * agreement, the discordant samples and the gate. Ends with a newline.
 */
export function formatComparisonText(comparison: RunComparison, options: FormatComparisonTextOptions = {}): string {
  const discordantLimit = options.discordantLimit ?? 20;
  const tables = comparisonTables(comparison, { rawWidth: options.rawWidth ?? 40, discordantLimit });
  const blocks: string[] = [[`A: ${describeSide(comparison.a)}`, `B: ${describeSide(comparison.b)}`].join('\n')];
  blocks.push(pairingLine(comparison));
  blocks.push(measurementLines(comparison).join('\n'));
  if (comparison.datasets.length > 0) blocks.push(formatTextTable(tables.datasets));
  if (comparison.groups.length > 0) blocks.push(formatTextTable(tables.groups));
  if (comparison.datasets.length > 0) blocks.push(methodsLines(comparison).join('\n'));
  else blocks.push('No paired samples: nothing can be compared (not enough data).');
  blocks.push(fullScoresLine(comparison));
  if (comparison.skippedGroups.length > 0) {
    blocks.push(
      comparison.skippedGroups.map((group) => `group ${group.group} (${group.metric}) left out: no pairs for ${group.missing.join(', ')}`).join('\n'),
    );
  }
  if (comparison.notCompared.length > 0) {
    blocks.push(comparison.notCompared.map((entry) => `dataset ${entry.dataset} (${entry.samples} pairs) not compared: ${entry.reason}`).join('\n'));
  }
  blocks.push(agreementLines(comparison));
  blocks.push(discordantBlock(comparison, formatTextTable(tables.discordant), discordantLimit));
  if (comparison.gate) blocks.push(gateLine(comparison));
  return `${blocks.join('\n\n')}\n`;
}

function describeSide(side: RunComparison['a']): string {
  const serving = [side.backend, side.modelName, side.apiBase ? `at ${side.apiBase}` : undefined].filter(Boolean).join(' ');
  return `${side.run}  model ${side.model}${serving ? ` (${serving})` : ''}`;
}

/** The measurement-change warning ("NOT A PURE DEPLOYMENT CHECK …") or the all-clear, as lines. */
export function measurementLines(comparison: RunComparison): string[] {
  return comparison.measurementChanges.length > 0
    ? ['NOT A PURE DEPLOYMENT CHECK: what is measured changed between A and B:', ...comparison.measurementChanges.map((line) => `  - ${line}`)]
    : ['Same prompts, templates, generation parameters and prompt versions: a deployment check.'];
}

/** Each run's own full group scores, labelled as such (they may come from different samples). */
export function fullScoresLine(comparison: RunComparison): string {
  const side = (scores: RunComparison['fullScores']['a']) =>
    scores.length > 0
      ? scores.map((score) => `${score.group} ${score.metric === 'naive_average' ? '' : '(weighted) '}${fixed(score.accuracy)} (n=${score.samples})`).join(', ')
      : 'no complete group';
  return `Own full scores (each run over all its samples; not paired, not a comparison): A: ${side(comparison.fullScores.a)}; B: ${side(comparison.fullScores.b)}.`;
}

/** One line on what was paired and what was left out. */
export function pairingLine(comparison: RunComparison): string {
  const { pairing } = comparison;
  const parts = [
    `Paired ${pairing.paired} samples in ${comparison.datasets.length} dataset(s) by (dataset, index, prompt)`,
    `unpaired: ${pairing.onlyInA} only in A, ${pairing.onlyInB} only in B`,
    `excluded: ${pairing.excludedByVersion} samples (prompt version differs), ${pairing.excludedByPrompt} pairs (rendered prompt differs)`,
  ];
  const unscored = [...comparison.unscored.a.map((name) => `A ${name}`), ...comparison.unscored.b.map((name) => `B ${name}`)];
  if (unscored.length > 0) parts.push(`unscored: ${unscored.join(', ')}`);
  return `${parts.join('; ')}.`;
}

function agreementLines(comparison: RunComparison): string {
  const { agreement } = comparison;
  const share = (count: number) => `${count}/${agreement.paired} (${agreement.paired > 0 ? fixed((100 * count) / agreement.paired) : '-'}%)`;
  const lines = [
    `Backend agreement: extracted answers agree on ${share(agreement.extracted)}, raw outputs on ${share(agreement.raw)}; ` +
      `rendered prompts differ in ${agreement.promptsDiffer} pair(s)${agreement.promptsDiffer > 0 ? ' (excluded)' : ''}.`,
  ];
  const { prompts, settings } = agreement.requestsDiffered;
  if (prompts.length === 0 && settings.length === 0) {
    lines.push('Requests differed: nothing recorded (same rendered prompts, stop words, sampling parameters and templates).');
    return lines.join('\n');
  }
  lines.push('Requests differed:');
  for (const prompt of prompts) {
    lines.push(
      `  - rendered prompt ${prompt.dataset}: ${prompt.samples}/${prompt.present} pairs excluded, first #${prompt.firstIndex} (hash A ${prompt.hashA}, B ${prompt.hashB})`,
    );
  }
  for (const setting of settings) {
    lines.push(`  - ${setting.field}: A ${oneLine(JSON.stringify(setting.a), 60)}, B ${oneLine(JSON.stringify(setting.b), 60)}`);
  }
  return lines.join('\n');
}

function discordantBlock(comparison: RunComparison, table: string, limit: number): string {
  const total = comparison.discordant.length;
  if (total === 0) return 'Discordant samples: none.';
  const rightInA = comparison.discordant.filter((sample) => sample.correct === 'A').length;
  const header = `Discordant samples: ${total} (A right, B wrong: ${rightInA}; B right, A wrong: ${total - rightInA})`;
  const more = total > limit ? `\n… and ${total - limit} more (all are listed in compare.md and compare.json)` : '';
  return `${header}\n${table}${more}`;
}

/** The gate's outcome in one or more lines. */
export function gateLine(comparison: RunComparison): string {
  const gate = comparison.gate;
  if (!gate) return '';
  if (!gate.tripped) {
    return `Gate --fail-if-worse ${gate.threshold}: passed (nowhere is B significantly worse with its whole interval below −${gate.threshold} points).`;
  }
  const failures = gate.failures.map(
    (failure) =>
      `  - ${failure.kind} ${failure.name}${failure.metric ? ` (${failure.metric})` : ''}: ${signed(failure.difference)} points [${signed(failure.lower)}, ${signed(failure.upper)}]`,
  );
  return [
    `Gate --fail-if-worse ${gate.threshold}: FAILED, B is significantly worse, its whole interval below −${gate.threshold} points, in:`,
    ...failures,
  ].join('\n');
}
