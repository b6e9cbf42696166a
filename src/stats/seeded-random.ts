import { StatisticsInputError } from './statistics-input-error.js';

/** A deterministic source of uniform numbers in [0, 1), each a multiple of 2^-32. */
export type RandomSource = () => number;

const twoToMinus32 = 2 ** -32;

/** Murmur3's 32-bit finaliser: a bijection on uint32 that spreads nearby seeds far apart. */
function mixUint32(value: number): number {
  let mixed = value >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/**
 * Creates a seeded xoshiro128** generator (Blackman & Vigna; period 2^128 − 1).
 *
 * @param seed integer in [0, 2^32 − 1]. The four state words are derived from it through a Weyl sequence and a
 *   bijective mixer, so they are never all zero and adjacent seeds start far apart in the state space.
 * @returns a function returning uniform numbers in [0, 1) with 32 bits of resolution. The same seed always yields
 *   the same sequence on every platform (only 32-bit integer arithmetic is used).
 * @throws {StatisticsInputError} when `seed` is not an integer in range.
 */
export function createRandom(seed: number): RandomSource {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new StatisticsInputError({ parameter: 'seed', message: `must be an integer in [0, 2^32 - 1], got ${seed}` });
  }
  // Distinct Weyl-sequence inputs through a bijection give four distinct words, so at most one is zero.
  const state = Uint32Array.of(
    mixUint32(seed + 0x9e3779b9),
    mixUint32(seed + 2 * 0x9e3779b9),
    mixUint32(seed + 3 * 0x9e3779b9),
    mixUint32(seed + 4 * 0x9e3779b9),
  );
  const nextUint32 = xoshiro128StarStar(state);
  return () => nextUint32() * twoToMinus32;
}

/**
 * The raw xoshiro128** step over a caller-supplied state (four uint32 words, not all zero), returning uint32 outputs.
 * Exposed for the known-answer test; use {@link createRandom} instead.
 */
export function xoshiro128StarStar(initialState: Uint32Array): () => number {
  let [state0 = 0, state1 = 0, state2 = 0, state3 = 0] = initialState;
  return () => {
    const product = Math.imul(state1, 5);
    const output = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const shifted = state1 << 9;
    state2 ^= state0;
    state3 ^= state1;
    state1 ^= state2;
    state0 ^= state3;
    state2 ^= shifted;
    state3 = (state3 << 11) | (state3 >>> 21);
    return output;
  };
}

/**
 * Draws a uniform integer in [0, upperBound) from `random`.
 *
 * @param random a source from {@link createRandom}.
 * @param upperBound exclusive bound, an integer in [1, 2^32]. Each value's probability is within upperBound / 2^32
 *   (relative) of 1 / upperBound because of the 32-bit resolution: negligible for question counts.
 * @throws {StatisticsInputError} when `upperBound` is not an integer in range.
 */
export function randomInt(random: RandomSource, upperBound: number): number {
  if (!Number.isInteger(upperBound) || upperBound < 1 || upperBound > 2 ** 32) {
    throw new StatisticsInputError({ parameter: 'upperBound', message: `must be an integer in [1, 2^32], got ${upperBound}` });
  }
  return Math.floor(random() * upperBound);
}
