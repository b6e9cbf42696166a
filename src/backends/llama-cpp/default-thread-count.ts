import { availableParallelism } from 'node:os';

/**
 * CPU threads for llama.cpp when the user gives none: 1 on machines with at most 2 cores (llama.cpp's own default
 * of 4 threads oversubscribes them and runs ~100× slower), otherwise all cores but one.
 */
export function defaultThreadCount(cores: number = availableParallelism()): number {
  return cores <= 2 ? 1 : cores - 1;
}
