export type { BootstrapSettings, SubsetWeighting } from './bootstrap-settings.js';
export { bootstrapGroupMean, type BootstrapGroupMeanOptions, type GroupMeanInterval, type OutcomeSubset } from './group-bootstrap.js';
export { holmCorrection } from './holm-correction.js';
export { logGamma } from './log-gamma.js';
export { mcnemarExact, type McnemarExactOptions } from './mcnemar-exact.js';
export { normalCdf } from './normal-cdf.js';
export { normalQuantile } from './normal-quantile.js';
export { newcombePairedInterval, type PairedTable, type ProportionDifferenceInterval } from './newcombe-paired-interval.js';
export { createRandom, randomInt, type RandomSource } from './seeded-random.js';
export {
  minimumPairsForSignificance,
  signFlipTest,
  type SignFlipMethod,
  type SignFlipStratum,
  type SignFlipTestOptions,
  type SignFlipTestResult,
} from './sign-flip-test.js';
export { StatisticsInputError } from './statistics-input-error.js';
export { wilsonInterval, type ProportionInterval, type WilsonIntervalOptions } from './wilson-interval.js';
