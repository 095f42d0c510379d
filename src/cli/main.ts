/** The `tollway` command line. One file per command; this one only wires them and handles errors. */
import { Command } from "commander";
import { VERSION } from "../version.js";
import { reportAndExit } from "./errors.js";
import { registerRun } from "./run.js";
import { registerValidate } from "./validate.js";
import { registerStrategies } from "./strategies.js";
import { registerMetrics } from "./metrics.js";
import { registerDeviation } from "./deviation.js";
import { registerTournament } from "./tournament.js";
import { registerOscillation } from "./oscillation.js";
import { registerReproduce } from "./reproduce.js";
import { registerInitStrategy } from "./init-strategy.js";

const program = new Command();
program
  .name("tollway")
  .description("A lab for money carried by Internet packets: Bill-Pay nanopayments and path-based dynamic pricing.")
  .version(VERSION)
  .option("--debug", "print stack traces of errors");

registerRun(program);
registerValidate(program);
registerStrategies(program);
registerMetrics(program);
registerDeviation(program);
registerTournament(program);
registerOscillation(program);
registerReproduce(program);
registerInitStrategy(program);

const debug = process.argv.includes("--debug");
program.parseAsync(process.argv).catch((error: unknown) => reportAndExit(error, debug));
