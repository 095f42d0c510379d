/**
 * `tollway validate <scenario>`: checks the file, its topology, paths, strategies and their
 * parameters by building the scenario as `run` does (`checkScenario`: without a flow table), without
 * running a round; then the fields only the studies read (`players`, `deviation`, `sweep.isps`)
 * name ISPs and strategies that exist.
 */
import type { Command } from "commander";
import { inFile } from "../errors.js";
import { requireIsp, requireStrategy, resolvePlayers, type ScenarioIsps } from "../analysis/match.js";
import { loadScenarioFile, type LoadedScenario } from "../scenario/load.js";
import { checkScenario } from "../scenario/build.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check a scenario (schema, topology, strategies and their parameters) without running it")
    .argument("<scenario>", "scenario JSON file")
    .action(async (file: string) => {
      const loaded = loadScenarioFile(file);
      const { topology, ispChoices, topologyHash } = await checkScenario(loaded);
      await checkStudyFields(loaded, { isps: ispChoices, nodes: new Set(topology.nodeIds), topologyHash });
      const hosts = topology.nodeIds.length - ispChoices.size;
      process.stdout.write(
        `${file}: ok — "${loaded.scenario.name}", ${ispChoices.size} ISPs, ${hosts} hosts, ${topology.linkCount / 2} links, ` +
          `${loaded.scenario.flows.length} flows, ${loaded.scenario.rounds} rounds (scenario ${loaded.hash})\n`,
      );
    });
}

/**
 * The checks `tournament`, `deviation` and `oscillation` make of the scenario's own fields before
 * they run anything, so that `validate` passes only what they accept.
 * @throws TollwayError naming the file and the field (`players.1`, `deviation.to`, ...).
 */
export async function checkStudyFields(loaded: LoadedScenario, known: ScenarioIsps): Promise<void> {
  const { scenario, file } = loaded;
  try {
    if (scenario.players !== undefined) resolvePlayers(loaded, known);
    scenario.sweep?.isps?.forEach((id, i) => requireIsp(id, known, `sweep.isps.${i}`));
    if (scenario.deviation !== undefined) {
      requireIsp(scenario.deviation.isp, known, "deviation.isp");
      await requireStrategy("isp", scenario.deviation.to, loaded, "deviation.to");
    }
  } catch (error) {
    inFile(file, error);
  }
}
