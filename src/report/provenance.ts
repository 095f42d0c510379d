/**
 * Provenance: what made a result. Every table and JSON document Tollway writes carries the
 * scenario's name and hash, the seed, the replication and the Tollway version, so a file found
 * on its own still says where it came from. Rows of one run (or one replication) carry `seed` and
 * `rep`; rows that aggregate several replications carry the `baseSeed` their seeds derive from and
 * the number of replications `reps`. One helper stamps them all ({@link stampRows}).
 */
import { TollwayError } from "../errors.js";
import { VERSION } from "../version.js";

/** Provenance of a row from one run: which scenario, which seed, which replication (0-based). */
export interface RunProvenance {
  scenario: string;
  scenarioHash: string;
  version: string;
  seed: number;
  rep: number;
}

/** Provenance of a row or document aggregated over replications `0 … reps-1` of `baseSeed`. */
export interface StudyProvenanceColumns {
  scenario: string;
  scenarioHash: string;
  version: string;
  baseSeed: number;
  reps: number;
}

/** Either kind of provenance. */
export type Provenance = RunProvenance | StudyProvenanceColumns;

/**
 * Provenance of one run, with this Tollway's version.
 *
 * @example runProvenance({ scenario: "fig1", scenarioHash: "ab12", seed: 1 }) // { scenario: "fig1", scenarioHash: "ab12", version: "0.1.0", seed: 1, rep: 0 }
 */
export function runProvenance(about: { scenario: string; scenarioHash: string; seed: number; rep?: number }): RunProvenance {
  return { scenario: about.scenario, scenarioHash: about.scenarioHash, version: VERSION, seed: about.seed, rep: about.rep ?? 0 };
}

/**
 * Provenance of a study over replications, with this Tollway's version.
 *
 * @example studyProvenance({ scenario: "duo", scenarioHash: "cd34", baseSeed: 7, reps: 5 }).version // "0.1.0"
 */
export function studyProvenance(about: { scenario: string; scenarioHash: string; baseSeed: number; reps: number }): StudyProvenanceColumns {
  return { scenario: about.scenario, scenarioHash: about.scenarioHash, version: VERSION, baseSeed: about.baseSeed, reps: about.reps };
}

/**
 * Rows with the provenance columns first. A row's own value wins over the stamp's (a
 * replication row of a study keeps its own `seed` and `rep` beside the study's `baseSeed`).
 *
 * @param about one provenance for all rows, or one per row (e.g. one scenario per policy).
 * @example
 * stampRows([{ isp: "X", revenue: 3 }], runProvenance({ scenario: "fig1", scenarioHash: "ab12", seed: 1 }));
 * // [{ scenario: "fig1", scenarioHash: "ab12", version: "0.1.0", seed: 1, rep: 0, isp: "X", revenue: 3 }]
 */
export function stampRows(rows: readonly object[], about: Provenance | ((row: Readonly<Record<string, unknown>>, index: number) => Provenance)): Record<string, unknown>[] {
  return rows.map((row, i) => {
    const record = row as Record<string, unknown>;
    const stamp = typeof about === "function" ? about(record, i) : about;
    return { ...stamp, ...record };
  });
}

/**
 * A JSON document with the provenance fields it lacks added after its own (so a document whose
 * first fields are promised keeps them first); the document's own values win.
 *
 * @example stampJson({ gain: 3 }, studyProvenance({ scenario: "duo", scenarioHash: "cd34", baseSeed: 7, reps: 5 }))
 * // { gain: 3, scenario: "duo", scenarioHash: "cd34", version: "0.1.0", baseSeed: 7, reps: 5 }
 */
export function stampJson<T extends object>(value: T, about: Provenance): Provenance & T {
  return { ...value, ...Object.fromEntries(Object.entries(about).filter(([key]) => !Object.hasOwn(value, key))) } as Provenance & T;
}

/**
 * Checks that a row or document says where it came from: scenario, scenario hash, version, and
 * either seed and rep or baseSeed and reps.
 *
 * @throws TollwayError (field `<where>`) naming the first missing column.
 */
export function requireProvenance(record: Readonly<Record<string, unknown>>, where: string): void {
  const missing = (key: string): boolean => record[key] === undefined || record[key] === null;
  const perRun = !missing("seed") && !missing("rep");
  const perStudy = !missing("baseSeed") && !missing("reps");
  for (const key of ["scenario", "scenarioHash", "version"]) {
    if (missing(key)) throw new TollwayError(`has no "${key}" (every output says what made it)`, { field: where });
  }
  if (!perRun && !perStudy) throw new TollwayError(`has neither "seed" and "rep" nor "baseSeed" and "reps"`, { field: where });
}
