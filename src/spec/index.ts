/** sextant's contracts: backend interface, prompts, errors, warnings. Specification version `v1`. */
export * from './v1/index.js';
