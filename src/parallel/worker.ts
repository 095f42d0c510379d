/** The worker entry: maps the shared buffers and runs one pass of one hop on one shard. */
import { hopForward, hopLocal } from "../engine/pipeline.js";
import { batchViews, linkViews, totalsViews } from "./layout.js";
import type { HopResult, HopTask } from "./messages.js";

export default function runHopTask(task: HopTask): HopResult {
  const { batches, pool } = batchViews({ buffer: task.batches, capacity: task.batchCapacity, poolCapacity: task.poolCapacity }, task.to);
  const links = linkViews(task.links, task.linkCount);
  const totals = totalsViews(task.totals, task.linkCount, task.shard);
  const ctx = { seed: task.seed, round: task.round, leg: task.leg, hop: task.hop, pathPool: pool };
  if (task.pass === "local") hopLocal(links, batches, totals, ctx, task.from, task.to);
  else hopForward(links, batches, totals, ctx, task.from, task.to);
  return { shard: task.shard, rows: task.to - task.from };
}
