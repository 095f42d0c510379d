/**
 * Designs of experiments: from factors to the list of points to run. A grid crosses every
 * factor's values (full factorial); `random` draws each factor uniformly; a latin hypercube
 * (McKay, Beckman & Conover 1979) cuts each factor's range into as many strata as points and
 * uses every stratum exactly once, so few points still cover every factor's whole range.
 * Draws come from the design's seed, so a design is the same wherever it is expanded.
 */
import { TollwayError } from "../errors.js";
import { createRng, deriveSeed, type Rng } from "../engine/random.js";
import type { DesignSpec, FactorSpec, FactorValue } from "../scenario/experiment.js";

/** One point of a design: each factor's value (by factor name) and the scenario fields it sets. */
export interface DesignPoint {
  values: Record<string, FactorValue>;
  /** Scenario path → value, in factor order. */
  set: [string, unknown][];
}

/** The column name of a factor: its `name`, else its (first) path. */
export function factorName(factor: FactorSpec): string {
  if (factor.name !== undefined) return factor.name;
  if ("path" in factor) return typeof factor.path === "string" ? factor.path : factor.path[0]!;
  throw new Error("unreachable: a levels factor has a name");
}

/** The scenario paths a factor sets. */
export function factorPaths(factor: FactorSpec): string[] {
  if ("levels" in factor) return [...new Set(factor.levels.flatMap((l) => Object.keys(l.set)))];
  return typeof factor.path === "string" ? [factor.path] : factor.path;
}

/**
 * Checks the factors (ranges with low ≤ high, log ranges above 0, unique names) and expands
 * the design into points. `field` is where the factors sit in the file (for errors).
 *
 * @example
 * expandDesign([{ path: "a", values: [1, 2] }, { path: "b", values: ["x", "y"] }], { kind: "grid" }, "e.json", "experiment")
 *   .map((p) => p.values) // [{a:1,b:"x"},{a:1,b:"y"},{a:2,b:"x"},{a:2,b:"y"}]
 */
export function expandDesign(factors: readonly FactorSpec[], design: DesignSpec, file: string, field: string): DesignPoint[] {
  const names = new Set<string>();
  factors.forEach((factor, i) => {
    const at = [field, `factors.${i}`].filter((s) => s !== "").join(".");
    const name = factorName(factor);
    if (names.has(name)) throw new TollwayError(`two factors are named "${name}"; give one a "name"`, { file, field: `${at}.name` });
    names.add(name);
    if ("low" in factor) {
      if (!(factor.low <= factor.high)) throw new TollwayError(`low (${factor.low}) > high (${factor.high})`, { file, field: `${at}.low` });
      if (factor.scale === "log" && factor.low <= 0) throw new TollwayError(`a log scale needs low > 0 (got ${factor.low})`, { file, field: `${at}.low` });
      if (design.kind === "grid") {
        if (factor.steps === undefined) throw new TollwayError(`a range in a grid design needs "steps" (or list "values")`, { file, field: `${at}.steps` });
        if (factor.steps < 2 && factor.low !== factor.high) throw new TollwayError(`steps must be at least 2 for a range with low < high (got ${factor.steps})`, { file, field: `${at}.steps` });
      }
    }
  });
  if (design.kind === "grid") {
    let points: DesignPoint[] = [{ values: {}, set: [] }];
    for (const factor of factors) {
      const levels = gridLevels(factor);
      points = points.flatMap((p) => levels.map((l) => ({ values: { ...p.values, [factorName(factor)]: l.value }, set: [...p.set, ...l.set] })));
    }
    return points;
  }
  const n = design.points;
  const rngs = factors.map((_, j) => createRng(deriveSeed(design.seed, j)));
  const strata = factors.map((_, j) => (design.kind === "latin-hypercube" ? permutation(n, rngs[j]!) : null));
  return Array.from({ length: n }, (_, i) => {
    const point: DesignPoint = { values: {}, set: [] };
    factors.forEach((factor, j) => {
      const u = strata[j] ? (strata[j]![i]! + rngs[j]!.random()) / n : rngs[j]!.random();
      const level = levelAt(factor, u);
      point.values[factorName(factor)] = level.value;
      point.set.push(...level.set);
    });
    return point;
  });
}

interface Level {
  value: FactorValue;
  set: [string, unknown][];
}

function gridLevels(factor: FactorSpec): Level[] {
  if ("levels" in factor) return factor.levels.map((l) => ({ value: l.value, set: Object.entries(l.set) }));
  if ("values" in factor) return factor.values.map((v) => ({ value: v, set: factorPaths(factor).map((p) => [p, v]) }));
  const steps = factor.steps!;
  return Array.from({ length: steps }, (_, k) => rangeLevel(factor, steps === 1 ? 0 : k / (steps - 1)));
}

/** The level at u ∈ [0, 1) of a factor: a listed value or level by position, or a point of the range. */
function levelAt(factor: FactorSpec, u: number): Level {
  if ("levels" in factor) {
    const l = factor.levels[Math.min(factor.levels.length - 1, Math.floor(u * factor.levels.length))]!;
    return { value: l.value, set: Object.entries(l.set) };
  }
  if ("values" in factor) {
    const v = factor.values[Math.min(factor.values.length - 1, Math.floor(u * factor.values.length))]!;
    return { value: v, set: factorPaths(factor).map((p) => [p, v]) };
  }
  return rangeLevel(factor, u);
}

function rangeLevel(factor: Extract<FactorSpec, { low: number }>, u: number): Level {
  const { low, high } = factor;
  let value = factor.scale === "log" ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
  if (u === 1) value = high; // exact end points, whatever the rounding of exp/log
  if (factor.integer) value = Math.round(value);
  return { value, set: factorPaths(factor).map((p) => [p, value]) };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
function permutation(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
