/**
 * The memory probe of the paper-scale Table I: `reproduce table1 --scale paper --load 1` cut to a
 * few rounds and one or two policies (a minute or two, not the full run's ~25 min), in a process
 * of its own. Per round on stderr, one JSON line on stdout: live rows and row capacity of each
 * shard's flow table, the process's RSS (worker threads included), the coordinator's heap and
 * array-buffer bytes, and the peak RSS of the process at the end.
 *
 * `node dist/bench/paper-probe.js [--rounds 6] [--policies static,alpha=4] [--workers 2] [--topology FILE]
 * [--load 1|calibrated] [--congestion-scale 1|calibrated]`
 * (default topology: `defaultTopologyFile()`, the JP graph beside the repository; a build of
 * another commit in another folder names it with `--topology`).
 */
import { performance } from "node:perf_hooks";
import type { SimulationObserver } from "../src/engine/simulation.js";
import { defaultTopologyFile, policyName, runPolicies, SCALES, type Policy } from "../src/reproduce/table1.js";
import { loadOf, withCongestionScale } from "../src/cli/reproduce.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : fallback;
};
const rounds = Number(option("--rounds", "6"));
const workers = Number(option("--workers", "2"));
const load = loadOf(option("--load", "1"));
const policies = option("--policies", "static,alpha=4").split(",").map((name): Policy =>
  name === "static" ? { kind: "static" } : { kind: "dynamic", alpha: Number(name.replace(/^alpha=/, "")) });

const MIB = 2 ** 20;
interface RoundSample { policy: string; round: number; liveRows: number[]; capacityRows: number[]; rssMiB: number; heapUsedMiB: number; arrayBuffersMiB: number; sec: number }
const samples: RoundSample[] = [];
const started = performance.now();
let policyIndex = -1;
// Live rows are read from each shard's table as the coordinator maps it (valid during onRound).
const rows: SimulationObserver = {
  onRound: (report, simulation) => {
    if (report.round === 0) policyIndex++;
    const tables = simulation.flowTables();
    const memory = process.memoryUsage();
    const sample: RoundSample = {
      policy: policyName(policies[policyIndex]!), round: report.round,
      liveRows: tables.map((t) => t.count), capacityRows: tables.map((t) => t.columns.uid.length),
      rssMiB: Math.round(memory.rss / MIB), heapUsedMiB: Math.round(memory.heapUsed / MIB), arrayBuffersMiB: Math.round(memory.arrayBuffers / MIB),
      sec: Math.round((performance.now() - started) / 100) / 10,
    };
    samples.push(sample);
    process.stderr.write(`${JSON.stringify(sample)}\n`);
  },
};
const topologyFile = args.includes("--topology") ? option("--topology", "") : defaultTopologyFile();
const run = withCongestionScale({
  scale: { ...SCALES.paper, name: "paper-probe", rounds }, seed: 1, load, workers,
  ...(topologyFile !== undefined ? { topologyFile } : {}),
  observers: [rows],
}, args.includes("--congestion-scale") ? option("--congestion-scale", "") : undefined);
const outcomes = await runPolicies(policies, run);
process.stdout.write(JSON.stringify({
  wallSec: Math.round((performance.now() - started) / 100) / 10,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  policies: policies.map(policyName), rounds, workers, load, congestionScale: run.variant?.congestionScale ?? 1,
  outcomes: outcomes.map((o) => ({ policy: o.policy, avgBandwidthMbps: o.avgBandwidthMbps, unitPrice: o.unitPrice, revenue: o.revenue, flows: o.flows })),
  samples,
}) + "\n");
