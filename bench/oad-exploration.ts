/**
 * `node dist/bench/oad-exploration.js`: packets a campus spends finding the cheapest path with a
 * digital cartographer (Bill-Pay §2.2), each host alone against one campus-wide map, on generated
 * 300-AS graphs (src/analysis/oad-exploration.ts), mean over seeds 1..5. Prints a markdown table.
 */
import { explorationStudy, type ExplorationStudy } from "../src/analysis/oad-exploration.js";

const SEEDS = [1, 2, 3, 4, 5];
const rows = [1, 5, 20, 50].map((campusHosts) => {
  const runs: ExplorationStudy[] = SEEDS.map((seed) => explorationStudy({ campusHosts, seed }));
  const mean = (pick: (s: ExplorationStudy) => number) => runs.reduce((sum, s) => sum + pick(s), 0) / runs.length;
  const pairs = mean((s) => s.pairs);
  return {
    "campus hosts": campusHosts,
    "host-destination pairs": pairs.toFixed(1),
    "distinct destinations": mean((s) => s.destinations).toFixed(1),
    "routes per destination": mean((s) => s.meanRoutes).toFixed(1),
    "packets, each host alone": mean((s) => s.alonePackets).toFixed(1),
    "packets, campus-wide": mean((s) => s.campusPackets).toFixed(1),
    "per pair, alone": (mean((s) => s.alonePackets) / pairs).toFixed(2),
    "per pair, campus": (mean((s) => s.campusPackets) / pairs).toFixed(2),
    "to exhaust, per pair alone": (mean((s) => s.aloneToExhaust) / pairs).toFixed(2),
    "to exhaust, per pair campus": (mean((s) => s.campusToExhaust) / pairs).toFixed(2),
    "found cheapest (alone, campus)": `${(100 * mean((s) => s.aloneFound) / pairs).toFixed(0)}%, ${(100 * mean((s) => s.campusFound) / pairs).toFixed(0)}%`,
  };
});
const keys = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
console.log(`| ${keys.join(" | ")} |\n|${keys.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${keys.map((k) => row[k]).join(" | ")} |`);
