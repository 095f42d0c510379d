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

/** Options of {@link concurrentPointRunner}. */
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
  if (!Number.isInteger(jobs) || jobs < 1) throw new TollwayError(`--jobs must be a positive integer (got ${jobs})`);
  return {
    async run(points, work, onDone) {
      const results = new Array(points.length);
      let next = 0;
      let done = 0;
      let failure: { error: unknown } | null = null;
      const lane = async (): Promise<void> => {
        while (next < points.length && failure === null && !options.signal?.aborted) {
          const k = next++;
          try {
            results[k] = await work(points[k]!);
          } catch (error) {
            failure ??= { error };
            return;
          }
          done++;
          onDone?.(done, points.length);
        }
      };
      await Promise.all(Array.from({ length: Math.min(jobs, points.length) }, lane));
      if (failure !== null) throw (failure as { error: unknown }).error;
      if (done < points.length) throw new TollwayError(`interrupted after ${done} of ${points.length} points`);
      return results;
    },
  };
}
