/**
 * A barrier for the shard workers, on a shared Int32Array: each shard waits until every shard
 * has finished its pass. The supervisor can raise the abort flag (a shard failed): the others
 * then stop waiting and throw, so a failure never leaves a worker blocked.
 */

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;

/** Bytes of a barrier's buffer. */
export const BARRIER_BYTES = 16;

/** Checks of the generation before a waiting shard goes to sleep (a few tens of microseconds). */
const SPINS = 20_000;

/** Thrown by a shard whose peers failed. */
export const ABORTED = "stopped: another shard failed";

/** Waits until `parties` shards have called it (this one included). */
export function arriveAndWait(sync: Int32Array, parties: number): void {
  if (parties === 1) return;
  const generation = Atomics.load(sync, GENERATION);
  if (Atomics.add(sync, ARRIVED, 1) === parties - 1) {
    Atomics.store(sync, ARRIVED, 0);
    Atomics.add(sync, GENERATION, 1);
    Atomics.notify(sync, GENERATION);
    return;
  }
  // Peers usually arrive within microseconds: spin a little before sleeping, since waking a
  // sleeping thread costs tens of microseconds and a round crosses the barrier once per hop.
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(sync, GENERATION) !== generation) return;
  }
  while (Atomics.load(sync, GENERATION) === generation) {
    if (Atomics.load(sync, ABORT) !== 0) throw new Error(ABORTED);
    Atomics.wait(sync, GENERATION, generation, 100);
  }
}

/** Clears the barrier before a leg (no shard is waiting then). */
export function resetBarrier(sync: Int32Array): void {
  Atomics.store(sync, ARRIVED, 0);
  Atomics.store(sync, ABORT, 0);
}

/** Wakes every waiting shard and has it throw. */
export function abortBarrier(sync: Int32Array): void {
  Atomics.store(sync, ABORT, 1);
  Atomics.notify(sync, GENERATION);
}
