import type { BenchmarkDefinition, DatasetConfigDefinition } from '../../spec/index.js';
import { cevalAliases, cevalDatasets, cevalSummaryGroups, cevalVariants, type CevalVariant } from './ceval-datasets.js';

function configDefinition(variant: CevalVariant): DatasetConfigDefinition {
  const aliases = Object.entries(cevalAliases)
    .filter(([, target]) => target === variant.configName)
    .map(([alias]) => alias);
  return {
    configName: variant.configName,
    ...(aliases.length > 0 ? { aliases } : {}),
    description: variant.description,
    mode: variant.inferConfig({ key: '', chineseName: '', category: 'stem', hard: false, valCount: 0 }).inferencer.kind,
    datasets: () => cevalDatasets(variant),
  };
}

/** C-Eval (52 subjects; val, dev as examples, test without public labels): OpenCompass's four configs. */
export const cevalBenchmark: BenchmarkDefinition = {
  name: 'ceval',
  title: 'C-Eval',
  dataFolder: 'ceval',
  configs: cevalVariants.map(configDefinition),
  summaryGroups: cevalSummaryGroups,
};
