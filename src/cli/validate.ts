/** `tollway validate <scenario>`: checks the file, its topology and its strategies without running it. */
import type { Command } from "commander";
import { loadScenarioFile } from "../scenario/load.js";
import { buildScenario } from "../scenario/build.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check a scenario (schema, topology, strategies and their parameters) without running it")
    .argument("<scenario>", "scenario JSON file")
    .action(async (file: string) => {
      const loaded = loadScenarioFile(file);
      const { topology, ispChoices } = await buildScenario(loaded);
      const hosts = topology.nodeIds.length - ispChoices.size;
      process.stdout.write(
        `${file}: ok — "${loaded.scenario.name}", ${ispChoices.size} ISPs, ${hosts} hosts, ${topology.linkCount / 2} links, ` +
          `${loaded.scenario.flows.length} flows, ${loaded.scenario.rounds} rounds (scenario ${loaded.hash})\n`,
      );
    });
}
