/**
 * Runs the flows of a simulation in worker threads: shard `s` of `W` holds the flows whose uid
 * is `s` mod `W`, in a piscina pool of one thread (so a flow's strategy state stays in its
 * worker). Each round every worker decides for its own flows and builds its own batches; for
 * each hop it runs the local pass on them, the supervisor adds up the shards' partial link
 * totals (exact: they are integers below 2^53) and computes each link's admission share, and
 * the workers run the forward pass. Every random draw is keyed by (flow, round, hop), so the
 * result is the same for any number of shards. Observers read the workers' flow tables, which
 * live in SharedArrayBuffers, between rounds.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Piscina } from "piscina";
import { computeAdmission, LINK_TOTAL_KEYS, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import { mapSharedColumns, type ArrivalList, type FlowColumns, type FlowColumnsView } from "../engine/flows.js";
import type { ShardRoundCounts } from "../engine/flow-shard.js";
import type { FlowShards, FlowShardSetup } from "../engine/simulation.js";
import { TollwayError } from "../errors.js";
import { allocateLinkBuffer, allocateTotalsBuffer, copyLinkInputs, linkViews, totalsViews } from "./layout.js";
import type { AgentSource, HopPass, ShardReply, ShardTask } from "./messages.js";

export interface ShardedRunnerOptions {
  /** Worker threads, one shard each (default: the number of cores). */
  workers?: number;
  /**
   * Runs with fewer listed flows than this and no generated traffic stay in the calling
   * thread: starting workers costs more than the work (default 256).
   */
  minFlowsToShard?: number;
  /** Another worker module (tests use one that crashes). */
  workerFile?: string;
}

export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** The compiled worker: next to this file in dist/, or in dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]parallel[\\/]supervisor\.ts$/, "dist/src/parallel/worker.js") : here.replace(/supervisor\.js$/, "worker.js");
}

/** Makes the `flowShards` factory of a Simulation and shuts its workers down after the run. */
export class ShardedFlows {
  readonly workers: number;
  private readonly file: string;
  private readonly created: WorkerFlowShards[] = [];

  constructor(options: ShardedRunnerOptions = {}) {
    this.workers = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new TollwayError(`--workers must be a positive integer (got ${this.workers})`);
    this.file = options.workerFile ?? workerFile();
  }

  /** For `SimulationOptions.flowShards`. */
  readonly factory = (setup: FlowShardSetup): FlowShards => {
    const shards = new WorkerFlowShards(setup, this.workers, this.file);
    this.created.push(shards);
    return shards;
  };

  /** Seconds spent in hop passes so far (benchmarks). */
  get hopSeconds(): number {
    return this.created.reduce((sum, s) => sum + s.hopSeconds, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.created.map((s) => s.close()));
  }
}

/** Flow shards in worker threads; see the module comment. */
export class WorkerFlowShards implements FlowShards {
  readonly count: number;
  /** Seconds spent in hop passes (round trips and reductions included). */
  hopSeconds = 0;
  private readonly setup: FlowShardSetup;
  private readonly pools: Piscina[];
  private readonly sharedLinks: LinkInputs;
  private readonly partials: LinkTotals[];
  private readonly columns: (FlowColumns | null)[];
  private readonly counts: number[];
  private readonly maxHops: number[];
  private ready: Promise<void>;
  private failure: { shard: number; error: Error } | null = null;
  private closed = false;

  constructor(setup: FlowShardSetup, workers: number, file: string) {
    this.setup = setup;
    this.count = workers;
    const linkCount = setup.topology.linkCount;
    const agents: AgentSource[] = setup.userAgents.map((agent, a) => {
      if (!agent.source) throw new TollwayError(`user agent ${a} (strategy "${agent.strategy.id}") has no source to load it from in a worker; run it in-thread`);
      return { ref: agent.source.ref, baseDir: agent.source.baseDir, params: agent.params };
    });
    const paths = setup.paths as { k?: unknown };
    if (typeof paths.k !== "number") throw new TollwayError("flow shards in workers need a PathTable (its k) to build the same offered paths");
    const linkBuffer = allocateLinkBuffer(linkCount);
    const totalsBuffer = allocateTotalsBuffer(linkCount, workers);
    this.sharedLinks = linkViews(linkBuffer, linkCount);
    this.partials = Array.from({ length: workers }, (_, s) => totalsViews(totalsBuffer, linkCount, s));
    this.columns = new Array<FlowColumns | null>(workers).fill(null);
    this.counts = new Array<number>(workers).fill(0);
    this.maxHops = new Array<number>(workers).fill(0);
    this.pools = Array.from({ length: workers }, (_, shard) => {
      const pool = new Piscina({ filename: file, minThreads: 1, maxThreads: 1, idleTimeout: 60_000, recordTiming: false });
      // Without a listener a worker that fails to load would crash the process instead of the run.
      pool.on("error", (error: Error) => {
        this.failure ??= { shard, error };
      });
      return pool;
    });
    const pathsK = paths.k;
    this.ready = this.all("while starting", (shard) => ({
      op: "init", shard, shards: workers, topology: setup.topology, pathsK, seed: setup.seed, roundSeconds: setup.roundSeconds,
      agents, links: linkBuffer, linkCount, totals: totalsBuffer,
    })).then(() => undefined);
    // A failure is reported by the first round that awaits it; never an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async beginRound(round: number, time: number, tariffVersion: number, arrivals: readonly ArrivalList[], endedBy: number | null): Promise<void> {
    await this.ready;
    copyLinkInputs(this.setup.links, this.sharedLinks);
    const replies = await this.all(`in round ${round} (building the paying leg)`, (shard) => ({
      op: "begin", round, time, tariffVersion, endedBy, arrivals: arrivals[shard]!,
    }));
    replies.forEach((reply, s) => (this.maxHops[s] = reply.maxHops ?? 0));
  }

  async runLeg(leg: 0 | 1, round: number, totals: LinkTotals, byPayment: boolean): Promise<void> {
    const start = performance.now();
    const maxHops = Math.max(...this.maxHops);
    for (let hop = 0; hop < maxHops; hop++) {
      await this.pass("local", leg, hop, round);
      this.reduceInto(totals);
      computeAdmission(this.sharedLinks, totals, byPayment);
      await this.pass("forward", leg, hop, round);
      this.reduceInto(totals);
    }
    this.setup.links.admitNormal.set(this.sharedLinks.admitNormal);
    this.setup.links.admitPremium.set(this.sharedLinks.admitPremium);
    this.hopSeconds += (performance.now() - start) / 1000;
  }

  async buildReturnLeg(round: number): Promise<void> {
    const replies = await this.all(`in round ${round} (building the return leg)`, () => ({ op: "return", round }));
    replies.forEach((reply, s) => (this.maxHops[s] = reply.maxHops ?? 0));
  }

  async recordOutcomes(round: number): Promise<ShardRoundCounts> {
    const replies = await this.all(`in round ${round} (recording outcomes)`, () => ({ op: "outcomes", round }));
    const sum: ShardRoundCounts = { acksSent: 0, acksDelivered: 0, batchHops: 0 };
    replies.forEach((reply, s) => {
      if (reply.columns) this.columns[s] = mapSharedColumns(reply.columns);
      this.counts[s] = reply.count ?? 0;
      sum.acksSent += reply.counts!.acksSent;
      sum.acksDelivered += reply.counts!.acksDelivered;
      sum.batchHops += reply.counts!.batchHops;
    });
    return sum;
  }

  tables(): readonly FlowColumnsView[] {
    const out: FlowColumnsView[] = [];
    for (let s = 0; s < this.count; s++) {
      const columns = this.columns[s];
      if (columns) out.push({ columns, count: this.counts[s]! });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.pools.map((pool) => pool.destroy().catch(() => undefined)));
  }

  private pass(pass: HopPass, leg: 0 | 1, hop: number, round: number): Promise<ShardReply[]> {
    return this.all(`in round ${round} (leg ${leg}, hop ${hop}, ${pass} pass)`, () => ({ op: "hop", pass, leg, hop, round }));
  }

  /** Runs one task on every shard; any failure shuts every pool down and ends the run naming the shard. */
  private async all(what: string, task: (shard: number) => ShardTask): Promise<ShardReply[]> {
    if (this.closed) throw new TollwayError(`flow shards used after they were shut down (${what})`);
    const settled = await Promise.allSettled(this.pools.map((pool, shard) => pool.run(task(shard)) as Promise<ShardReply>));
    const failed = settled.findIndex((s) => s.status === "rejected");
    if (failed >= 0 || this.failure) {
      const shard = failed >= 0 ? failed : this.failure!.shard;
      const reason: unknown = failed >= 0 ? (settled[failed] as PromiseRejectedResult).reason : this.failure!.error;
      await this.close();
      const message = reason instanceof Error ? reason.message : String(reason);
      throw new TollwayError(`worker for shard ${shard} failed ${what}: ${message}`, {}, { cause: reason });
    }
    return settled.map((s) => (s as PromiseFulfilledResult<ShardReply>).value);
  }

  /** Adds every shard's partial totals into `totals` and clears them. */
  private reduceInto(totals: LinkTotals): void {
    const linkCount = this.setup.topology.linkCount;
    for (const key of LINK_TOTAL_KEYS) {
      const target = totals[key];
      for (const partial of this.partials) {
        const source = partial[key];
        for (let l = 0; l < linkCount; l++) {
          if (source[l] !== 0) {
            target[l]! += source[l]!;
            source[l] = 0;
          }
        }
      }
    }
  }
}
