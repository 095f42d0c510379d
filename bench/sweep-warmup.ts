/**
 * `node dist/bench/sweep-warmup.js [--passes N]`: what a fresh thread pays before its sweep runs
 * reach their warm pace (Linux: reads /proc). The bench's 500 Figure 1 points, run N times (default
 * 12) in this thread after importing the point worker; for the import and each pass of 250 runs
 * it prints the CPU milliseconds of this thread and of the process's other threads (V8's
 * optimizing compiler and garbage collector), in 10 ms ticks. Then `--warm-pool`: 500 runs on the
 * warm main thread against the same runs through 2 worker threads warmed by 8 × 500 runs (batched
 * as `runSweepLocal` sends them, no store), three times: the pace once workers are warm.
 */
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Piscina } from "piscina";
import { threadModule } from "../src/parallel/threads.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** CPU ms of this thread and of all other threads of the process, from /proc (10 ms ticks). */
function threadCpu(): { own: number; others: number } {
  let own = 0;
  let all = 0;
  const ticks = (stat: string): number => {
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  own = ticks(readFileSync("/proc/thread-self/stat", "utf8"));
  for (const task of readdirSync("/proc/self/task")) all += ticks(readFileSync(`/proc/self/task/${task}/stat`, "utf8"));
  return { own, others: all - own };
}

const passes = Number(process.argv[process.argv.indexOf("--passes") + 1] ?? 12) || 12;
let last = threadCpu();
const lap = (): string => {
  const now = threadCpu();
  const out = `${now.own - last.own}/${now.others - last.others}`;
  last = now;
  return out;
};
const { runTasks } = await import("../src/cluster/point-run.js");
const imported = lap();
const { loadScenarioFile } = await import("../src/scenario/load.js");
const { experimentSchema } = await import("../src/scenario/experiment.js");
const { planExperiment } = await import("../src/analysis/sweep-plan.js");
const { adaptiveBatchSize, concurrentBatchRunner } = await import("../src/analysis/points.js");
const loaded = loadScenarioFile(join(ROOT, "scenarios/billpay-figure1.json"));
const spec = experimentSchema.parse({ factors: [{ path: "isps.byNode.Y.params.perPacket", low: 1, high: 500, steps: 500, integer: true }] });
const plan = await planExperiment(loaded, spec, "warmup", "experiment");
const tasks = plan.runs.map((run) => ({ scenario: run.config.scenario, file: plan.baseFile, seed: run.seed, epsilon: plan.spec.epsilon }));
lap();
const rows = [`import ${imported}`];
for (let p = 0; p < passes; p++) {
  await runTasks(tasks.slice(0, 250));
  rows.push(`runs ${p * 250 + 1}-${(p + 1) * 250} ${lap()}`);
}
process.stdout.write(`load ${loadavg()[0].toFixed(1)}; CPU ms, this thread/other threads: ${rows.join(", ")}\n`);

if (process.argv.includes("--warm-pool")) {
  const pool = new Piscina({ ...threadModule(join(ROOT, "dist/src/cluster/point-worker.js")), minThreads: 2, maxThreads: 2 });
  const viaPool = () => concurrentBatchRunner(2, { batchSize: adaptiveBatchSize() }).run(plan.runs, (batch) => pool.run(batch.map((run) => tasks[run.index]!)));
  for (let i = 0; i < 8; i++) await viaPool();
  for (let i = 0; i < 3; i++) {
    const time = async (work: () => Promise<unknown>): Promise<[number, number]> => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await work();
      const used = process.cpuUsage(cpu);
      return [performance.now() - start, (used.user + used.system) / 1000];
    };
    const [mainMs, mainCpu] = await time(() => runTasks(tasks));
    const [poolMs, poolCpu] = await time(viaPool);
    process.stdout.write(`load ${loadavg()[0].toFixed(1)}: warm main thread ${mainMs.toFixed(0)} ms (CPU ${mainCpu.toFixed(0)} ms), 2 warm workers ${poolMs.toFixed(0)} ms (CPU ${poolCpu.toFixed(0)} ms): ${(mainMs / poolMs).toFixed(2)}×\n`);
  }
  await pool.destroy();
}
