/**
 * `tollway reproduce claims-map`: load × α, where some dynamic policy beats static pricing on
 * both revenue and unit price (src/reproduce/claims-map.ts), over `--seeds` with 95% CIs and a
 * verdict per cell; one sweep (`--store` to resume, `--jobs` to run policies at once); writes
 * claims-map.csv and .svg.
 */
import type { Command } from "commander";
import { PAPER_PRICING } from "../mechanisms/pricing/price.js";
import { claimsMap, CLAIMS_MAP_OUTPUT_NAMES, writeClaimsMap, type ClaimsMapCell } from "../reproduce/claims-map.js";
import { formatTable } from "../report/table.js";
import { prepareOutputDir } from "../report/outputs.js";
import { DEFAULT_LOAD } from "../reproduce/table1.js";
import { TollwayError } from "../errors.js";
import { interruptSignal, lazyProgress } from "./options.js";
import { addStudyBackendOptions, studyBackend, type StudyBackendFlags } from "./study-slurm.js";
import { common, number, reproductionOptions, seedList, sweepOptions, withCongestionScale, type CommonOptions } from "./reproduce.js";

export function registerReproduceClaimsMap(reproduce: Command): void {
  addStudyBackendOptions(sweepOptions(common(reproduce.command("claims-map"), "results/claims-map"))
    .description("load × alpha: where dynamic pricing beats static on revenue, on unit price, on both, over seeds with 95% CIs (CSV + SVG)")
    .option("--loads <list>", "loads relative to the paper's 4.26 M flows/s, comma-separated (default: 0.5, 1, 2 × --load)")
    .option("--alphas <list>", "alphas, comma-separated", "2,4,6,8")
    .option("--seeds <list>", "seeds, comma-separated (e.g. 1,2,3): each cell's mean ± 95% CI, and \"both better\" only beyond the seed-to-seed spread (default: --seed)"))
    .action(async (options: CommonOptions & StudyBackendFlags & { loads?: string; alphas: string; seeds?: string; jobs?: number }) => {
      const run = withCongestionScale(reproductionOptions(options), options.congestionScale);
      const reference = run.load ?? DEFAULT_LOAD;
      const loads = options.loads !== undefined
        ? options.loads.split(",").map((t) => number(t, "--loads"))
        : [0.5, 1, 2].map((f) => Number((f * reference).toPrecision(6)));
      if (loads.some((l) => !(l > 0))) throw new TollwayError(`every load must be > 0 (got "${options.loads}")`, { field: "--loads" });
      const alphas = options.alphas.split(",").map((t) => number(t, "--alphas"));
      const [lowest] = PAPER_PRICING.staticRange;
      // The bounds of alpha-frontier: B = P_static − α ≥ 0 on every link.
      if (alphas.some((a) => !(a >= 0 && a <= lowest))) throw new TollwayError(`every alpha must be from 0 to ${lowest}, the lowest static link price (got "${options.alphas}")`, { field: "--alphas" });
      const seeds = options.seeds !== undefined ? seedList(options.seeds) : undefined;
      const open = () => prepareOutputDir(options.out, { command: "reproduce claims-map", replaces: CLAIMS_MAP_OUTPUT_NAMES });
      let out: Awaited<ReturnType<typeof open>> | undefined;
      const progress = lazyProgress("claims-map", "policies", !options.json);
      const map = await claimsMap(loads, alphas, {
        ...run, seeds, store: options.store, jobs: options.jobs ?? 1, backend: studyBackend(options), signal: interruptSignal(), onProgress: progress.onProgress, beforeRun: async () => void (out = await open()),
      });
      progress.stop();
      const written = await writeClaimsMap(out ?? (await open()), map);
      if (options.json) {
        process.stdout.write(JSON.stringify({ seeds: map.seeds, cells: map.cells, bothBetter: map.bothBetter }) + "\n");
        return;
      }
      const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}%`;
      const ci = (x: number | null) => (x === null ? "" : ` ± ${x.toFixed(1)}`);
      const several = map.seeds.length > 1;
      process.stdout.write([
        `Where dynamic pricing beats static (revenue higher AND unit price lower), by load and alpha${several ? `: mean ± 95% CI over seeds ${map.seeds.join(",")}; "both better" only when min(revenue gain, price cut) exceeds its seed-to-seed sd` : ""}`,
        formatTable(map.cells.map((c: ClaimsMapCell) => ({
          load: Number(c.load.toPrecision(4)), alpha: c.alpha, "revenue vs static": pct(c.revenueVsStaticPct) + ci(c.revenueCi95), "price vs static": pct(c.priceVsStaticPct) + ci(c.priceCi95),
          ...(several ? { "both margin (sd)": `${pct(c.bothMargin)} (${c.bothMarginSd.toFixed(2)})` } : {}),
          "links ≤50% s/d": `${c.staticLinksUnder50Pct.toFixed(1)}/${c.linksUnder50Pct.toFixed(1)}%`, region: c.region,
        }))),
        ...map.bothBetter.map((b) => `load ${Number(b.load.toPrecision(4))}: ${b.alphas.length > 0 ? `both better at alpha ${b.alphas.join(", ")}` : "no alpha of the grid is better on both"}`),
        `data and chart: ${written.join(", ")}`,
        "",
      ].join("\n"));
    });
}
