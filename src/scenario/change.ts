/** Changing a loaded scenario in code (a notebook's "change a field, run again"). */
import { parseScenario, type LoadedScenario } from "./load.js";
import type { Scenario, ScenarioInput } from "./schema.js";

/**
 * A copy of the scenario with some top-level fields replaced, checked again by the schema (so a
 * bad value fails as it would in the file) and hashed again. The file name is kept: strategy and
 * topology paths still resolve against the scenario's folder, and errors name the file. Nested
 * fields are replaced whole; spread the old value to change one part of it. Give a function to
 * compute the new fields from the current (defaults filled in) scenario.
 *
 * @throws TollwayError naming the file and the field when the changed scenario is invalid.
 * @example
 * const longer = changeScenario(loaded, { rounds: 40 });
 * const tighter = changeScenario(loaded, (s) => ({ paths: { ...s.paths, k: 1 } }));
 */
export function changeScenario(
  loaded: LoadedScenario,
  changes: Partial<ScenarioInput> | ((scenario: Scenario) => Partial<ScenarioInput>),
): LoadedScenario {
  const patch = typeof changes === "function" ? changes(loaded.scenario) : changes;
  return parseScenario({ ...loaded.scenario, ...patch }, loaded.file);
}
