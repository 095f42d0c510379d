/**
 * What a worker thread holds: one FlowShard (its flows, their strategy states), views of the
 * shared link inputs and of the shards' partial link totals, and its own copy of the round's
 * link totals and admission shares. Each task is a whole round.
 *
 * Within a round the shards meet at a barrier to agree on each leg's hop count and after each
 * hop's pass; then every shard adds up all shards' partial admission totals (in shard order;
 * exact, they are integers below 2^53) into its copy of the round's totals and computes the
 * admission shares from them, so every shard holds the same totals the in-thread engine would,
 * with no round trip to the supervisor.
 */
import { loadStrategy } from "../agents/loader.js";
import { isBuiltInStrategy } from "../agents/registry.js";
import { FlowShard } from "../engine/flow-shard.js";
import { computeAdmission, createLinkTotals, hopForward, hopForwardThenLocal, hopLocal, LINK_TOTAL_KEYS, type HopContext, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import type { Leg, UserAgent } from "../engine/types.js";
import { routeFeeder } from "../engine/route-table.js";
import { abortBarrier, arriveAndWait } from "./barrier.js";
import { linkViews, PARTIAL_SLICES, totalsViews } from "./layout.js";
import type { InitTask, RoundTask, ShardReply } from "./messages.js";

type TotalKey = (typeof LINK_TOTAL_KEYS)[number];
/** The totals the admission shares depend on: shards add them up after every pass. */
const ADMISSION_KEYS = ["offeredNormalBits", "offeredPremiumBits", "carriedBits"] as const satisfies readonly TotalKey[];
/** The others, needed only at the end of a leg: each shard keeps its own over the round. */
const ROUND_KEYS = LINK_TOTAL_KEYS.filter((key) => !(ADMISSION_KEYS as readonly TotalKey[]).includes(key));

/** One shard's state inside its worker. */
export class ShardHost {
  private readonly shard: FlowShard;
  private readonly index: number;
  private readonly shards: number;
  /** Shared tariffs, standing and capacity, with this shard's own admission shares. */
  private readonly links: LinkInputs;
  /**
   * partials[s][p]: shard s's partial totals in slice p. Slices 0 and 1 hold one pass's admission
   * totals (passes alternate between them); slice 2 the shard's other totals over the round.
   */
  private readonly partials: LinkTotals[][];
  /** What the hop kernels of a pass write to: admission keys in the pass's slice, the rest in slice 2 (one per slice). */
  private readonly passTotals: LinkTotals[];
  /** This shard's copy of the round's totals so far. */
  private readonly totals: LinkTotals;
  /** Where shard 0 leaves the round's totals for the supervisor. */
  private readonly result: LinkTotals;
  private readonly sync: Int32Array;
  /** Each shard's hop count per leg (see agreeOnHops). */
  private readonly hops: Int32Array;
  private slice = 0;
  private sentGeneration = -1;

  private constructor(shard: FlowShard, task: InitTask, links: LinkInputs) {
    this.shard = shard;
    this.index = task.shard;
    this.shards = task.shards;
    const L = task.linkCount;
    this.links = { ...links, admitNormal: new Float64Array(L), admitPremium: new Float64Array(L) };
    this.partials = Array.from({ length: task.shards }, (_, s) =>
      Array.from({ length: PARTIAL_SLICES }, (_, p) => totalsViews(task.partials, L, PARTIAL_SLICES * s + p)));
    const own = this.partials[this.index]!;
    this.passTotals = [0, 1].map((p) => {
      const totals = { ...own[2]! };
      for (const key of ADMISSION_KEYS) totals[key] = own[p]![key];
      return totals;
    });
    this.totals = createLinkTotals(L);
    this.result = totalsViews(task.totals, L, 0);
    this.sync = new Int32Array(task.sync);
    this.hops = new Int32Array(task.hops);
  }

  /** Attaches to the shared route table and loads the user strategies (built-in or from their files). */
  static async create(task: InitTask, reuse?: FlowShard): Promise<ShardHost> {
    // One load per strategy, not per agent: every listed flow is an agent of its own.
    const loaded = new Map<string, Promise<UserAgent["strategy"]>>();
    const userAgents: UserAgent[] = [];
    for (const agent of task.agents) {
      const key = `${agent.baseDir}\0${agent.ref}`;
      let strategy = loaded.get(key);
      if (!strategy) loaded.set(key, (strategy = loadStrategy("user", { ref: agent.ref, baseDir: agent.baseDir })));
      const loadedStrategy = await strategy;
      userAgents.push({ strategy: loadedStrategy, params: agent.params, builtIn: isBuiltInStrategy(loadedStrategy) });
    }
    const links = linkViews(task.links, task.linkCount);
    const shard = new FlowShard({
      topology: task.topology, paths: routeFeeder(task.topology, task.pathsK), routeTable: task.routes, seed: task.seed,
      roundSeconds: task.roundSeconds, userAgents, links, sharedTable: true, traffic: task.traffic, shard: task.shard, shards: task.shards,
      ...(task.strategyTimeoutMs !== undefined ? { strategyTimeoutMs: task.strategyTimeoutMs } : {}),
      ...(task.secretary ? { secretary: task.secretary } : {}),
      ...(task.payments ? { payments: task.payments } : {}),
      ...(task.security ? { security: task.security } : {}),
      reuse,
    });
    return new ShardHost(shard, task, links);
  }

  /** This host's flow shard (the next run in this thread takes over its memory). */
  get flowShard(): FlowShard {
    return this.shard;
  }

  /**
   * Plays one round of this shard's flows (FlowShard.playRound: the sequence the in-thread host
   * plays too), each leg's hops run in step with the other shards; a failure is answered, not
   * thrown, with the part of the round it happened in.
   */
  playRound(task: RoundTask): ShardReply {
    const { shard } = this;
    try {
      for (const key of LINK_TOTAL_KEYS) this.totals[key].fill(0);
      for (const key of ROUND_KEYS) this.partials[this.index]![2]![key].fill(0);
      let hopSeconds = 0;
      const counts = shard.playRound(task, (leg, built, longest) => {
        const hops = this.agreeOnHops(leg, longest);
        shard.phase = `leg ${leg}, ${hops} hops`;
        hopSeconds += this.runLeg(task, leg, built, hops);
        // Every shard has finished both legs' hops: the round's totals are complete.
        if (leg === 1 && this.index === 0) this.publishTotals();
      });
      const { flows } = shard;
      const reply: ShardReply = { counts, count: flows.count, hopSeconds };
      if (flows.generation !== this.sentGeneration) {
        reply.columns = flows.sharedBuffers();
        this.sentGeneration = flows.generation;
      }
      return reply;
    } catch (error) {
      abortBarrier(this.sync);
      return { failure: { phase: shard.phase, message: error instanceof Error ? error.message : String(error) } };
    }
  }

  /** Publishes this shard's longest path on a leg and returns the longest over all shards (they all wait for it). */
  private agreeOnHops(leg: 0 | 1, hops: number): number {
    const slot = leg * this.shards;
    Atomics.store(this.hops, slot + this.index, hops);
    arriveAndWait(this.sync, this.shards);
    let longest = 0;
    for (let s = 0; s < this.shards; s++) longest = Math.max(longest, Atomics.load(this.hops, slot + s));
    return longest;
  }

  /** The round's totals for the supervisor (shard 0, once every shard has finished its hops). */
  private publishTotals(): void {
    for (const key of ROUND_KEYS) {
      const target = this.result[key];
      target.fill(0);
      for (let s = 0; s < this.shards; s++) addInto(target, this.partials[s]![2]![key]);
    }
    for (const key of ADMISSION_KEYS) this.result[key].set(this.totals[key]);
  }

  /**
   * Every hop of a leg. Hop h's forward step and hop h+1's local step run as one pass between
   * barriers (`hopForwardThenLocal`: the local step reads only this shard's batches and the
   * tariffs, not the totals), so the shards meet once per hop; after each, every shard adds up the totals admission
   * depends on. The rest each shard keeps over the round, for `publishTotals`. Returns the
   * seconds it took (barrier waits included).
   */
  private runLeg(task: RoundTask, legIndex: 0 | 1, leg: Leg, maxHops: number): number {
    if (maxHops === 0) return 0;
    const started = performance.now();
    const { batches } = leg;
    const context = (hop: number): HopContext => ({ seed: this.shard.packetSeed, round: task.round, leg: legIndex, hop, pathPool: leg.pool });
    hopLocal(this.links, batches, this.startPass(), context(0), 0, batches.count);
    this.endPass();
    for (let hop = 0; hop < maxHops; hop++) {
      computeAdmission(this.links, this.totals, task.byPayment);
      const partial = this.startPass();
      if (hop + 1 < maxHops) hopForwardThenLocal(this.links, batches, partial, context(hop), 0, batches.count);
      else hopForward(this.links, batches, partial, context(hop), 0, batches.count);
      this.endPass();
    }
    return (performance.now() - started) / 1000;
  }

  /** What this shard's next pass writes to, its admission totals cleared. */
  private startPass(): LinkTotals {
    const partial = this.passTotals[this.slice]!;
    for (const key of ADMISSION_KEYS) partial[key].fill(0);
    return partial;
  }

  /**
   * Waits for every shard to finish the pass, then adds their admission totals into this
   * shard's totals (in shard order; exact, they are integers below 2^53). The next pass writes
   * the other slice, and a slice is only cleared two passes after it was written, once every
   * shard has passed the barrier in between: no shard reads a slice while another writes it.
   */
  private endPass(): void {
    arriveAndWait(this.sync, this.shards);
    for (const key of ADMISSION_KEYS) {
      for (let s = 0; s < this.shards; s++) addInto(this.totals[key], this.partials[s]![this.slice]![key]);
    }
    this.slice ^= 1;
  }
}

/** Adds `source` into `target`, link by link. */
function addInto(target: Float64Array, source: Float64Array): void {
  for (let l = 0; l < target.length; l++) {
    const v = source[l]!;
    if (v !== 0) target[l]! += v;
  }
}
