/** `tollway tournament <scenario>`: every profile of ISP strategies, ranked; optionally the equilibria of the empirical game. */
import { InvalidArgumentError, type Command } from "commander";
import type { EquilibriumReport, PayoffKind, TournamentResult } from "../analysis/tournament.js";
import { loadScenarioFile } from "../scenario/load.js";
import { nonNegativeNumber, strategyNames, num, numberTable, paramsText, prepareOutputDir, STRATEGY_PARAMS_HELP, strategyList, writeOutputs } from "./game-options.js";
import { interruptSignal, lazyProgress, nonNegativeInt, positiveInt } from "./options.js";
import { stampJson, studyProvenance } from "../report/provenance.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";

type StrategyArg = ReturnType<ReturnType<typeof strategyList>>[number];

interface TournamentFlags extends StudyBackendFlags {
  ispStrategies: StrategyArg[];
  userStrategies?: StrategyArg[];
  paramsFile?: string;
  reps: number;
  seed?: number;
  rounds?: number;
  payoff: PayoffKind;
  equilibria?: boolean;
  epsilon: number;
  start?: string[];
  jobs?: number;
  out?: string;
}

/** Adds `tollway tournament` to the program. */
export function registerTournament(program: Command): void {
  addStudyBackendOptions(program
    .command("tournament")
    .description("play every assignment of ISP strategies to the scenario's players over replications and rank the strategies (Axelrod-style)")
    .argument("<scenario>", "scenario JSON file (players: its \"players\", else the ISPs in isps.byNode)")
    .requiredOption("--isp-strategies <list>", "comma-separated ISP strategies (ids or files), each optionally with parameters: fixed-toll:perPacket=2,honest-congestion", strategyList("--isp-strategies"))
    .option("--user-strategies <list>", "comma-separated user strategies (same syntax); each is played by every flow in turn (default: the scenario's users)", strategyList("--user-strategies"))
    .option("--params-file <file>", "JSON object of parameters by strategy, e.g. {\"fixed-toll\": {\"perPacket\": 2}}")
    .option("--reps <n>", "replications per profile", positiveInt("--reps"), 5)
    .option("--seed <n>", "base seed of the replications (default: the scenario's)", nonNegativeInt("--seed"))
    .option("--rounds <n>", "rounds per match (overrides the scenario's)", positiveInt("--rounds"))
    .option("--payoff <kind>", "a player's payoff: revenue or profit", payoffKind, "revenue")
    .option("--equilibria", "also report the payoff table, regrets, ε-Nash equilibria, best-response dynamics and the price of anarchy")
    .option("--epsilon <units>", "ε of the ε-Nash report and of best-response dynamics, money units", nonNegativeNumber("--epsilon"), 0)
    .option("--start <list>", "start profile of best-response dynamics, one strategy per player (default: the scenario's)", strategyNames("--start"))
    .option("--store <file>", "keep every run in this DuckDB store and resume from it: a rerun skips the runs stored (default: in memory)")
    .option("--jobs <n>", "runs at once, each in its own worker thread (default: the number of cores); the result is the same for any number", positiveInt("--jobs"))
    .option("--json", "print the result as JSON")
    .option("--out <dir>", "write tournament.json, payoffs.csv, matches.csv, ranking.csv and ranking.svg there"))
    .addHelpText("after", `\n${STRATEGY_PARAMS_HELP}`)
    .action(async (file: string, flags: TournamentFlags) => {
      const loaded = loadScenarioFile(file);
      const { tournament } = await import("../analysis/tournament.js");
      const { readParamsFile } = await import("../analysis/strategy-spec.js");
      const out = flags.out ? await prepareOutputDir(flags.out, { command: "tournament", replaces: TOURNAMENT_FILES }) : null;
      const progress = lazyProgress("tournament", "matches", !flags.json);
      const result = await tournament(loaded, { ...flags, ...(flags.paramsFile !== undefined ? { params: readParamsFile(flags.paramsFile) } : {}), jobs: flags.jobs ?? (await import("../cluster/local.js")).defaultJobs(), backend: studyBackend(flags), signal: interruptSignal(), onProgress: progress.onProgress });
      progress.stop();
      const provenance = studyProvenance(result);
      if (out) {
        const { rankingChart } = await import("../report/study-charts.js");
        const about = { scenario: result.scenario, scenarioHash: result.scenarioHash, baseSeed: result.baseSeed, reps: result.reps, payoff: result.payoff, unit: result.unit };
        await writeOutputs(out, {
          provenance,
          json: { tournament: { ...result } },
          csv: {
            payoffs: result.payoffs,
            matches: result.matches,
            ranking: result.ranking.map((r) => ({ ...about, ...r })),
            ...(result.equilibria ? { regrets: regretRows(result) } : {}),
          },
          charts: {
            ranking: rankingChart(result),
          },
        });
      }
      process.stdout.write(flags.json ? JSON.stringify(stampJson(result, provenance), null, 2) + "\n" : formatTournament(result));
    });
}

/** The files `--out` writes. */
const TOURNAMENT_FILES = ["tournament.json", "payoffs.csv", "matches.csv", "ranking.csv", "regrets.csv", "ranking.svg"];

function payoffKind(value: string): PayoffKind {
  if (value !== "revenue" && value !== "profit") throw new InvalidArgumentError(`--payoff must be revenue or profit (got "${value}")`);
  return value;
}

/** One tidy row per (user population, profile): payoffs, welfare and regret. */
function regretRows(result: TournamentResult): Record<string, unknown>[] {
  return (result.equilibria ?? []).flatMap((eq) => eq.regrets.map((r) => ({
    scenario: result.scenario, scenarioHash: result.scenarioHash, baseSeed: result.baseSeed, reps: result.reps, userStrategy: eq.userStrategy,
    profile: r.names.map((s, i) => `${result.players[i]}=${s}`).join(" "),
    ...Object.fromEntries(r.payoffs.map((p, i) => [`payoff.${result.players[i]}`, p])),
    welfare: r.welfare, regret: r.regret, epsilonNash: r.regret <= eq.epsilon,
  })));
}

/** The readable report. */
export function formatTournament(r: TournamentResult): string {
  const out = [
    `${r.scenario} (scenario ${r.scenarioHash}, network ${r.topologyHash}): ${r.ispStrategies.length} ISP strategies × ${r.players.length} players (${r.players.join(", ")}) = ` +
      `${r.matches.length / r.reps / Math.max(1, r.userStrategies.length)} profiles${r.userStrategies.length > 0 ? ` × ${r.userStrategies.length} user populations` : ""}, ` +
      `${r.reps} replication(s) × ${r.rounds} round(s), seeds derived from ${r.baseSeed}; payoff = ${r.payoff} (${r.unit})`,
    "",
    "parameters every player with a strategy played with (its defaults plus those given):",
    numberTable([...r.candidates.map((c) => ({ kind: "ISP", strategy: c.name, id: c.id, params: paramsText(c.params) })),
      ...r.userCandidates.map((c) => ({ kind: "user", strategy: c.name, id: c.id, params: paramsText(c.params) }))]),
    "",
    "ranking of ISP strategies (mean payoff per player seat):",
    numberTable(r.ranking.map((x) => ({ rank: x.rank, strategy: x.strategy, mean: x.mean, "95% low": x.ci95Low, "95% high": x.ci95High, median: x.median, seats: x.n, "mean welfare": x.meanWelfare }))),
    `95% CI: ${r.ranking[0]?.ciMethod === "bootstrap-percentile" ? "bootstrap percentile over seats (revenue cannot be negative)" : "Student t over seats"}`,
  ];
  if (r.userRanking) {
    out.push("", "user populations (mean summed user utility per match):",
      numberTable(r.userRanking.map((x) => ({ rank: x.rank, "user strategy": x.userStrategy, mean: x.mean, "95% low": x.ci95Low, "95% high": x.ci95High, matches: x.n }))),
      "95% CI: Student t over matches");
  }
  for (const eq of r.equilibria ?? []) out.push("", ...formatEquilibria(eq, r));
  return out.join("\n") + "\n";
}

function formatEquilibria(eq: EquilibriumReport, r: TournamentResult): string[] {
  const label = (names: string[]): string => names.map((s, i) => `${r.players[i]}=${s}`).join(" ");
  const br = eq.bestResponse;
  const a = eq.anarchy;
  return [
    `equilibria${r.userStrategies.length > 0 ? ` (users: ${eq.userStrategy})` : ""}, ε = ${num(eq.epsilon)} ${r.unit}:`,
    numberTable(eq.regrets.map((x) => ({
      profile: label(x.names), ...Object.fromEntries(x.payoffs.map((p, i) => [`payoff ${r.players[i]}`, p])),
      welfare: x.welfare, regret: x.regret, "ε-Nash": x.regret <= eq.epsilon ? "yes" : "",
    }))),
    `ε-Nash equilibria: ${eq.nash.length === 0 ? "none" : eq.nash.map((x) => `${label(x.names)} (regret ${num(x.regret)})`).join("; ")}`,
    `best-response dynamics from ${label(br.start)}: ${br.steps.length === 0 ? "no player gains more than ε" : br.steps.map((s) => `${s.player} ${s.from}→${s.to} (+${num(s.gain)})`).join(", ")}; ` +
      (br.converged ? `converged at ${label(br.end)}` : br.cycle ? `cycles through ${br.cycle.map(label).join(" → ")}` : `stopped at ${label(br.end)} without converging`),
    `welfare optimum: ${label(a.optimum.profile)} (${num(a.optimum.welfare)}); price of anarchy ${num(a.priceOfAnarchy, 3)}` +
      `${a.worstEquilibrium ? ` (worst equilibrium ${label(a.worstEquilibrium.profile)}, ${num(a.worstEquilibrium.welfare)})` : " (no equilibrium)"}; price of stability ${num(a.priceOfStability, 3)}`,
  ];
}
