/**
 * A strategy's behaviour as a readable script, after Axelrod's
 * `versus_test(opponent, expected_actions=[...])`: the observations it meets, round after round,
 * and the action expected in each. Its state carries from step to step as in a run, so a script
 * reads like the strategy's definition:
 *
 * ```ts
 * versusTest(bulkTransfer, [
 *   [user({ paths: priced(3, 5) }), { packets: 100, payment: 0, path: 0 }],
 *   [user({ paths: priced(3, 5), last: acked({ throughputBps: 1e5 }) }), { packets: 100, payment: 2, path: 0 }],
 * ], { targetBps: 1e6 });
 * ```
 */
import { isDeepStrictEqual } from "node:util";
import type { AnyStrategy, IspAction, IspObservation, IspStrategy, UserAction, UserObservation, UserStrategy } from "../agents/strategy.js";
import { createRng } from "../engine/random.js";

/** One step of a script: what the strategy observes and the action it must take. */
export type ScriptStep<Observation, Action> = readonly [observation: Observation, expected: Action];

/**
 * Plays `script` against `strategy` (its parameters parsed from `params`, its randomness from
 * `seed`) and throws an Error naming the first step whose action differs from the expected one.
 * Numbers match when they agree to 12 significant digits (prices computed in floating point).
 */
export function versusTest(strategy: UserStrategy, script: readonly ScriptStep<UserObservation, UserAction>[], params?: unknown, seed?: number): void;
export function versusTest(strategy: IspStrategy, script: readonly ScriptStep<IspObservation, IspAction>[], params?: unknown, seed?: number): void;
export function versusTest(strategy: AnyStrategy, script: readonly ScriptStep<unknown, unknown>[], params: unknown = {}, seed = 1): void {
  const parsed = strategy.params.parse(params);
  let state: unknown = strategy.init(parsed);
  script.forEach(([observation, expected], step) => {
    const rng = createRng(seed * 7919 + step);
    const decision = (strategy.decide as (o: unknown, s: unknown, p: unknown, r: typeof rng) => { state: unknown; action: unknown })(observation, state, parsed, rng);
    if (!sameAction(decision.action, expected)) {
      throw new Error(`${strategy.kind} strategy "${strategy.id}", step ${step + 1} of ${script.length}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(decision.action)}`);
    }
    state = structuredClone(decision.state);
  });
}

/** Deep equality with numbers compared to 12 significant digits. */
function sameAction(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameAction(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a as object);
    if (!isDeepStrictEqual(keys.sort(), Object.keys(b as object).sort())) return false;
    return keys.every((k) => sameAction((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return isDeepStrictEqual(a, b);
}
