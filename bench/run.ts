/**
 * `npm run bench [-- --json] [-- --paper]`: the engine's speed, printed beside a baseline
 * measured in the same run. Figures, never assertions.
 *
 * - hopsPerSecPerCore: batch-hops per second of the whole round engine in one thread on a
 *   congested 550-AS scenario (a batch-hop is one flow's packets of one round crossing one link:
 *   tolls, congestion drops, capacity, accounting);
 * - bareLoopHopsPerSec: the same batch-hops (same paths, same packet counts) through a bare
 *   typed-array loop with capacity only: no tolls, strategies or accounting;
 * - speedup2Workers: engine throughput with the flows sharded across 2 piscina workers over 1;
 *   beside it bareLoopSpeedup2Threads, the bare loop sharded the same way (bench/bare-shards.ts);
 * - the sweep figures of bench/sweep.ts (sweep overhead per point, 2 jobs against 1, store rows/s);
 * - peakRssMiB; with --paper, table1PaperScaleWallSec and table1PaperScalePeakRssMiB:
 *   `reproduce table1 --scale paper --load 1` end to end, in a process of its own.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseScenario, type LoadedScenario } from "../src/scenario/load.js";
import { runScenario } from "../src/scenario/run.js";
import type { ScenarioInput } from "../src/scenario/schema.js";
import { createRng } from "../src/engine/random.js";
import { serialHopRunner } from "../src/engine/local-shards.js";
import type { SimulationObserver } from "../src/engine/simulation.js";
import type { HopRunner } from "../src/engine/types.js";
import { ShardedFlows } from "../src/parallel/supervisor.js";
import { formatTable } from "../src/report/table.js";
import { bareLoopSharded, type BareLeg } from "./bare-shards.js";
import { printSweepBench, sweepBench } from "./sweep.js";
import { engineSecurityBench, paymentsBench, securityBench } from "./security.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const args = new Set(process.argv.slice(2));
/** Rounds run before timing starts: JIT (in every worker), path tables, worker start. */
const WARM_UP = 3;
const TIMED_ROUNDS = 10;
const TIMED_SECONDS = 3;

/**
 * Flows in the bench scenario (BENCH_FLOWS overrides). Link capacity grows with the flows, so
 * the network is as congested at any size; at 100,000 flows a round is big enough that the
 * coordinator's fixed work per round (ISP decisions, ledger: about 3 ms) does not hide how the
 * flow work scales (docs/performance.md gives the figures at 20,000 too).
 */
const DEFAULT_FLOWS = 100_000;

function benchScenario(flows: number): ScenarioInput {
  const rng = createRng(2024);
  return {
    name: "bench-550", seed: 3, rounds: 1000, scheduling: "payment",
    // Capacity grows with the flows, so each link's load stays the same.
    topology: { kind: "generated", nodes: 550, hosts: 400, capacityBps: 2e8 * (flows / 20_000) },
    isps: { default: { strategy: "honest-congestion", params: { unitsPerOverload: 10 } }, byNode: {} },
    flows: Array.from({ length: flows }, () => {
      const from = 1 + rng.int(400);
      const to = 1 + ((from + rng.int(399)) % 400);
      return { from: `H${from}`, to: `H${to}`, strategy: "fixed-payment", params: { payment: 15 }, packetsPerRound: 100 + rng.int(900), packetBytes: 1500 };
    }),
  };
}


/** Wraps the serial hop runner to time the hop passes and keep the legs for the bare-loop baseline. */
function timed(legs: BareLeg[] | null) {
  const timing = { hopSeconds: 0 };
  const runner: HopRunner = {
    runLeg(links, batches, totals, pool, base, byPayment, longest) {
      // The first timed rounds' legs are a fair sample for the bare loop (and keep memory flat).
      if (legs && legs.length < 2 * TIMED_ROUNDS) legs.push({ paths: pool.slice(), starts: batches.pathStart.slice(0, batches.count), lengths: batches.pathLength.slice(0, batches.count), packets: batches.packets.slice(0, batches.count), bits: batches.bitsPerPacket.slice(0, batches.count) });
      const t = performance.now();
      serialHopRunner.runLeg(links, batches, totals, pool, base, byPayment, longest);
      timing.hopSeconds += (performance.now() - t) / 1000;
    },
  };
  return { runner, timing };
}

/**
 * Rounds timed after the warm-up: at least TIMED_ROUNDS, and enough for about TIMED_SECONDS in
 * one thread (a round costs about 1.2 µs per flow there), so that this machine's other work does
 * not decide the figures.
 */
function timedRounds(flows: number): number {
  return Math.max(TIMED_ROUNDS, Math.ceil(TIMED_SECONDS / (1.2e-6 * flows)));
}

/**
 * Runs the bench scenario through `runScenario`, in-thread (legs captured for the bare loop) or
 * with its flows sharded across the workers of `sharded`, and times the rounds after the warm-up.
 */
async function engineRun(loaded: LoadedScenario, rounds: number, sharded: ShardedFlows | null, legs: BareLeg[] | null = null) {
  const { runner, timing } = timed(legs);
  type Mark = { t: number; cpu: number; work: { batchHops: number; packetHops: number }; hopSeconds: number };
  let start: Mark | null = null;
  let last: Mark | null = null;
  const clock: SimulationObserver = {
    onRound: (_report, simulation) => {
      const usage = process.cpuUsage();
      const now: Mark = { t: performance.now(), cpu: (usage.user + usage.system) / 1e6, work: { ...simulation.work }, hopSeconds: sharded ? sharded.hopSeconds : timing.hopSeconds };
      if (simulation.round + 1 === WARM_UP) {
        start = now;
        if (legs) legs.length = 0;
      }
      last = now;
    },
  };
  const { built } = await runScenario(loaded, {
    rounds: WARM_UP + rounds, observers: [clock],
    simulation: sharded ? { flowShards: sharded.factory } : { hopRunner: runner },
  });
  const from = start as Mark | null;
  const to = last as Mark | null;
  if (!from || !to) throw new Error("bench: the run ended before its warm-up did");
  return {
    seconds: (to.t - from.t) / 1000, cpuSeconds: to.cpu - from.cpu, rounds, hopSeconds: to.hopSeconds - from.hopSeconds,
    linkCount: built.topology.linkCount, capacity: built.topology.linkCapacityBps,
    batchHops: to.work.batchHops - from.work.batchHops, packetHops: to.work.packetHops - from.work.packetHops,
  };
}

/** The same batch-hops with nothing but capacity: offered load per link, admission, carry. */
function bareLoop(legs: BareLeg[], linkCount: number, capacityBits: Float64Array): { seconds: number; batchHops: number } {
  const offered = new Float64Array(linkCount);
  const carried = new Float64Array(linkCount);
  const share = new Float64Array(linkCount);
  let batchHops = 0;
  const t = performance.now();
  for (let round = 0; round < 1; round++) {
    carried.fill(0);
    for (const leg of legs) {
      const packets = leg.packets.slice();
      let maxHops = 0;
      for (let i = 0; i < leg.lengths.length; i++) if (leg.lengths[i]! > maxHops) maxHops = leg.lengths[i]!;
      for (let hop = 0; hop < maxHops; hop++) {
        for (let i = 0; i < packets.length; i++) {
          if (hop >= leg.lengths[i]!) continue;
          offered[leg.paths[leg.starts[i]! + hop]!]! += packets[i]! * leg.bits[i]!;
        }
        for (let l = 0; l < linkCount; l++) {
          const free = Math.max(0, capacityBits[l]! - carried[l]!);
          share[l] = offered[l]! > free ? free / offered[l]! : 1;
          offered[l] = 0;
        }
        for (let i = 0; i < packets.length; i++) {
          if (hop >= leg.lengths[i]!) continue;
          const link = leg.paths[leg.starts[i]! + hop]!;
          const n = Math.floor(packets[i]! * share[link]!);
          packets[i] = n;
          carried[link]! += n * leg.bits[i]!;
          batchHops++;
        }
      }
    }
  }
  return { seconds: (performance.now() - t) / 1000, batchHops };
}

async function main(): Promise<void> {
  const flows = Number(process.env.BENCH_FLOWS ?? DEFAULT_FLOWS);
  const loaded = parseScenario(benchScenario(flows));
  const rounds = timedRounds(flows);
  const legs: BareLeg[] = [];
  const serial = await engineRun(loaded, rounds, null, legs);
  const capacityBits = Float64Array.from(serial.capacity, (bps) => bps * 1);
  // Repeat the bare loop over the captured legs until it has run as long as a fair sample.
  let bare = { seconds: 0, batchHops: 0 };
  while (bare.seconds < 1) {
    const once = bareLoop(legs, serial.linkCount, capacityBits);
    bare = { seconds: bare.seconds + once.seconds, batchHops: bare.batchHops + once.batchHops };
  }
  // The machine's own figure for speedup2Workers: the bare loop sharded as the engine is, on 1
  // and on 2 threads (order 1, 2, 2, 1, so a drift in this machine's other load cancels).
  // As many passes over the legs as the bare loop made above (about a second in one thread).
  const hopsPerPass = legsHops(legs);
  const passes = Math.max(1, Math.round(bare.batchHops / hopsPerPass));
  const sharded = { 1: 0, 2: 0 };
  for (const threads of [1, 2, 2, 1] as const) {
    const run = await bareLoopSharded(legs, serial.linkCount, capacityBits, threads, passes);
    if (run.batchHops !== passes * hopsPerPass) throw new Error(`bench: the sharded bare loop made ${run.batchHops} batch-hops, not ${passes * hopsPerPass}`);
    sharded[threads] += run.seconds;
  }
  const results: Record<string, number> = {};
  for (const workers of [1, 2]) {
    const runner = new ShardedFlows({ workers });
    try {
      const run = await engineRun(loaded, rounds, runner);
      results[`workers${workers}`] = run.batchHops / run.seconds;
      results[`workers${workers}Hops`] = run.batchHops / run.hopSeconds;
    } finally {
      await runner.close();
    }
  }
  // Opt-in: the paper-scale table takes tens of minutes (see docs/performance.md).
  const paper = args.has("--paper") ? paperScaleTable1() : null;
  const figures = {
    hopsPerSecPerCore: Math.round(serial.batchHops / serial.seconds),
    // The same per CPU second of this process: less at the mercy of other work on the machine.
    hopsPerCpuSecond: Math.round(serial.batchHops / serial.cpuSeconds),
    bareLoopHopsPerSec: Math.round(bare.batchHops / bare.seconds),
    ratioToBareLoop: round3(serial.batchHops / serial.seconds / (bare.batchHops / bare.seconds)),
    speedup2Workers: round3(results.workers2! / results.workers1!),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    table1PaperScaleWallSec: paper ? Math.round(paper.wallSec * 10) / 10 : null,
    table1PaperScalePeakRssMiB: paper?.peakRssMiB ?? null,
    // Context for the figures above.
    packetHopsPerSecPerCore: Math.round(serial.packetHops / serial.seconds),
    hopPassShareOfRound: round3(serial.hopSeconds / serial.seconds),
    hopPassSpeedup2Workers: round3(results.workers2Hops! / results.workers1Hops!),
    // The bare loop sharded across 2 threads over 1 (bench/bare-shards.ts): what this machine's
    // memory gives a loop that does nothing but the engine's per-hop work and barriers.
    bareLoopSpeedup2Threads: round3(sharded[1] / sharded[2]),
    batchHopsPerRound: Math.round(serial.batchHops / serial.rounds),
  };
  const sweep = await sweepBench();
  const security = securityBench();
  const payments = await paymentsBench();
  const engineSecurity = await engineSecurityBench();
  if (args.has("--json")) {
    process.stdout.write(JSON.stringify({ ...figures, sweep, security, payments, engineSecurity }, null, 2) + "\n");
    return;
  }
  process.stdout.write(formatTable(Object.entries(figures).map(([figure, value]) => ({ figure, value: value ?? "n/a" }))) + "\n");
  printSweepBench(sweep, false);
  process.stdout.write(formatTable(Object.entries(security).map(([figure, value]) => ({ figure, value }))) + "\n");
  process.stdout.write(formatTable(Object.entries(payments).map(([figure, value]) => ({ figure, value }))) + "\n");
  process.stdout.write(formatTable(engineSecurity.map((arm) => ({ ...arm }))) + "\n");
  if (!existsSync(ROOT + "../shared/data/jp-as-rel.txt")) process.stdout.write("(no ../shared/data: table1 ran on the generated topology)\n");
}

/** Runs bench/paper-table1 in a process of its own: its wall time and peak memory, or null if it failed. */
function paperScaleTable1(): { wallSec: number; peakRssMiB: number } | null {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL("./paper-table1.js", import.meta.url))], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (run.status !== 0) return null;
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as { wallSec: number; peakRssMiB: number };
}

/** Batch-hops of one pass of the bare loop over `legs`. */
function legsHops(legs: readonly BareLeg[]): number {
  let hops = 0;
  for (const leg of legs) for (let i = 0; i < leg.lengths.length; i++) hops += leg.lengths[i]!;
  return hops;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main();
