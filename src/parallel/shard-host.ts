/**
 * What a worker thread holds: one FlowShard (its flows, their strategy states) and views of the
 * shared link inputs and of its own partial link totals. Each task is one step of a round.
 */
import { loadStrategy } from "../agents/loader.js";
import { FlowShard } from "../engine/flow-shard.js";
import { hopForward, hopLocal, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import { deriveSeed, STREAM } from "../engine/random.js";
import type { UserAgent } from "../engine/simulation.js";
import { PathTable } from "../model/paths.js";
import { linkViews, totalsViews } from "./layout.js";
import type { InitTask, ShardReply, ShardTask } from "./messages.js";

/** One shard's state inside its worker. */
export class ShardHost {
  private readonly shard: FlowShard;
  private readonly links: LinkInputs;
  private readonly totals: LinkTotals;
  private readonly packetSeed: number;
  private sentGeneration = -1;

  private constructor(shard: FlowShard, links: LinkInputs, totals: LinkTotals, seed: number) {
    this.shard = shard;
    this.links = links;
    this.totals = totals;
    this.packetSeed = deriveSeed(seed, STREAM.packet);
  }

  /** Builds the path table and loads the user strategies (built-in or from their files). */
  static async create(task: InitTask): Promise<ShardHost> {
    const userAgents: UserAgent[] = [];
    for (const agent of task.agents) {
      userAgents.push({ strategy: await loadStrategy("user", { ref: agent.ref, baseDir: agent.baseDir }), params: agent.params });
    }
    const links = linkViews(task.links, task.linkCount);
    const shard = new FlowShard({
      topology: task.topology, paths: new PathTable(task.topology, { k: task.pathsK }), seed: task.seed,
      roundSeconds: task.roundSeconds, userAgents, links, sharedTable: true,
    });
    return new ShardHost(shard, links, totalsViews(task.totals, task.linkCount, task.shard), task.seed);
  }

  run(task: Exclude<ShardTask, InitTask>): ShardReply {
    const { shard } = this;
    switch (task.op) {
      case "begin":
        if (task.endedBy !== null) shard.removeEnded(task.endedBy);
        shard.addArrivals(task.arrivals, task.round);
        return { maxHops: shard.buildPayingLeg(task.round, task.time, task.tariffVersion) };
      case "hop": {
        const leg = shard.leg(task.leg);
        const ctx = { seed: this.packetSeed, round: task.round, leg: task.leg, hop: task.hop, pathPool: leg.pool };
        if (task.pass === "local") hopLocal(this.links, leg.batches, this.totals, ctx, 0, leg.batches.count);
        else hopForward(this.links, leg.batches, this.totals, ctx, 0, leg.batches.count);
        return {};
      }
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
}
