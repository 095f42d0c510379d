/**
 * Figures 4, 5 and 6 of the pricing paper as tidy rows (written as CSV) and as SVG charts:
 * price against utilization (static and dynamic), the CDF of each link's peak utilization, and
 * the histogram of path switches per user.
 */
import { createHash } from "node:crypto";
import type { TopLevelSpec } from "vega-lite";
import { dynamicPrice } from "../mechanisms/pricing/price.js";
import { writeOutputs, type OutputRun } from "../report/outputs.js";
import { runProvenance, studyProvenance, type Provenance, type StudyProvenanceColumns } from "../report/provenance.js";
import { cdfChart, histogramChart, lineChart } from "../report/specs.js";
import { figure5PaperPoints, withPaperPoints } from "./paper-marks.js";
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
 * Provenance of the reproduction's rows: each policy's row carries its own scenario and hash;
 * the study as a whole is named `reproduce-<name>` with a hash over the policies' hashes.
 */
export function reproductionProvenance(name: string, outcomes: readonly PolicyOutcome[]): {
  provenance: StudyProvenanceColumns;
  rowProvenance: (row: Readonly<Record<string, unknown>>) => Provenance;
} {
  const byPolicy = new Map(outcomes.map((o) => [o.policy, runProvenance({ scenario: o.scenario, scenarioHash: o.scenarioHash, seed: o.seed })]));
  const hash = createHash("sha256").update(outcomes.map((o) => o.scenarioHash).join(",")).digest("hex").slice(0, 16);
  const provenance = studyProvenance({ scenario: `reproduce-${name}`, scenarioHash: hash, baseSeed: outcomes[0]?.seed ?? 0, reps: 1 });
  return { provenance, rowProvenance: (row) => byPolicy.get(String(row.policy)) ?? provenance };
}

/** The names {@link writeTable1Figures} writes, for `prepareOutputDir`. */
export const TABLE1_OUTPUT_NAMES: readonly (string | RegExp)[] = [
  "table1.csv", "figure4-price-vs-utilization.csv", "figure4-price-vs-utilization.svg", "figure5-peak-utilization.csv",
  "figure5-peak-utilization-cdf.svg", "figure6-path-switches.csv", /^figure6-path-switches-alpha-[0-9.]+\.svg$/,
];

/**
 * Figures 4, 5 and 6 as Vega-Lite specs, by file name (without `.svg`): the price curves, the
 * CDF of peak link utilization, and one path-switch histogram per dynamic policy. `tollway
 * reproduce table1 --out` writes them ({@link writeTable1Figures}); a notebook shows them.
 *
 * @example
 * Object.keys(table1Charts(result.outcomes)); // ["figure4-price-vs-utilization", "figure5-peak-utilization-cdf", "figure6-path-switches-alpha-2", …]
 */
export function table1Charts(outcomes: readonly PolicyOutcome[]): Record<string, TopLevelSpec> {
  const alphas = outcomes.flatMap((o) => (o.alpha === null ? [] : [o.alpha]));
  const switches = figure6Rows(outcomes);
  const charts: Record<string, TopLevelSpec> = {
    "figure4-price-vs-utilization": lineChart({
      rows: figure4Rows(alphas), x: "utilization", y: "price", color: "policy", colorTitle: "Pricing",
      title: "Fig. 4: link price against utilization (P_static = 12.5 PU)", xTitle: "Link utilization", yTitle: "Price (PU per Mbit)",
    }),
    "figure5-peak-utilization-cdf": withPaperPoints(cdfChart({
      values: Object.fromEntries(outcomes.map((o) => [o.policy, Array.from(o.peaks)])),
      title: "Fig. 5: peak utilization of each link over the run (◆ the paper's shares at 50%)", xTitle: "Peak link utilization", seriesTitle: "Pricing",
    }), figure5PaperPoints()),
  };
  for (const o of outcomes) {
    if (o.alpha === null) continue;
    charts[`figure6-path-switches-alpha-${o.alpha}`] = histogramChart({
      rows: switches.filter((r) => r.policy === o.policy), x: "switches", count: "users", yScale: "symlog", labels: true,
      title: `Fig. 6: path switches per user, ${o.policy} (${o.usersNeverSwitched.toFixed(1)}% never switch; paper ≈90%)`,
      xTitle: "Path switches during the flow", yTitle: "Users (log scale)",
    });
  }
  return charts;
}

/**
 * Writes table1.csv, figure4/5/6 CSVs and SVG charts under `target` (a folder opened with
 * `prepareOutputDir`, or a folder name), with the manifest last.
 *
 * @returns the paths written.
 */
export async function writeTable1Figures(target: OutputRun | string, outcomes: readonly PolicyOutcome[]): Promise<string[]> {
  const alphas = outcomes.flatMap((o) => (o.alpha === null ? [] : [o.alpha]));
  const prices = figure4Rows(alphas);
  const switches = figure6Rows(outcomes);
  const charts = table1Charts(outcomes);
  return writeOutputs(target, {
    ...reproductionProvenance("table1", outcomes),
    csv: {
      table1: table1CsvRows(outcomes),
      "figure4-price-vs-utilization": prices,
      "figure5-peak-utilization": figure5Rows(outcomes),
      "figure6-path-switches": switches,
    },
    charts,
  });
}
