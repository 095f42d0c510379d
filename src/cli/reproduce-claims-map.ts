/**
 * `tollway reproduce claims-map`: load × α, where some dynamic policy beats static pricing on
 * both revenue and unit price (src/reproduce/claims-map.ts); writes claims-map.csv and .svg.
 */
import type { Command } from "commander";
import { PAPER_PRICING } from "../mechanisms/pricing/price.js";
import { claimsMap, CLAIMS_MAP_OUTPUT_NAMES, writeClaimsMap } from "../reproduce/claims-map.js";
import { formatTable } from "../report/table.js";
import { prepareOutputDir } from "../report/outputs.js";
import { DEFAULT_LOAD } from "../reproduce/table1.js";
import { TollwayError } from "../errors.js";
import { interruptSignal, progressBar } from "./options.js";
import { common, number, reproductionOptions, withCongestionScale, type CommonOptions } from "./reproduce.js";

export function registerReproduceClaimsMap(reproduce: Command): void {
  common(reproduce.command("claims-map"), "results/claims-map")
    .description("load × alpha: where dynamic pricing beats static on revenue, on unit price, on both (CSV + SVG)")
    .option("--loads <list>", "loads relative to the paper's 4.26 M flows/s, comma-separated (default: 0.5, 1, 2 × --load)")
    .option("--alphas <list>", "alphas, comma-separated", "2,4,6,8")
    .option("--congestion-scale <pu>", "scale c of dynamic pricing's congestion price F(u), PU (default 1; \"calibrated\": the fitted value)")
    .action(async (options: CommonOptions & { loads?: string; alphas: string; congestionScale?: string }) => {
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
      const out = await prepareOutputDir(options.out, { command: "reproduce claims-map", replaces: CLAIMS_MAP_OUTPUT_NAMES });
      const bar = options.json ? null : progressBar("claims-map", loads.length * (alphas.length + 1));
      const { onProgress: _perRound, ...perPolicy } = run;
      const map = await claimsMap(loads, alphas, { ...perPolicy, signal: interruptSignal(), onProgress: (done) => bar?.update(done) });
      bar?.stop();
      const written = await writeClaimsMap(out, map);
      if (options.json) {
        process.stdout.write(JSON.stringify({ cells: map.cells, bothBetter: map.bothBetter }) + "\n");
        return;
      }
      const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}%`;
      process.stdout.write([
        "Where dynamic pricing beats static (revenue higher AND unit price lower), by load and alpha",
        formatTable(map.cells.map((c) => ({
          load: Number(c.load.toPrecision(4)), alpha: c.alpha, "revenue vs static": pct(c.revenueVsStaticPct), "price vs static": pct(c.priceVsStaticPct),
          "links ≤50% s/d": `${c.staticLinksUnder50Pct.toFixed(1)}/${c.linksUnder50Pct.toFixed(1)}%`, region: c.region,
        }))),
        ...map.bothBetter.map((b) => `load ${Number(b.load.toPrecision(4))}: ${b.alphas.length > 0 ? `both better at alpha ${b.alphas.join(", ")}` : "no alpha of the grid is better on both"}`),
        `data and chart: ${written.join(", ")}`,
        "",
      ].join("\n"));
    });
}
