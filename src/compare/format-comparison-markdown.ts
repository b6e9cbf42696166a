import { comparisonTables, fixed, methodsLines } from './comparison-tables.js';
import { fullScoresLine, gateLine, pairingLine } from './format-comparison-text.js';
import type { RunComparison } from './run-comparison.js';
import { formatMarkdownTable } from './text-table.js';

/**
 * `compare.md`: the comparison as Markdown, in the terminal report's order, with every configuration difference and
 * every discordant sample listed (raw outputs cut to 200 characters; `compare.json` has them whole).
 */
export function formatComparisonMarkdown(comparison: RunComparison): string {
  const tables = comparisonTables(comparison, { rawWidth: 200 });
  const { a, b, agreement } = comparison;
  const sections: string[] = [
    '# sextant compare',
    [
      `- **A**: \`${a.run}\`, model \`${a.model}\`${a.backend ? ` (${a.backend})` : ''}`,
      `- **B**: \`${b.run}\`, model \`${b.model}\`${b.backend ? ` (${b.backend})` : ''}`,
      '- Differences are B − A in points.',
      ...methodsLines(comparison).map((line) => `- ${line}`),
    ].join('\n'),
    '## Pairing',
    pairingLine(comparison),
    '## What changed besides the deployment',
    comparison.measurementChanges.length > 0
      ? ['**NOT A PURE DEPLOYMENT CHECK**: what is measured changed between A and B:', ...comparison.measurementChanges.map((line) => `- ${line}`)].join('\n')
      : 'Nothing: same prompts, templates, generation parameters and prompt versions. This is a deployment check.',
  ];
  if (comparison.datasets.length === 0) sections.push('No paired samples: nothing can be compared (not enough data).');
  if (comparison.groups.length > 0) sections.push('## Groups', formatMarkdownTable(tables.groups).trimEnd());
  if (comparison.skippedGroups.length > 0) {
    sections.push(comparison.skippedGroups.map((group) => `- ${group.group} (${group.metric}) left out: no pairs for ${group.missing.join(', ')}`).join('\n'));
  }
  if (comparison.notCompared.length > 0) {
    sections.push(comparison.notCompared.map((entry) => `- dataset ${entry.dataset} (${entry.samples} pairs) not compared: ${entry.reason}`).join('\n'));
  }
  if (comparison.datasets.length > 0) sections.push('## Datasets', formatMarkdownTable(tables.datasets).trimEnd());
  sections.push('## Own full scores', fullScoresLine(comparison));
  const share = (count: number) => (agreement.paired > 0 ? `${count}/${agreement.paired} (${fixed((100 * count) / agreement.paired)}%)` : '0/0');
  sections.push(
    '## Backend agreement',
    [
      `- Extracted answers agree: ${share(agreement.extracted)}`,
      `- Raw outputs identical: ${share(agreement.raw)}`,
      `- Rendered prompts differ (pairs excluded): ${agreement.promptsDiffer}`,
      ...agreement.requestsDiffered.prompts.map(
        (prompt) =>
          `- Rendered prompt differs in ${prompt.dataset}: ${prompt.samples}/${prompt.present} pairs excluded, first #${prompt.firstIndex} (hash A \`${prompt.hashA}\`, B \`${prompt.hashB}\`)`,
      ),
    ].join('\n'),
    '## Configuration differences',
    comparison.configDifferences.length > 0 ? formatMarkdownTable(tables.differences).trimEnd() : 'None recorded.',
    `## Discordant samples (${comparison.discordant.length})`,
    comparison.discordant.length > 0 ? formatMarkdownTable(tables.discordant).trimEnd() : 'None.',
  );
  if (comparison.gate) sections.push('## Gate', gateLine(comparison).replace(/^ {2}- /gm, '- '));
  return `${sections.join('\n\n')}\n`;
}
