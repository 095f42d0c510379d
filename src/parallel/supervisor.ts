/**
 * Runs the flows of a simulation in worker threads: shard `s` of `W` holds the flows whose uid
 * is `s` mod `W`, in a piscina pool of one thread (so a flow's strategy state stays in its
 * worker). A round is one task per worker: each decides for its own flows and builds its own
 * batches, then runs each leg's hops on them; the workers meet at a barrier to agree on a leg's
 * hop count and after every hop, when each adds up all shards' partial admission totals
 * (exact: they are integers below 2^53) and computes each link's admission share (see
 * shard-host.ts). Every random draw is keyed by (flow, round, hop), so the result is the same
 * for any number of shards. Observers read the workers' flow tables, which live in
 * SharedArrayBuffers, between rounds.
 *
 * A round costs one round trip per worker however long the paths are. A worker that fails
 * raises the barrier's abort flag, so its peers stop waiting; every pool is then shut down and
 * the run ends with an error naming the shard and the part of the round.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { addShardPayments } from "../engine/payment-desk.js";
import { LINK_TOTAL_KEYS, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import { ExactSum } from "../engine/exact-sum.js";
import { EndedFlowCounter, noEndedFlows } from "../engine/flow-totals.js";
import { forgetRouteTable, routeTableFor, type RouteTable } from "../engine/route-table.js";
import { mapSharedColumns, type FlowColumns, type FlowColumnsView } from "../engine/flows.js";
import type { FlowShards, FlowShardSetup, RoundInputs, ShardRoundCounts } from "../engine/types.js";
import { TollwayError } from "../errors.js";
import { threadModule } from "./threads.js";
import { abortBarrier, ABORTED, BARRIER_BYTES, resetBarrier } from "./barrier.js";
import { allocateLinkBuffer, allocateTotalsBuffer, copyLinkInputs, linkViews, PARTIAL_SLICES, totalsViews } from "./layout.js";
import type { AgentSource, ShardReply, ShardTask } from "./messages.js";

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
  /**
   * Threads kept from one run to the next (a study's runs); its number of workers is the run's.
   * Left out, each run starts its own and shuts them down when it ends.
   */
  pool?: WorkerPool;
}

/** One worker per core. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** The compiled worker: next to this file in dist/, or in dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]parallel[\\/]supervisor\.ts$/, "dist/src/parallel/worker.js") : here.replace(/supervisor\.js$/, "worker.js");
}

/** One piscina pool of one thread per shard (so a flow's strategy state stays in its worker). */
function startPools(workers: number, file: string): Piscina[] {
  return Array.from({ length: workers }, () => new Piscina({ ...threadModule(file), minThreads: 1, maxThreads: 1, idleTimeout: 60_000, recordTiming: false }));
}

/**
 * Worker threads kept from one run to the next, for a study that runs several scenarios one
 * after the other (the policies of `reproduce table1`): each run sends every thread an `init` of
 * its own (a fresh shard), so threads are started and their modules loaded once, not once per
 * run (about 0.3 s of CPU per thread on the 2-core machine). One run at a time; whoever made
 * it closes it. A run that fails or is interrupted while a round is in flight discards the
 * threads (the next run starts fresh ones).
 */
export class WorkerPool {
  readonly workers: number;
  private readonly file: string;
  private pools: Piscina[] | null = null;
  private borrowed = false;
  /** How many times threads were started (1 for a study whose runs all went well). */
  starts = 0;

  constructor(options: { workers?: number; workerFile?: string } = {}) {
    this.workers = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new TollwayError(`--workers must be a positive integer (got ${this.workers})`);
    this.file = options.workerFile ?? workerFile();
  }

  /**
   * Starts the threads now, unless they run already: they load their modules while this thread
   * goes on (a study checks its input meanwhile). Otherwise the first `borrow` starts them.
   */
  start(): void {
    if (!this.pools) {
      this.pools = startPools(this.workers, this.file);
      this.starts++;
    }
  }

  /** The threads for one run, started on first use. */
  borrow(): Piscina[] {
    if (this.borrowed) throw new TollwayError("a worker pool runs one scenario at a time");
    this.borrowed = true;
    this.start();
    return this.pools!;
  }

  /** Gives the threads back after a run; `discard`: shut them down (the run failed or was cut short). */
  async giveBack(discard: boolean): Promise<void> {
    this.borrowed = false;
    if (discard) await this.close();
  }

  async close(): Promise<void> {
    const pools = this.pools;
    this.pools = null;
    if (pools) await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }
}

/** Makes the `flowShards` factory of a Simulation and shuts its workers down after the run. */
export class ShardedFlows {
  readonly workers: number;
  private readonly file: string;
  private readonly pool: WorkerPool | undefined;
  private readonly created: WorkerFlowShards[] = [];

  constructor(options: ShardedRunnerOptions = {}) {
    this.pool = options.pool;
    this.workers = options.pool?.workers ?? options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new TollwayError(`--workers must be a positive integer (got ${this.workers})`);
    this.file = options.workerFile ?? workerFile();
  }

  /** For `SimulationOptions.flowShards`. */
  readonly factory = (setup: FlowShardSetup): FlowShards => {
    const shards = new WorkerFlowShards(setup, this.workers, this.file, this.pool);
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
  /** Seconds spent in hop passes, as the slowest shard of each round measured them (barrier waits included). */
  hopSeconds = 0;
  private readonly setup: FlowShardSetup;
  private readonly pools: Piscina[];
  private readonly sharedLinks: LinkInputs;
  /** The round's totals as shard 0 leaves them after each leg. */
  private readonly result: LinkTotals;
  private readonly sync: Int32Array;
  private readonly columns: (FlowColumns | null)[];
  private readonly counts: number[];
  /** Each shard's steered routes, by index (ShardRoundCounts.steered). */
  private readonly steered: Int32Array[][] = [];
  private ready: Promise<void>;
  private failure: { shard: number; error: Error } | null = null;
  private closed = false;
  /** Threads borrowed from a pool kept between runs (null: this run's own). */
  private readonly lender: WorkerPool | null;
  private readonly onError: ((error: Error) => void)[] = [];
  /** A task is running on the workers (a run cut short then leaves them busy). */
  private inFlight = false;
  /** The route table the workers share (see close). */
  private readonly routeTable: RouteTable;

  constructor(setup: FlowShardSetup, workers: number, file: string, lender?: WorkerPool) {
    this.setup = setup;
    this.count = workers;
    const linkCount = setup.topology.linkCount;
    const agents: AgentSource[] = setup.userAgents.map((agent, a) => {
      if (!agent.source) throw new TollwayError(`user agent ${a} (strategy "${agent.strategy.id}") has no source to load it from in a worker; run it in-thread`);
      return { ref: agent.source.ref, baseDir: agent.source.baseDir, params: agent.params };
    });
    const linkBuffer = allocateLinkBuffer(linkCount);
    const partialsBuffer = allocateTotalsBuffer(linkCount, PARTIAL_SLICES * workers);
    const totalsBuffer = allocateTotalsBuffer(linkCount, 1);
    const syncBuffer = new SharedArrayBuffer(BARRIER_BYTES);
    const hopsBuffer = new SharedArrayBuffer(4 * 2 * workers);
    this.sharedLinks = linkViews(linkBuffer, linkCount);
    this.result = totalsViews(totalsBuffer, linkCount, 0);
    this.sync = new Int32Array(syncBuffer);
    this.columns = new Array<FlowColumns | null>(workers).fill(null);
    this.counts = new Array<number>(workers).fill(0);
    this.lender = lender ?? null;
    this.pools = lender ? lender.borrow() : startPools(workers, file);
    this.pools.forEach((pool, shard) => {
      // Without a listener a worker that fails to load would crash the process instead of the run.
      const listener = (error: Error): void => {
        this.failure ??= { shard, error };
      };
      this.onError.push(listener);
      pool.on("error", listener);
    });
    // The workers share the process's route table (each computes the pairs it finds missing,
    // with a path table of the same k: the same offered paths).
    const pathsK = setup.paths.k;
    this.routeTable = routeTableFor(setup.topology, setup.paths);
    const routes = this.routeTable.buffers;
    this.ready = this.all("while starting", (shard) => ({
      op: "init", shard, shards: workers, topology: setup.topology, pathsK, routes, seed: setup.seed, roundSeconds: setup.roundSeconds,
      agents, traffic: setup.traffic, links: linkBuffer, linkCount, partials: partialsBuffer, totals: totalsBuffer, sync: syncBuffer, hops: hopsBuffer,
      ...(setup.strategyTimeoutMs !== undefined ? { strategyTimeoutMs: setup.strategyTimeoutMs } : {}),
      ...(setup.secretary ? { secretary: setup.secretary } : {}),
      ...(setup.payments ? { payments: setup.payments } : {}),
      ...(setup.security ? { security: setup.security } : {}),
    })).then(() => undefined);
    // A failure is reported by the first round that awaits it; never an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async playRound(inputs: RoundInputs, totals: LinkTotals): Promise<ShardRoundCounts> {
    await this.ready;
    const { round } = inputs;
    copyLinkInputs(this.setup.links, this.sharedLinks);
    resetBarrier(this.sync);
    // Arrivals live in SharedArrayBuffers: posting them copies nothing.
    const replies = await this.all(`in round ${round}`, (shard) => ({
      op: "round", round, time: inputs.time, tariffVersion: inputs.tariffVersion, endedBy: inputs.endedBy,
      arrivals: inputs.arrivals[shard]!, generated: inputs.generated, byPayment: inputs.byPayment, flowTotals: inputs.flowTotals,
      ...(inputs.allowances ? { allowances: inputs.allowances } : {}),
      ...(inputs.beacons ? { beacons: inputs.beacons } : {}),
    }));
    for (const key of LINK_TOTAL_KEYS) totals[key].set(this.result[key]);
    const sum: ShardRoundCounts = { acksSent: 0, acksDelivered: 0, batchHops: 0, paid: 0, deliveredBits: 0, logUtility: [], utilityTerms: 0, ended: noEndedFlows() };
    const logUtility = new ExactSum();
    const ended = new EndedFlowCounter();
    let hopSeconds = 0;
    replies.forEach((reply, s) => {
      if (reply.columns) this.columns[s] = mapSharedColumns(reply.columns);
      this.counts[s] = reply.count ?? 0;
      sum.acksSent += reply.counts!.acksSent;
      sum.acksDelivered += reply.counts!.acksDelivered;
      sum.batchHops += reply.counts!.batchHops;
      sum.paid += reply.counts!.paid;
      sum.deliveredBits += reply.counts!.deliveredBits;
      logUtility.merge(reply.counts!.logUtility);
      sum.utilityTerms += reply.counts!.utilityTerms;
      ended.merge(reply.counts!.ended);
      const billing = reply.counts!.billing;
      if (billing) {
        sum.billing ??= { kept: [], flows: [] };
        // Shard by shard (the desk's BigInt sums do not depend on the order); no spread: the lists can be long.
        for (const x of billing.kept) sum.billing.kept.push(x);
        for (const x of billing.flows) sum.billing.flows.push(x);
      }
      if (reply.counts!.payments) sum.payments = addShardPayments(sum.payments, reply.counts!.payments);
      for (const links of reply.counts!.steered ?? []) (this.steered[s] ??= []).push(links);
      hopSeconds = Math.max(hopSeconds, reply.hopSeconds ?? 0);
    });
    this.hopSeconds += hopSeconds;
    sum.logUtility = logUtility.partials;
    sum.ended = ended.totals();
    return sum;
  }

  tables(): readonly FlowColumnsView[] {
    const out: FlowColumnsView[] = [];
    for (let s = 0; s < this.count; s++) {
      const columns = this.columns[s];
      if (columns) out.push({ columns, count: this.counts[s]!, steeredLinks: this.steered[s] ?? [] });
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pools.forEach((pool, shard) => pool.off("error", this.onError[shard]!));
    const broken = this.inFlight || this.failure !== null;
    // Threads shut down mid-round may have died holding a claim on the route table.
    if (broken) forgetRouteTable(this.routeTable);
    if (this.lender) await this.lender.giveBack(broken);
    else await Promise.all(this.pools.map((pool) => pool.destroy().catch(() => undefined)));
  }

  /**
   * Runs one task on every shard; any failure (a reply that reports one, a task that throws, a
   * worker that dies) shuts every pool down and ends the run naming the shard that failed first.
   */
  private async all(what: string, task: (shard: number) => ShardTask): Promise<ShardReply[]> {
    if (this.closed) throw new TollwayError(`flow shards used after they were shut down (${what})`);
    let first: { shard: number; phase: string | null; error: unknown } | null = null;
    this.inFlight = true;
    const fail = (shard: number, phase: string | null, error: unknown): never => {
      // A failure is the cause, the peers it leaves waiting at the barrier stop too. Of several
      // shards that fail on their own (a strategy every flow plays), the lowest is named: the
      // same error whichever thread was faster.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== ABORTED && (!first || shard < (first as { shard: number }).shard)) first = { shard, phase, error };
      abortBarrier(this.sync);
      throw error;
    };
    const settled = await Promise.allSettled(this.pools.map((pool, shard) =>
      (pool.run(task(shard)) as Promise<ShardReply>).then(
        (reply) => (reply.failure ? fail(shard, reply.failure.phase, new Error(reply.failure.message)) : reply),
        (error: unknown) => fail(shard, null, error),
      ),
    ));
    const failed = settled.findIndex((s) => s.status === "rejected");
    if (failed < 0 && !this.failure) this.inFlight = false;
    if (failed >= 0 || this.failure) {
      const cause = (first as { shard: number; phase: string | null; error: unknown } | null)
        ?? (this.failure ? { shard: this.failure.shard, phase: null, error: this.failure.error } : { shard: failed, phase: null, error: (settled[failed] as PromiseRejectedResult).reason });
      const { shard, phase, error: reason } = cause;
      await this.close();
      const message = reason instanceof Error ? reason.message : String(reason);
      throw new TollwayError(`worker for shard ${shard} failed ${what}${phase ? ` (${phase})` : ""}: ${message}`, {}, { cause: reason });
    }
    return settled.map((s) => (s as PromiseFulfilledResult<ShardReply>).value);
  }
}
