import { join } from 'node:path';
import { readTextLines, rowError } from '../../datasets/index.js';
import { accEvaluator } from '../../evaluators/index.js';
import { firstOptionPostprocess } from '../../postprocess/index.js';
import type { TemplateRow } from '../../prompts/index.js';
import { DataError, type BenchmarkDefinition, type DatasetConfigDefinition, type DatasetTask, type JsonValue } from '../../spec/index.js';
import { createSampleRenderer } from '../create-sample-renderer.js';
import { datasetVersion, type InferConfig } from '../opencompass-infer-config.js';
import { renderTaskSample } from '../render-task-sample.js';
import { piqaGenInferConfig, piqaPplInferConfig } from './piqa-templates.js';

const dataFile = join('piqa', 'valid.jsonl');
const labelsFile = join('piqa', 'valid-labels.lst');

interface PiqaVariant {
  readonly configName: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly inferConfig: InferConfig;
  /** `answer` (`PIQADatasetV2`: label 0 → `'A'`, 1 → `'B'`) or `label` (`PIQADataset`: the integer). */
  readonly outputColumn: 'answer' | 'label';
}

const variants: readonly PiqaVariant[] = [
  {
    configName: 'piqa_gen_1194eb',
    aliases: ['piqa_gen'],
    description: '0-shot generation after "Answer:", first_option_postprocess(AB)',
    inferConfig: piqaGenInferConfig(),
    outputColumn: 'answer',
  },
  {
    configName: 'piqa_ppl_1cf9f0',
    aliases: ['piqa_ppl'],
    description: '0-shot perplexity of both solutions (labels 0 and 1), prediction = lowest PPL (needs perplexity)',
    inferConfig: piqaPplInferConfig(),
    outputColumn: 'label',
  },
];

function piqaDataset(variant: PiqaVariant): DatasetTask {
  const { inferConfig, outputColumn } = variant;
  const mode = inferConfig.inferencer.kind;
  return {
    abbr: 'piqa',
    benchmark: 'piqa',
    configName: variant.configName,
    version: datasetVersion(inferConfig),
    mode,
    requestKind: mode === 'gen' ? 'generate' : 'perplexity',
    ...(mode === 'gen'
      ? { postprocessorName: 'first_option_postprocess', postprocess: (prediction: string) => firstOptionPostprocess(prediction, { options: 'AB' }) }
      : { postprocess: (prediction: string) => prediction }),
    evaluator: accEvaluator,
    answerFormat: { kind: 'options', options: 'AB' },
    dataFiles: [dataFile, labelsFile],
    async loadSamples({ dataRoot, limit }) {
      const rows = await readPiqaRows({ dataRoot, outputColumn });
      const renderer = createSampleRenderer({ inferConfig, examples: [], outputColumn });
      return rows.slice(0, limit).map((row, index) => renderTaskSample({ renderer, row, index, id: String(index), gold: row[outputColumn] as JsonValue }));
    },
  };
}

/**
 * Rows as OpenCompass's `PIQADataset` / `PIQADatasetV2` give them for the `validation` split: `valid.jsonl` paired
 * line by line with `valid-labels.lst`, the row's own keys in file order (an `id` key, if any, deleted), then
 * `label` (the integer) or `answer` (`A`/`B`), then `subdivision` and `idx`. Labels must be 0 or 1.
 */
async function readPiqaRows(options: { dataRoot: string; outputColumn: 'answer' | 'label' }): Promise<TemplateRow[]> {
  const dataPath = join(options.dataRoot, dataFile);
  const labelsPath = join(options.dataRoot, labelsFile);
  const [dataLines, labelLines] = await Promise.all([readTextLines(dataPath), readTextLines(labelsPath)]);
  if (dataLines.length !== labelLines.length) {
    throw new DataError({ path: labelsPath, message: `${labelsPath} has ${labelLines.length} labels for the ${dataLines.length} rows of ${dataPath}` });
  }
  return dataLines.map(({ text, line }, idx) => {
    const record = parseRecord({ text, path: dataPath, line });
    const labelLine = labelLines[idx] as { text: string; line: number };
    const labelText = labelLine.text.trim();
    if (labelText !== '0' && labelText !== '1') {
      throw rowError({ path: labelsPath, line: labelLine.line, message: `label must be 0 or 1, found ${JSON.stringify(labelText)}` });
    }
    const label = Number(labelText);
    const { id: _id, ...fields } = record;
    const output: TemplateRow = options.outputColumn === 'label' ? { label } : { answer: label === 0 ? 'A' : 'B' };
    return { ...fields, ...output, subdivision: 'piqa_validation', idx };
  });
}

function parseRecord(options: { text: string; path: string; line: number }): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(options.text.trim());
  } catch (error) {
    throw rowError({ ...options, message: `not a JSON object: ${(error as Error).message}` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw rowError({ ...options, message: 'expected a JSON object' });
  const record = value as Record<string, unknown>;
  for (const field of ['goal', 'sol1', 'sol2']) {
    if (typeof record[field] !== 'string')
      throw rowError({ ...options, message: `field ${field} must be a string, found ${JSON.stringify(record[field] ?? null)}` });
  }
  return record as Record<string, string>;
}

function configDefinition(variant: PiqaVariant): DatasetConfigDefinition {
  return {
    configName: variant.configName,
    aliases: variant.aliases,
    description: variant.description,
    mode: variant.inferConfig.inferencer.kind,
    datasets: () => [piqaDataset(variant)],
  };
}

/** PIQA (the 1,838-question validation split; data: `piqa/valid.jsonl` + `piqa/valid-labels.lst`). */
export const piqaBenchmark: BenchmarkDefinition = {
  name: 'piqa',
  title: 'PIQA',
  dataFolder: 'piqa',
  configs: variants.map(configDefinition),
  summaryGroups: () => [],
};
