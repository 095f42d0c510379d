/** The `tollway` command line. One file per command; this one only wires them and handles errors. */
import { Command } from "commander";
import { VERSION } from "../version.js";
import { StudyDeferred } from "../errors.js";
import { failUnexpectedExit, reportAndExit } from "./errors.js";
import { registerRun } from "./run.js";
import { registerValidate } from "./validate.js";
import { registerStrategies } from "./strategies.js";
import { registerMetrics } from "./metrics.js";
import { registerDeviation } from "./deviation.js";
import { registerTournament } from "./tournament.js";
import { registerOscillation } from "./oscillation.js";
import { registerReproduce } from "./reproduce.js";
import { registerReproduceCalibrate } from "./reproduce-calibrate.js";
import { registerReproduceClaimsMap } from "./reproduce-claims-map.js";
import { registerSweep } from "./sweep.js";
import { registerExport } from "./export.js";
import { registerSummarize } from "./summarize.js";
import { registerCollect } from "./collect.js";
import { registerStatus } from "./status.js";
import { registerAudit } from "./audit.js";
import { registerInitStrategy } from "./init-strategy.js";
import { registerData } from "./data.js";
import { registerHijack } from "./hijack.js";
import { registerFreshness } from "./freshness.js";

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
const reproduce = registerReproduce(program);
registerReproduceCalibrate(reproduce);
registerReproduceClaimsMap(reproduce);
registerSweep(program);
registerExport(program);
registerSummarize(program);
registerCollect(program);
registerStatus(program);
registerAudit(program);
registerInitStrategy(program);
registerData(program);
registerHijack(program);
registerFreshness(program);

const debug = process.argv.includes("--debug");
// From the start of a command's action until it returns, an exit with code 0 is a failure.
let running = false;
program.hook("preAction", () => void (running = true));
failUnexpectedExit(() => running);
program.parseAsync(process.argv).then(() => void (running = false), (error: unknown) => {
  // A study handed to SLURM (or a dry run) has said what it did; there is no report to print now.
  if (error instanceof StudyDeferred) {
    running = false;
    if (error.message !== "") process.stdout.write(`${error.message}\n`);
    process.exit(0);
  }
  reportAndExit(error, debug);
});
