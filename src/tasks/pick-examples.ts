import type { TemplateRow } from '../prompts/index.js';
import { DataError } from '../spec/index.js';
import type { InferConfig } from './opencompass-infer-config.js';

/** The in-context examples a retriever gives every row: `FixKRetriever`'s `fix_id_list` rows of the train split. */
export function pickExamples(options: { inferConfig: InferConfig; trainRows: readonly TemplateRow[]; path: string }): TemplateRow[] {
  const { inferConfig, trainRows, path } = options;
  if (inferConfig.retriever.kind === 'zero') return [];
  return inferConfig.retriever.fixIdList.map((index) => {
    const row = trainRows[index];
    if (!row) throw new DataError({ path, message: `${path} has ${trainRows.length} rows; in-context example ${index} is missing` });
    return row;
  });
}
