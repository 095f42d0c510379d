/** The worker entry: one flow shard per worker thread (each pool has one thread). */
import { ShardHost } from "./shard-host.js";
import type { ShardReply, ShardTask } from "./messages.js";

let host: ShardHost | null = null;

/** Plays a round of this worker's shard (the first task, `init`, creates the shard). */
export default async function runShardTask(task: ShardTask): Promise<ShardReply> {
  if (task.op === "init") {
    // A thread kept for another run (WorkerPool) reuses the last run's memory.
    host = await ShardHost.create(task, host?.flowShard);
    return {};
  }
  if (!host) throw new Error(`task "${task.op}" before init`);
  return host.playRound(task);
}
