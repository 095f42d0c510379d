/**
 * What a worker thread holds: one FlowShard (its flows, their strategy states), views of the
 * shared link inputs and of the shards' partial link totals, and its own copy of the round's
 * link totals and admission shares. Each task is one step of a round.
 *
 * A leg runs in one task: after each pass the shards meet at a barrier, then every shard adds
 * up all shards' partial totals (in shard order; exact, they are integers below 2^53) into its
 * copy of the round's totals and computes the admission shares from them, so every shard holds
 * the same totals the in-thread engine would, with no round trip to the supervisor per pass.
 */
import { loadStrategy } from "../agents/loader.js";
import { FlowShard } from "../engine/flow-shard.js";
import { computeAdmission, createLinkTotals, hopForward, hopLocal, LINK_TOTAL_KEYS, type HopContext, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import { deriveSeed, STREAM } from "../engine/random.js";
import type { UserAgent } from "../engine/simulation.js";
import { PathTable } from "../model/paths.js";
import { arriveAndWait } from "./barrier.js";
import { linkViews, totalsViews } from "./layout.js";
import type { InitTask, LegTask, ShardReply, ShardTask } from "./messages.js";

type TotalKey = (typeof LINK_TOTAL_KEYS)[number];
/** The totals each pass adds to (see hopLocal and hopForward in engine/pipeline.ts); the others it leaves alone. */
const LOCAL_KEYS = ["arrivedBits", "offeredNormalBits", "offeredPremiumBits"] as const satisfies readonly TotalKey[];
const FORWARD_KEYS = ["carriedPackets", "carriedBits", "droppedPackets", "transferred", "kept"] as const satisfies readonly TotalKey[];
const BOTH_KEYS = [...FORWARD_KEYS, ...LOCAL_KEYS] as const;

/** One shard's state inside its worker. */
export class ShardHost {
  private readonly shard: FlowShard;
  private readonly index: number;
  private readonly shards: number;
  /** Shared tariffs, standing and capacity, with this shard's own admission shares. */
  private readonly links: LinkInputs;
  /** partials[s][p]: shard s's partial totals in slice p (passes alternate between the two). */
  private readonly partials: LinkTotals[][];
  /** This shard's copy of the round's totals so far. */
  private readonly totals: LinkTotals;
  /** Where shard 0 leaves the round's totals for the supervisor. */
  private readonly result: LinkTotals;
  private readonly sync: Int32Array;
  private readonly packetSeed: number;
  private slice = 0;
  private sentGeneration = -1;

  private constructor(shard: FlowShard, task: InitTask, links: LinkInputs) {
    this.shard = shard;
    this.index = task.shard;
    this.shards = task.shards;
    const L = task.linkCount;
    this.links = { ...links, admitNormal: new Float64Array(L), admitPremium: new Float64Array(L) };
    this.partials = Array.from({ length: task.shards }, (_, s) => [totalsViews(task.partials, L, 2 * s), totalsViews(task.partials, L, 2 * s + 1)]);
    this.totals = createLinkTotals(L);
    this.result = totalsViews(task.totals, L, 0);
    this.sync = new Int32Array(task.sync);
    this.packetSeed = deriveSeed(task.seed, STREAM.packet);
  }

  /** Builds the path table and loads the user strategies (built-in or from their files). */
  static async create(task: InitTask): Promise<ShardHost> {
    // One load per strategy, not per agent: every listed flow is an agent of its own.
    const loaded = new Map<string, Promise<UserAgent["strategy"]>>();
    const userAgents: UserAgent[] = [];
    for (const agent of task.agents) {
      const key = `${agent.baseDir}\0${agent.ref}`;
      let strategy = loaded.get(key);
      if (!strategy) loaded.set(key, (strategy = loadStrategy("user", { ref: agent.ref, baseDir: agent.baseDir })));
      userAgents.push({ strategy: await strategy, params: agent.params });
    }
    const links = linkViews(task.links, task.linkCount);
    const shard = new FlowShard({
      topology: task.topology, paths: new PathTable(task.topology, { k: task.pathsK }), seed: task.seed,
      roundSeconds: task.roundSeconds, userAgents, links, sharedTable: true,
    });
    return new ShardHost(shard, task, links);
  }

  run(task: Exclude<ShardTask, InitTask>): ShardReply {
    const { shard } = this;
    switch (task.op) {
      case "begin":
        for (const key of LINK_TOTAL_KEYS) this.totals[key].fill(0);
        if (task.endedBy !== null) shard.removeEnded(task.endedBy);
        shard.addArrivals(task.arrivals, task.round);
        return { maxHops: shard.buildPayingLeg(task.round, task.time, task.tariffVersion) };
      case "leg":
        this.runLeg(task);
        return {};
      case "return":
        return { maxHops: shard.buildReturnLeg() };
      case "outcomes": {
        const counts = shard.recordOutcomes();
        const { flows } = shard;
        const reply: ShardReply = { counts, count: flows.count };
        if (flows.generation !== this.sentGeneration) {
          reply.columns = flows.sharedBuffers();
          this.sentGeneration = flows.generation;
        }
        return reply;
      }
    }
  }

  /**
   * Every hop of a leg. Hop h's forward pass and hop h+1's local pass share one pass between
   * barriers: the local pass reads only this shard's batches and the tariffs, not the totals,
   * so the shards meet once per hop, and every total is still added up in the same order.
   */
  private runLeg(task: LegTask): void {
    const leg = this.shard.leg(task.leg);
    const { batches } = leg;
    const context = (hop: number): HopContext => ({ seed: this.packetSeed, round: task.round, leg: task.leg, hop, pathPool: leg.pool });
    hopLocal(this.links, batches, this.startPass(LOCAL_KEYS), context(0), 0, batches.count);
    this.endPass(LOCAL_KEYS);
    for (let hop = 0; hop < task.maxHops; hop++) {
      computeAdmission(this.links, this.totals, task.byPayment);
      const last = hop + 1 === task.maxHops;
      const keys = last ? FORWARD_KEYS : BOTH_KEYS;
      const partial = this.startPass(keys);
      hopForward(this.links, batches, partial, context(hop), 0, batches.count);
      if (!last) hopLocal(this.links, batches, partial, context(hop + 1), 0, batches.count);
      this.endPass(keys);
    }
    if (this.index === 0) for (const key of LINK_TOTAL_KEYS) this.result[key].set(this.totals[key]);
  }

  /** This shard's partial totals for the next pass, the totals it writes cleared. */
  private startPass(keys: readonly TotalKey[]): LinkTotals {
    const partial = this.partials[this.index]![this.slice]!;
    for (const key of keys) partial[key].fill(0);
    return partial;
  }

  /**
   * Waits for every shard to finish the pass, then adds their partial totals into this shard's
   * totals. The next pass writes the other slice, and a slice is only cleared two passes after
   * it was written, once every shard has passed the barrier in between: no shard reads a slice
   * while another writes it.
   */
  private endPass(keys: readonly TotalKey[]): void {
    arriveAndWait(this.sync, this.shards);
    const L = this.totals.carriedBits.length;
    for (const key of keys) {
      const target = this.totals[key];
      for (let s = 0; s < this.shards; s++) {
        const source = this.partials[s]![this.slice]![key];
        for (let l = 0; l < L; l++) {
          const v = source[l]!;
          if (v !== 0) target[l]! += v;
        }
      }
    }
    this.slice ^= 1;
  }
}
