/**
 * The pricing paper's traffic (traffic.ts) drawn with counter-based randomness, so that each
 * worker draws its own share of a round's arrivals: the slot's count n ~ Poisson(λ · slot) comes
 * from the round's stream (as in `generateArrivals`), and arrival j of the round, for any j < n,
 * from hashes of (seed, round, j) alone. Given its count a Poisson process's arrival times are
 * independent uniforms over the slot, so arrival j gets a uniform start time, a source and a
 * destination uniform over the nodes (distinct), and a duration and rate from the same capped
 * lognormals (Box–Muller). The laws are those of `generateArrivals`; the draws are not.
 */
import { createRng, deriveSeed, hashPrefixFrom, hashSeedWord, hashWordFrom, STREAM } from "../../engine/random.js";
import { compileLaw, poissonCount, validateFlowParams, type CompiledLaw, type FlowParams } from "./traffic.js";

/** Generated traffic as plain data (it is posted to each worker once). */
export interface TrafficSpec {
  /** The run's seed. */
  seed: number;
  /** Flow arrivals per second over the whole network. */
  ratePerSec: number;
  /** Flow law (durations and demanded rates). */
  flow: FlowParams;
  /** Node indices sources and destinations are drawn from, uniformly. */
  nodes: Int32Array;
  /** Bits per data packet. */
  packetBits: number;
  /** Index of the generated flows' user agent in the simulation. */
  agent: number;
}

/** Flows arriving in round `round`'s slot of `slotSec` seconds: Poisson(λ · slotSec), from the round's own stream. */
export function arrivalCount(spec: TrafficSpec, round: number, slotSec: number): number {
  return poissonCount(createRng(deriveSeed(spec.seed, STREAM.traffic, round)), spec.ratePerSec * slotSec);
}

/** One arrival: node indices into `TrafficSpec.nodes`, start within the slot, duration, rate. */
export interface ArrivalDraw {
  src: number;
  dst: number;
  startSec: number;
  durationSec: number;
  demandMbps: number;
}

/** Draws arrivals by (round, index); see the module comment. */
export class CounterArrivals {
  private readonly law: CompiledLaw;
  private readonly seed: number;
  private readonly nodes: number;
  /** hashSeedWord of the round's seed (see `draw`). */
  private roundWord = 0;
  private round = -1;
  /** Arrival j's five uniforms, `uniform53(prefix, k)` for k = 0..4 (one call site: inlined whole). */
  private readonly uniforms = new Float64Array(5);

  /** @throws TollwayError naming the flow field when the law is out of range. */
  constructor(spec: Pick<TrafficSpec, "seed" | "flow" | "nodes">) {
    validateFlowParams(spec.flow);
    this.law = compileLaw(spec.flow);
    this.seed = spec.seed;
    this.nodes = spec.nodes.length;
  }

  /** Writes arrival `j` of round `round` (slot of `slotSec` seconds) into `out`. */
  draw(round: number, j: number, slotSec: number, out: ArrivalDraw): void {
    if (round !== this.round) {
      this.round = round;
      this.roundWord = hashSeedWord(deriveSeed(this.seed, STREAM.traffic, round, 1));
    }
    // Every word of arrival j is hashUniform(roundSeed, j, ·, 0): its common part once.
    const s = hashPrefixFrom(this.roundWord, j);
    const u = this.uniforms;
    for (let k = 0; k < 5; k++) u[k] = uniform53(s, k);
    const { muD, sigmaD, capD, muR, sigmaR, capR } = this.law;
    const start = u[0]! * slotSec;
    const latest = slotSec * (1 - Number.EPSILON);
    out.startSec = start < latest ? start : latest;
    const src = Math.floor(u[1]! * this.nodes);
    const dst = Math.floor(u[2]! * (this.nodes - 1));
    out.src = src;
    out.dst = dst >= src ? dst + 1 : dst;
    const radius = Math.sqrt(-2 * Math.log(1 - u[3]!));
    const angle = 2 * Math.PI * u[4]!;
    out.durationSec = Math.min(Math.exp(muD + sigmaD * (radius * Math.cos(angle))), capD);
    out.demandMbps = Math.min(Math.exp(muR + sigmaR * (radius * Math.sin(angle))), capR);
  }
}

/** A uniform in [0, 1) with 53 random bits, from two 32-bit hashes of (seed, j, k): `prefix` is hashPrefix(seed, j). */
function uniform53(prefix: number, k: number): number {
  const hi = hashWordFrom(prefix, 2 * k, 0);
  const lo = hashWordFrom(prefix, 2 * k + 1, 0);
  // hi / 2^32 + ⌊(lo / 2^32) · 2^21⌋ / 2^53, in integers: hi · 2^21 + ⌊lo / 2^11⌋ < 2^53 is
  // exact, so this is the same double, bit for bit, with one division and no floor.
  return (hi * 2097152 + (lo >>> 11)) / 9007199254740992;
}
