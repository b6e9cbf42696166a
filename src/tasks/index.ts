import type { BenchmarkDefinition } from '../spec/index.js';
import { cevalBenchmark } from './ceval/index.js';
import { cmmluBenchmark } from './cmmlu/index.js';
import { mmluBenchmark } from './mmlu/index.js';
import { piqaBenchmark } from './piqa/index.js';

/**
 * Every benchmark sextant knows, in `sextant list` order. Adding a benchmark is one line here (and its folder);
 * the registry, runner, store, report and CLI read only these definitions.
 */
export const benchmarks: readonly BenchmarkDefinition[] = [cevalBenchmark, cmmluBenchmark, mmluBenchmark, piqaBenchmark];
export { summarizers } from './summarizers.js';
