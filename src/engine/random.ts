/**
 * Seeded randomness. Every random draw in Tollway comes from a stream whose seed is derived
 * on the coordinator from (run seed, purpose, agent, round), so a run is the same for any
 * number of workers and any order of work. No Math.random anywhere.
 */
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

/** A seeded source of uniform numbers handed to strategies and generators. */
export interface Rng {
  /** Uniform in [0, 1), 53 bits. */
  random(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Serializable state; `restoreRng(rng.state())` continues the same stream. */
  state(): number[];
}

/** Streams are separated by purpose so adding draws to one never shifts another. */
export const STREAM = {
  topology: 1,
  traffic: 2,
  user: 3,
  isp: 4,
  packet: 5,
  experiment: 6,
} as const;

/** Mixes 32-bit words into one 32-bit seed (murmur3's finalizer, applied per word). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  // Numbers above 32 bits are folded in too, so large seeds still matter.
  for (const part of parts) h = fold(h, part);
  return h >>> 0;
}

/** `deriveSeed(a, b, c, d)` without the rest-parameter array (it runs per flow per round). */
export function deriveSeed4(a: number, b: number, c: number, d: number): number {
  return fold(fold(fold(fold(0x9e3779b9, a), b), c), d) >>> 0;
}

function fold(h: number, part: number): number {
  return mix32(h ^ mix32(part >>> 0) ^ mix32(Math.floor(part / 4294967296) >>> 0));
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Counter-based uniform in [0, 1) from four 32-bit words: the same inputs give the same
 * number wherever they are computed. Used per packet batch and hop, where a sequential
 * stream would make results depend on how work is split across workers.
 */
export function hashUniform(seed: number, a: number, b: number, c: number): number {
  return hashUniformFrom(hashPrefix(seed, a), b, c);
}

/**
 * The part of `hashUniform(seed, a, b, c)` that depends on (seed, a) alone: a caller that draws
 * many (b, c) for one (seed, a) (an arrival's ten words) computes it once, then
 * `hashUniformFrom(prefix, b, c)` gives exactly `hashUniform(seed, a, b, c)`.
 */
export function hashPrefix(seed: number, a: number): number {
  return mix32(mix32(seed ^ 0x6a09e667) ^ a);
}

/** `hashUniform(seed, a, b, c)` from `hashPrefix(seed, a)`. */
export function hashUniformFrom(prefix: number, b: number, c: number): number {
  const h = mix32(prefix ^ Math.imul(b, 0x9e3779b1));
  return mix32(h ^ Math.imul(c + 0x7f4a7c15, 0x85ebca77)) / 4294967296;
}

/**
 * A generator for a 32-bit seed. pure-rand's own seeding leaves most of the 128-bit state fixed,
 * so nearby seeds start with nearly the same outputs; we fill all four state words from the seed.
 */
export function createRng(seed: number): Rng {
  const words = [1, 2, 3, 4].map((i) => deriveSeed(seed, i) | 0);
  return wrap(xoroshiro128plusFromState(words));
}

export function restoreRng(state: readonly number[]): Rng {
  return wrap(xoroshiro128plusFromState(state));
}

function wrap(generator: JumpableRandomGenerator): Rng {
  return {
    random: () => uniformFloat64(generator),
    int: (n) => Math.floor(uniformFloat64(generator) * n),
    state: () => [...generator.getState()],
  };
}
