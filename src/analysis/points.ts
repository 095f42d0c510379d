/**
 * Running many points: configurations × replications, each with a seed derived on the
 * coordinator from the base seed and the replication index, so that the seed travels with the
 * work and the results do not depend on where or in which order the points run. Tournaments,
 * deviation studies and parameter sweeps all go through here; a parallel or cluster runner
 * (ROADMAP item 2) plugs in as a {@link PointRunner}.
 *
 * Replication r of every configuration gets the same seed ("common random numbers"), so that
 * comparing two configurations compares them under the same random draws — a paired design.
 */
import { deriveSeed, STREAM } from "../engine/random.js";
import { performance } from "node:perf_hooks";
import { TollwayError } from "../errors.js";

/** What every tidy row of a study carries: the scenario, the replication and its seed. */
export interface RowProvenance {
  scenario: string;
  scenarioHash: string;
  seed: number;
  rep: number;
}

/** What every study's result carries about how it was made. */
export interface StudyProvenance {
  scenario: string;
  scenarioHash: string;
  unit: string;
  baseSeed: number;
  reps: number;
  rounds: number;
}

/** One unit of work. Everything it needs is in it, as plain data. */
export interface Point<Config> {
  /** Position in the expanded list; results come back in this order. */
  index: number;
  /** Which configuration (index into the list given to {@link expandPoints}). */
  configIndex: number;
  config: Config;
  /** Replication index, 0-based. */
  rep: number;
  /** The seed this replication runs with. */
  seed: number;
}

/**
 * The seed of replication `rep`: `deriveSeed(baseSeed, STREAM.experiment, rep)`. Independent
 * of the configuration, so all configurations share the draws of a replication.
 *
 * @example replicationSeed(1, 0) === replicationSeed(1, 0) // true; and ≠ replicationSeed(1, 1)
 */
export function replicationSeed(baseSeed: number, rep: number): number {
  return deriveSeed(baseSeed, STREAM.experiment, rep);
}

/**
 * The seed of a study's resampling (bootstrap intervals): derived from the base seed apart from
 * every replication's, so the intervals are reproducible and draw nothing the runs draw.
 *
 * @example bootstrapSeed(1) === bootstrapSeed(1) // true; and ≠ replicationSeed(1, r) for every r in practice
 */
export function bootstrapSeed(baseSeed: number): number {
  return deriveSeed(baseSeed, STREAM.experiment, 0xffffffff, 1);
}

/**
 * Every configuration × every replication, configuration-major.
 *
 * @example
 * expandPoints(["a", "b"], 2, 7).map((p) => [p.config, p.rep]); // [["a",0],["a",1],["b",0],["b",1]]
 */
export function expandPoints<Config>(configs: readonly Config[], reps: number, baseSeed: number): Point<Config>[] {
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`expandPoints: reps must be a positive integer (got ${reps})`);
  const seeds = Array.from({ length: reps }, (_, rep) => replicationSeed(baseSeed, rep));
  const points: Point<Config>[] = [];
  configs.forEach((config, configIndex) => {
    for (let rep = 0; rep < reps; rep++) points.push({ index: points.length, configIndex, config, rep, seed: seeds[rep]! });
  });
  return points;
}

/** Runs points and returns their results in point order. */
export interface PointRunner {
  run<Config, Result>(points: readonly Point<Config>[], work: (point: Point<Config>) => Promise<Result>, onDone?: (done: number, total: number) => void): Promise<Result[]>;
}

/** One point after another, in this thread. */
export const serialPointRunner: PointRunner = {
  async run(points, work, onDone) {
    const results = [];
    for (const point of points) {
      results.push(await work(point));
      onDone?.(results.length, points.length);
    }
    return results;
  },
};

/** Options of {@link runPoints}. */
export interface RunPointsOptions {
  /** How to run them (default: serially in this thread). */
  runner?: PointRunner | undefined;
  /** Called after each point with (points done, points in all). */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * Runs every point with `work` and returns the results in point order.
 *
 * @example
 * const points = expandPoints(profiles, 10, scenario.seed);
 * const results = await runPoints(points, (p) => runMatch(loaded, { ...p.config, seed: p.seed }));
 */
export async function runPoints<Config, Result>(
  points: readonly Point<Config>[],
  work: (point: Point<Config>) => Promise<Result>,
  options: RunPointsOptions = {},
): Promise<Result[]> {
  return (options.runner ?? serialPointRunner).run(points, work, options.onProgress);
}

/** Options of {@link concurrentPointRunner} and {@link concurrentBatchRunner}. */
export interface ConcurrentRunnerOptions {
  /** Once aborted, no further point starts; the running ones finish, then `run` throws an "interrupted" TollwayError. */
  signal?: AbortSignal | undefined;
}

/**
 * Up to `jobs` points at once (their `work` may hand them to worker threads or processes);
 * results still come back in point order, so the outcome does not depend on `jobs`.
 *
 * @example await runPoints(points, (p) => pool.run(p), { runner: concurrentPointRunner(4) });
 */
export function concurrentPointRunner(jobs: number, options: ConcurrentRunnerOptions = {}): PointRunner {
  const batches = concurrentBatchRunner(jobs, { ...options, batchSize: () => 1 });
  return { run: (points, work, onDone) => batches.run(points, ([point]) => work(point!).then((result) => [result]), onDone) };
}

/** Runs points a batch at a time and returns their results in point order. */
export interface BatchPointRunner {
  run<Config, Result>(points: readonly Point<Config>[], work: (batch: readonly Point<Config>[]) => Promise<Result[]>, onDone?: (done: number, total: number) => void): Promise<Result[]>;
}

/** What {@link BatchOptions.batchSize} is told before a lane takes its next batch. */
export interface BatchSizing {
  /** Points not yet taken by any lane. */
  remaining: number;
  /** Lanes (jobs) in all. */
  lanes: number;
  /** Size and wall seconds of the last batch any lane finished (null before the first). */
  last: { points: number; seconds: number } | null;
}

/** Options of {@link concurrentBatchRunner}. */
export interface BatchOptions extends ConcurrentRunnerOptions {
  /** How many points a lane takes next (at least 1; more than remain is cut to what remains). */
  batchSize: (sizing: BatchSizing) => number;
}

/**
 * Up to `jobs` batches at once: each lane takes the next `batchSize(...)` points in point order,
 * hands them to `work` together (one message to a worker instead of one per point) and takes
 * the next batch when `work` returns one result per point. Results come back in point order, so
 * the outcome depends neither on `jobs` nor on how the points were batched. Once the signal is
 * aborted no further batch starts; the running ones finish, then `run` throws an "interrupted"
 * TollwayError. The first batch whose `work` throws stops the others from starting and is rethrown.
 *
 * @example
 * // lane 1 takes points 0-1, lane 2 points 2-3, then whichever finishes first takes point 4
 * await concurrentBatchRunner(2, { batchSize: () => 2 }).run(points, (b) => pool.run(b.map(task)));
 */
export function concurrentBatchRunner(jobs: number, options: BatchOptions): BatchPointRunner {
  if (!Number.isInteger(jobs) || jobs < 1) throw new TollwayError(`--jobs must be a positive integer (got ${jobs})`);
  return {
    async run(points, work, onDone) {
      const results = new Array(points.length);
      let next = 0;
      let done = 0;
      let last: BatchSizing["last"] = null;
      let failure: { error: unknown } | null = null;
      const lane = async (): Promise<void> => {
        while (next < points.length && failure === null && !options.signal?.aborted) {
          const wanted = options.batchSize({ remaining: points.length - next, lanes: jobs, last });
          const from = next;
          next = Math.min(points.length, from + Math.max(1, Math.floor(wanted)));
          const batch = points.slice(from, next);
          const start = performance.now();
          let out: unknown[];
          try {
            out = await work(batch);
            if (out.length !== batch.length) throw new TollwayError(`a batch of ${batch.length} points gave ${out.length} results`);
          } catch (error) {
            failure ??= { error };
            return;
          }
          last = { points: batch.length, seconds: (performance.now() - start) / 1000 };
          for (let i = 0; i < batch.length; i++) {
            results[from + i] = out[i];
            done++;
            onDone?.(done, points.length);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(jobs, points.length) }, lane));
      if (failure !== null) throw (failure as { error: unknown }).error;
      if (done < points.length) throw new TollwayError(`interrupted after ${done} of ${points.length} points`);
      return results;
    },
  };
}

/** Options of {@link adaptiveBatchSize}. */
export interface AdaptiveBatchOptions {
  /** Wall seconds a batch should take (default 0.02: a message round trip of tens of µs is then ~1% of it). */
  targetSeconds?: number;
  /** Most points in one batch (default 64). */
  max?: number;
}

/**
 * A batch size for {@link concurrentBatchRunner} that grows with how fast points run: 1 until a
 * batch has finished, then enough points for about `targetSeconds` at the last batch's pace, at
 * most twice the last batch plus one (a slow start, such as a worker loading its modules, is not
 * taken for the pace), and at most `remaining / (2 · lanes)` so the lanes finish close together.
 * Points that take longer than the target run one at a time, as without batching.
 *
 * @example
 * const size = adaptiveBatchSize();
 * size({ remaining: 400, lanes: 2, last: { points: 4, seconds: 0.004 } }); // min(20 at 1 ms, 2·4+1, 400/4) = 9
 */
export function adaptiveBatchSize(options: AdaptiveBatchOptions = {}): (sizing: BatchSizing) => number {
  const target = options.targetSeconds ?? 0.02;
  const max = options.max ?? 64;
  return ({ remaining, lanes, last }) => {
    if (last === null || last.seconds <= 0) return 1;
    const paced = Math.floor((target * last.points) / last.seconds);
    return Math.max(1, Math.min(paced, 2 * last.points + 1, max, Math.floor(remaining / (2 * lanes))));
  };
}
