/**
 * The in-thread host of a run's flows: one FlowShard in the calling thread, its legs' hops run
 * by a HopRunner (the serial one, or one a benchmark wraps to time them). The round sequence
 * itself is FlowShard.playRound, the same as in a worker (parallel/shard-host.ts).
 */
import { FlowShard } from "./flow-shard.js";
import type { ArrivalList, FlowColumnsView } from "./flows.js";
import { computeAdmission, hopForward, hopForwardThenLocal, hopLocal, type HopContext, type LinkTotals } from "./pipeline.js";
import type { FlowShards, FlowShardSetup, HopRunner, RoundInputs, ShardRoundCounts } from "./types.js";

/** One FlowShard in the calling thread. */
export class LocalFlowShards implements FlowShards {
  readonly count = 1;
  readonly shard: FlowShard;
  private readonly setup: FlowShardSetup;
  private readonly hopRunner: HopRunner;
  private readonly steered: Int32Array[] = [];

  constructor(setup: FlowShardSetup, hopRunner: HopRunner = serialHopRunner) {
    this.setup = setup;
    this.hopRunner = hopRunner;
    this.shard = new FlowShard(setup);
  }

  /** The round on the one shard, each leg's hops through the hop runner. */
  playRound(inputs: RoundInputs, totals: LinkTotals): ShardRoundCounts {
    const { round, byPayment } = inputs;
    const arrivals: ArrivalList = inputs.arrivals[0]!;
    const counts = this.shard.playRound({ ...inputs, arrivals }, (leg, built, longest) =>
      this.hopRunner.runLeg(this.setup.links, built.batches, totals, built.pool, { seed: this.shard.packetSeed, round, leg }, byPayment, longest));
    for (const links of counts.steered ?? []) this.steered.push(links);
    return counts;
  }

  tables(): readonly FlowColumnsView[] {
    const { flows } = this.shard;
    return [{ columns: flows.columns, count: flows.count, steeredLinks: this.steered }];
  }
}

/**
 * The in-thread runner, hop after hop over every batch: hop 0's local pass, then per hop its
 * admission and one pass of its forward step and the next hop's local step, as a worker does.
 */
export const serialHopRunner: HopRunner = {
  runLeg(links, batches, totals, pathPool, base, byPayment, longest) {
    if (longest === 0) return;
    hopLocal(links, batches, totals, { ...base, hop: 0, pathPool }, 0, batches.count);
    for (let hop = 0; hop < longest; hop++) {
      const ctx: HopContext = { ...base, hop, pathPool };
      computeAdmission(links, totals, byPayment);
      if (hop + 1 < longest) hopForwardThenLocal(links, batches, totals, ctx, 0, batches.count);
      else hopForward(links, batches, totals, ctx, 0, batches.count);
    }
  },
};
