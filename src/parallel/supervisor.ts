/**
 * Shards the hop passes of each leg across piscina worker threads. Batches and link inputs are
 * copied once per leg into shared buffers; each hop then runs its local pass on every shard,
 * the supervisor adds up the shards' partial link totals (exact: they are integers below 2^53),
 * computes each link's admission share, and runs the forward pass on every shard. Since every
 * random draw is keyed by (flow, round, hop), the result is the same for any number of shards.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { computeAdmission, LINK_TOTAL_KEYS, type Batches, type LinkInputs, type LinkTotals } from "../engine/pipeline.js";
import { maxPathLength, serialHopRunner, type HopRunner } from "../engine/simulation.js";
import { TollwayError } from "../errors.js";
import {
  allocateBatchBuffer, allocateLinkBuffer, allocateTotalsBuffer, batchViews, copyBatches, copyBatchResults,
  copyLinkInputs, linkViews, totalsViews, type SharedBatchBuffer,
} from "./layout.js";
import type { HopPass, HopResult, HopTask } from "./messages.js";

export interface ShardedRunnerOptions {
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /** Legs with fewer batches than this run in the calling thread: a round trip costs more than the work. */
  minBatchesToShard?: number;
  /** Another worker module (tests use one that crashes). */
  workerFile?: string;
}

interface LinkState {
  linkCount: number;
  linkBuffer: SharedArrayBuffer;
  totalsBuffer: SharedArrayBuffer;
  sharedLinks: LinkInputs;
  partials: LinkTotals[];
}

export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** The compiled worker: next to this file in dist/, or in dist/ when running from sources (tests). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? here.replace(/src[\\/]parallel[\\/]supervisor\.ts$/, "dist/src/parallel/worker.js") : here.replace(/supervisor\.js$/, "worker.js");
}

export class ShardedHopRunner implements HopRunner {
  readonly workers: number;
  private readonly pool: Piscina;
  private readonly minBatches: number;
  private linkState: LinkState | null = null;
  private batchBuffer: SharedBatchBuffer | null = null;
  private failure: Error | null = null;

  constructor(options: ShardedRunnerOptions = {}) {
    this.workers = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new TollwayError(`--workers must be a positive integer (got ${this.workers})`);
    this.minBatches = options.minBatchesToShard ?? 256;
    this.pool = new Piscina({ filename: options.workerFile ?? workerFile(), minThreads: this.workers, maxThreads: this.workers, idleTimeout: 60_000 });
    // Without a listener a worker that fails to load would crash the process instead of the run.
    this.pool.on("error", (error: Error) => {
      this.failure = error;
    });
  }

  /** Shared link inputs and per-shard totals, sized on first use to the topology's links. */
  private links(linkCount: number): LinkState {
    if (this.linkState?.linkCount === linkCount) return this.linkState;
    const linkBuffer = allocateLinkBuffer(linkCount);
    const totalsBuffer = allocateTotalsBuffer(linkCount, this.workers);
    this.linkState = {
      linkCount, linkBuffer, totalsBuffer,
      sharedLinks: linkViews(linkBuffer, linkCount),
      partials: Array.from({ length: this.workers }, (_, s) => totalsViews(totalsBuffer, linkCount, s)),
    };
    return this.linkState;
  }

  async runLeg(links: LinkInputs, batches: Batches, totals: LinkTotals, pathPool: Int32Array, base: { seed: number; round: number; leg: number }, byPayment: boolean): Promise<void> {
    if (batches.count < this.minBatches) return serialHopRunner.runLeg(links, batches, totals, pathPool, base, byPayment);
    const state = this.links(links.capacityBits.length);
    const shared = this.ensureBatchBuffer(batches.count, pathPool.length);
    const views = batchViews(shared, batches.count);
    copyBatches(batches, pathPool, views.batches, views.pool, pathPool.length);
    copyLinkInputs(links, state.sharedLinks);
    const maxHops = maxPathLength(batches);
    for (let hop = 0; hop < maxHops; hop++) {
      await this.pass("local", hop, batches.count, shared, state, base);
      this.reduceInto(totals, state);
      computeAdmission(state.sharedLinks, totals, byPayment);
      await this.pass("forward", hop, batches.count, shared, state, base);
      this.reduceInto(totals, state);
    }
    copyBatchResults(views.batches, batches);
    links.admitNormal.set(state.sharedLinks.admitNormal);
    links.admitPremium.set(state.sharedLinks.admitPremium);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async pass(pass: HopPass, hop: number, count: number, shared: SharedBatchBuffer, state: LinkState, base: { seed: number; round: number; leg: number }): Promise<void> {
    const per = Math.ceil(count / this.workers);
    const tasks: Promise<HopResult>[] = [];
    for (let shard = 0; shard < this.workers; shard++) {
      const from = Math.min(count, shard * per);
      const to = Math.min(count, from + per);
      const task: HopTask = {
        pass, shard, from, to, hop, ...base,
        batches: shared.buffer, batchCapacity: shared.capacity, poolCapacity: shared.poolCapacity,
        links: state.linkBuffer, linkCount: state.linkCount, totals: state.totalsBuffer,
      };
      tasks.push(this.pool.run(task) as Promise<HopResult>);
    }
    const settled = await Promise.allSettled(tasks);
    const failed = settled.findIndex((s) => s.status === "rejected");
    if (failed >= 0 || this.failure) {
      const reason = failed >= 0 ? (settled[failed] as PromiseRejectedResult).reason : this.failure;
      await this.pool.destroy().catch(() => undefined);
      const message = reason instanceof Error ? reason.message : String(reason);
      throw new TollwayError(`worker for shard ${Math.max(0, failed)} failed in round ${base.round} (leg ${base.leg}, hop ${hop}, ${pass} pass): ${message}`, {}, { cause: reason });
    }
  }

  /** Adds every shard's partial totals into `totals` and clears them. */
  private reduceInto(totals: LinkTotals, state: LinkState): void {
    for (const key of LINK_TOTAL_KEYS) {
      const target = totals[key];
      for (const partial of state.partials) {
        const source = partial[key];
        for (let l = 0; l < state.linkCount; l++) {
          if (source[l] !== 0) {
            target[l]! += source[l]!;
            source[l] = 0;
          }
        }
      }
    }
  }

  private ensureBatchBuffer(count: number, poolLength: number): SharedBatchBuffer {
    const current = this.batchBuffer;
    if (current && current.capacity >= count && current.poolCapacity >= poolLength) return current;
    const grown = allocateBatchBuffer(Math.max(count, (current?.capacity ?? 0) * 2), Math.max(poolLength, (current?.poolCapacity ?? 0) * 2));
    this.batchBuffer = grown;
    return grown;
  }
}
