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

/**
 * `deriveSeed4(a, b, c, d)` as a function of `b` alone, for fixed `a`, `c` and `d`: their words are
 * mixed once, not per call (a flow's uid is `b`, the run's seed, the round and a tag are fixed).
 */
export function deriveSeed4OfSecond(a: number, c: number, d: number): (b: number) => number {
  const start = fold(0x9e3779b9, a);
  const cWord = partWord(c);
  const dWord = partWord(d);
  return (b) => mixWord(mixWord(mixWord(start ^ partWord(b)) ^ cWord) ^ dWord) >>> 0;
}

function fold(h: number, part: number): number {
  return mixWord(h ^ partWord(part));
}

/** What a part adds to the state it is folded into: its low word mixed, and its high word mixed. */
function partWord(part: number): number {
  // A part in [0, 2^32) (every uid, round and seed below 2^32) has a high word of 0, and
  // mixWord(0) is 0: no division and one mix fewer, the same word.
  const high = part >= 0 && part < 4294967296 ? 0 : mixWord(Math.floor(part / 4294967296) >>> 0);
  return mixWord(part >>> 0) ^ high;
}

/**
 * murmur3's 32-bit finalizer, as a signed 32-bit word: the bits are those of the unsigned
 * finalizer, and a word kept signed between the steps stays a small integer (an unsigned one
 * above 2^31 is a double, boxed when a call returns it, per hash step).
 */
function mixWord(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
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
  return hashPrefixFrom(hashSeedWord(seed), a);
}

/** The part of `hashPrefix(seed, a)` that depends on the seed alone (a round's arrivals share it). */
export function hashSeedWord(seed: number): number {
  return mixWord(seed ^ 0x6a09e667) >>> 0;
}

/** `hashPrefix(seed, a)` from `hashSeedWord(seed)`. */
export function hashPrefixFrom(seedWord: number, a: number): number {
  return mixWord(seedWord ^ a) >>> 0;
}

/** `hashUniform(seed, a, b, c)` from `hashPrefix(seed, a)`. */
export function hashUniformFrom(prefix: number, b: number, c: number): number {
  return hashWordFrom(prefix, b, c) / 4294967296;
}

/** The 32-bit word `hashUniformFrom(prefix, b, c)` is of (it times 2^32), for a caller that uses its bits. */
export function hashWordFrom(prefix: number, b: number, c: number): number {
  return mixWord(mixWord(prefix ^ Math.imul(b, 0x9e3779b1)) ^ Math.imul(c + 0x7f4a7c15, 0x85ebca77)) >>> 0;
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
