/**
 * Generated traffic as a flow source: each round, one slot of the Poisson arrival process of
 * `generateArrivals` (pricing paper, section IV-A) becomes flows in the simulation.
 *
 * The slot of round r is drawn from its own stream, seeded by (run seed, STREAM.traffic, r), so
 * the traffic depends only on the seed: static pricing and every dynamic policy see exactly the
 * same flows, and a round's arrivals do not depend on what happened before it.
 *
 * Generated flows send data one way: the sender pays the announced path price in each packet,
 * every ISP on the path keeps its link's price, and nothing is left for the receiver to return,
 * so they have no return leg (returnLegBits 0, no acknowledgments). The pricing paper settles
 * per link (section III-B) and says nothing of acknowledgments; adding them would only load the
 * reverse links with traffic the paper does not have.
 */
import type { FlowInit } from "../engine/flows.js";
import { createRng, deriveSeed, STREAM } from "../engine/random.js";
import type { FlowSource } from "../engine/simulation.js";
import { generateArrivals, type ArrivalBatch, type FlowParams } from "../mechanisms/pricing/traffic.js";

/** What `GeneratedTraffic` needs. */
export interface GeneratedTrafficOptions {
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

/** A FlowSource that adds each round's Poisson arrivals; see the module comment. */
export class GeneratedTraffic implements FlowSource {
  /** Flows added so far. */
  generated = 0;
  private readonly options: GeneratedTrafficOptions;
  private buffer: ArrivalBatch | undefined;
  // The engine copies a flow into its table as soon as it is added, so one object serves for
  // every flow: millions of arrivals per round allocate nothing per flow.
  private readonly scratch: FlowInit;

  constructor(options: GeneratedTrafficOptions) {
    this.options = options;
    this.scratch = {
      payer: 0, payee: 0, agent: options.agent, startTime: 0, endTime: 0, demandBps: 0,
      payingLegBits: options.packetBits, returnLegBits: 0, dataLeg: 0, keepPerPacket: 0, keepFraction: 0,
      returnPath: 0, state: undefined,
    };
  }

  arrivals(round: number, startTime: number, endTime: number, add: (flow: FlowInit) => void, expect?: (count: number) => void): void {
    const { seed, ratePerSec, flow, nodes } = this.options;
    const rng = createRng(deriveSeed(seed, STREAM.traffic, round));
    const batch = generateArrivals(rng, { ratePerSec, slotSec: endTime - startTime, nodes: nodes.length, flow }, this.buffer);
    this.buffer = batch;
    expect?.(batch.count);
    const f = this.scratch;
    for (let i = 0; i < batch.count; i++) {
      f.payer = nodes[batch.src[i]!]!;
      f.payee = nodes[batch.dst[i]!]!;
      f.startTime = startTime + batch.startSec[i]!;
      f.endTime = f.startTime + batch.durationSec[i]!;
      f.demandBps = batch.demandMbps[i]! * 1e6;
      f.state = undefined;
      add(f);
    }
    this.generated += batch.count;
  }
}
