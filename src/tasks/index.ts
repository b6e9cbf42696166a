import type { BenchmarkDefinition } from '../spec/index.js';
import { agievalBenchmark } from './agieval/agieval-benchmark.js';
import { bbhBenchmark } from './bbh/bbh-benchmark.js';
import { cevalBenchmark } from './ceval/index.js';
import { gsm8kBenchmark } from './gsm8k/gsm8k-benchmark.js';
import { humanevalBenchmark } from './humaneval/humaneval-benchmark.js';
import { mathBenchmark } from './math/math-benchmark.js';
import { mbppBenchmark } from './mbpp/mbpp-benchmark.js';
import { mmluBenchmark } from './mmlu/index.js';
import { nqBenchmark } from './nq/nq-benchmark.js';
import { cmmluBenchmark } from './cmmlu/index.js';
import { piqaBenchmark } from './piqa/index.js';

/**
 * Every benchmark sextant knows, in `sextant list` order. Adding a benchmark is one line here (and its folder);
 * the registry, runner, store, report and CLI read only these definitions.
 */
export const benchmarks: readonly BenchmarkDefinition[] = [
  cevalBenchmark,
  cmmluBenchmark,
  mmluBenchmark,
  agievalBenchmark,
  bbhBenchmark,
  piqaBenchmark,
  gsm8kBenchmark,
  nqBenchmark,
  humanevalBenchmark,
  mbppBenchmark,
  mathBenchmark,
];
export { summarizers } from './summarizers.js';
