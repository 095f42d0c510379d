/**
 * Figures 4, 5 and 6 of the pricing paper as tidy rows (written as CSV) and as SVG charts:
 * price against utilization (static and dynamic), the CDF of each link's peak utilization, and
 * the histogram of path switches per user.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dynamicPrice } from "../mechanisms/pricing/price.js";
import { cdfChart, histogramChart, lineChart, writeChart } from "../report/charts.js";
import { toCsv } from "../report/table.js";
import type { TopLevelSpec } from "vega-lite";
import type { PolicyOutcome } from "./table1.js";

/** One point of Figure 4. */
export type PriceCurveRow = {
  policy: string;
  /** Link utilization, 0 to 1. */
  utilization: number;
  /** Link price, PU per Mbit. */
  price: number;
};

/**
 * Figure 4: the link price against utilization, static (flat at P_static) and dynamic
 * (B + F(u), B = P_static − α) for each α, sampled every 1% of utilization. P_static is the
 * middle of the paper's 10–15 PU range unless given.
 *
 * @example figure4Rows([4], 12.5).find((r) => r.policy === "alpha=4" && r.utilization === 0.75)!.price // 8.5 + 11.18
 */
export function figure4Rows(alphas: readonly number[], pStatic = 12.5): PriceCurveRow[] {
  const rows: PriceCurveRow[] = [];
  for (let step = 0; step <= 100; step++) {
    const utilization = step / 100;
    rows.push({ policy: "static", utilization, price: pStatic });
    for (const alpha of alphas) rows.push({ policy: `alpha=${alpha}`, utilization, price: dynamicPrice({ utilization, pStatic, alpha }) });
  }
  return rows;
}

/** Figure 5's data: each policy's peak utilization of every directed link. */
export function figure5Rows(outcomes: readonly PolicyOutcome[]): { policy: string; link: number; peakUtilization: number }[] {
  return outcomes.flatMap((o) => Array.from(o.peaks, (peakUtilization, link) => ({ policy: o.policy, link, peakUtilization })));
}

/** Figure 6's data: for each policy, how many users switched paths n times. */
export function figure6Rows(outcomes: readonly PolicyOutcome[]): { policy: string; switches: number; users: number }[] {
  return outcomes.flatMap((o) => o.switchCounts.map((users, switches) => ({ policy: o.policy, switches, users })));
}

/** The Table I rows as CSV-ready records (the JSON fields, without per-link arrays). */
export function table1CsvRows(outcomes: readonly PolicyOutcome[]): Record<string, unknown>[] {
  return outcomes.map((o) => ({
    policy: o.policy, avgBandwidthMbps: o.avgBandwidthMbps, unitPrice: o.unitPrice, revenue: o.revenue,
    linksUnder50Pct: o.linksUnder50Pct, usersNeverSwitched: o.usersNeverSwitched, userUtility: o.userUtility,
    deliveredPct: o.deliveredPct, meanLinkPrice: o.meanLinkPrice, flows: o.flows,
  }));
}

/**
 * Figures 4, 5 and 6 as Vega-Lite specs, by file name (without `.svg`): the price curves, the
 * CDF of peak link utilization, and one path-switch histogram per dynamic policy. `tollway
 * reproduce table1 --out` writes them; a notebook shows them.
 *
 * @example
 * const charts = table1Charts((await reproduceTable1(options)).outcomes);
 * Object.keys(charts); // ["figure4-price-vs-utilization", "figure5-peak-utilization-cdf", "figure6-path-switches-alpha-2", …]
 */
export function table1Charts(outcomes: readonly PolicyOutcome[]): Record<string, TopLevelSpec> {
  const alphas = outcomes.flatMap((o) => (o.alpha === null ? [] : [o.alpha]));
  const charts: Record<string, TopLevelSpec> = {
    "figure4-price-vs-utilization": lineChart({
      rows: figure4Rows(alphas), x: "utilization", y: "price", color: "policy", colorTitle: "Pricing",
      title: "Fig. 4: link price against utilization (P_static = 12.5 PU)", xTitle: "Link utilization", yTitle: "Price (PU per Mbit)",
    }),
    "figure5-peak-utilization-cdf": cdfChart({
      values: Object.fromEntries(outcomes.map((o) => [o.policy, Array.from(o.peaks)])),
      title: "Fig. 5: peak utilization of each link over the run", xTitle: "Peak link utilization", seriesTitle: "Pricing",
    }),
  };
  const switches = figure6Rows(outcomes);
  for (const o of outcomes) {
    if (o.alpha === null) continue;
    charts[`figure6-path-switches-alpha-${o.alpha}`] = histogramChart({
      rows: switches.filter((r) => r.policy === o.policy), x: "switches", count: "users",
      title: `Fig. 6: path switches per user, ${o.policy} (${o.usersNeverSwitched.toFixed(1)}% never switch)`,
      xTitle: "Path switches", yTitle: "Users",
    });
  }
  return charts;
}

/**
 * Writes table1.csv, figure4/5/6 CSVs and the charts of {@link table1Charts} as SVG under `dir`
 * (created when missing).
 *
 * @returns the paths written.
 */
export async function writeTable1Figures(dir: string, outcomes: readonly PolicyOutcome[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const csv = async (name: string, rows: readonly Record<string, unknown>[]): Promise<void> => {
    const path = join(dir, name);
    await writeFile(path, toCsv(rows, { newline: "\n" }));
    written.push(path);
  };
  const alphas = outcomes.flatMap((o) => (o.alpha === null ? [] : [o.alpha]));
  await csv("table1.csv", table1CsvRows(outcomes));
  await csv("figure4-price-vs-utilization.csv", figure4Rows(alphas));
  await csv("figure5-peak-utilization.csv", figure5Rows(outcomes));
  await csv("figure6-path-switches.csv", figure6Rows(outcomes));
  for (const [name, spec] of Object.entries(table1Charts(outcomes))) written.push(...(await writeChart(join(dir, `${name}.svg`), spec)));
  return written;
}
