export type { BootstrapSettings, SubsetWeighting } from './bootstrap-settings.js';
export { bootstrapGroupMean, type BootstrapGroupMeanOptions, type GroupMeanInterval, type OutcomeSubset } from './group-bootstrap.js';
export { holmCorrection } from './holm-correction.js';
export { logGamma } from './log-gamma.js';
export { mcnemarExact, type McnemarExactOptions } from './mcnemar-exact.js';
export { normalCdf } from './normal-cdf.js';
export { normalQuantile } from './normal-quantile.js';
export {
  pairedBootstrapDifference,
  type PairedBootstrapDifferenceOptions,
  type PairedDifferenceInterval,
  type PairedOutcomeSubset,
} from './paired-bootstrap.js';
export { createRandom, randomInt, type RandomSource } from './seeded-random.js';
export { StatisticsInputError } from './statistics-input-error.js';
export { wilsonInterval, type ProportionInterval, type WilsonIntervalOptions } from './wilson-interval.js';
