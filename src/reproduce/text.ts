/**
 * The plain-text reports of `tollway reproduce`: our Table I beside the paper's, the claims with
 * their numbers, and the α sweep.
 */
import { formatTable } from "../report/table.js";
import type { FrontierResult } from "./alpha-frontier.js";
import { millions, PAPER_TABLE1, signedPct } from "./claims.js";
import type { PolicyOutcome, Table1Result } from "./table1.js";

const n = (value: number): string => value.toLocaleString("en-US");

/** The lines that say what was run: scale, topology, traffic, seed. */
export function describeRun(result: Pick<Table1Result, "scale" | "seed" | "load" | "topologyFile">, sample: PolicyOutcome): string {
  const { scale } = result;
  const capacity = 500 * scale.factor;
  const topology = result.topologyFile ?? "built-in generator";
  return [
    `scale ${scale.name}: ${scale.factor === 1 ? "the paper's" : `1/${Math.round(1 / scale.factor)} of the paper's`} link capacity and arrival rate, ` +
      `${scale.rounds} s simulated, 1 s rounds, ${scale.packetBits / 1e6} Mbit per packet; seed ${result.seed}`,
    `topology: ${topology} — ${n(sample.nodes)} ASes, ${n(sample.directedLinks / 2)} links (${n(sample.directedLinks)} directed), ` +
      `${capacity >= 1 ? `${capacity} Gbps` : `${capacity * 1000} Mbps`} each`,
    `traffic: ${Math.round(sample.ratePerSec).toLocaleString("en-US")} flows/s (load ${Number(result.load.toPrecision(4))} × the paper's 4.26 M/s` +
      `${scale.factor === 1 ? "" : ` × 1/${Math.round(1 / scale.factor)}`}), uniform ASes, lognormal durations and rates; ` +
      `users take the cheapest offered path and switch only with > 2 s left`,
  ].join("\n");
}

/** Our Table I beside the paper's, then the claims. */
export function formatTable1(result: Table1Result): string {
  const { outcomes } = result;
  const stat = outcomes.find((o) => o.alpha === null)!;
  const paperOf = (policy: string) => PAPER_TABLE1.find((p) => p.policy === policy);
  const paperStatic = paperOf("static")!;
  type Metric = { name: string; ours: (o: PolicyOutcome) => string; paper: (p: (typeof PAPER_TABLE1)[number]) => string };
  const metrics: Metric[] = [
    { name: "avg flow bandwidth (Mbps)", ours: (o) => o.avgBandwidthMbps.toFixed(2), paper: (p) => p.avgBandwidthMbps.toFixed(1) },
    { name: "price per bandwidth unit (PU)", ours: (o) => o.unitPrice.toFixed(2), paper: (p) => String(p.unitPrice) },
    { name: "ISPs' revenue, Eq. 2", ours: (o) => millions(o.revenue), paper: (p) => `${p.revenueMillions.toLocaleString("en-US")} M` },
    { name: "revenue vs static", ours: (o) => (o === stat ? "—" : signedPct(o.revenue, stat.revenue)), paper: (p) => (p === paperStatic ? "—" : signedPct(p.revenueMillions, paperStatic.revenueMillions)) },
    { name: "links with peak ≤ 50%", ours: (o) => `${o.linksUnder50Pct.toFixed(1)}%`, paper: (p) => `${p.linksUnder50Pct}%` },
    { name: "users never switched", ours: (o) => `${o.usersNeverSwitched.toFixed(2)}%`, paper: (p) => (p.usersNeverSwitched === null ? "—" : `≈${p.usersNeverSwitched}%`) },
    { name: "users' utility, Eq. 1", ours: (o) => millions(o.userUtility), paper: () => "—" },
    { name: "demand delivered", ours: (o) => `${o.deliveredPct.toFixed(1)}%`, paper: () => "—" },
  ];
  const rows = metrics.map((m) => {
    const row: Record<string, string> = { metric: m.name };
    for (const o of outcomes) {
      row[o.policy] = m.ours(o);
      const p = paperOf(o.policy);
      row[`${o.policy} paper`] = p ? m.paper(p) : "";
    }
    return row;
  });
  const columns = [
    { key: "metric", title: "", align: "left" as const },
    ...outcomes.flatMap((o) => [
      { key: o.policy, title: o.policy, align: "right" as const },
      { key: `${o.policy} paper`, title: "(paper)", align: "right" as const },
    ]),
  ];
  const holding = result.claims.filter((c) => c.holds).length;
  return [
    "Table I of the pricing paper, reproduced: ours beside the paper's (in parentheses)",
    describeRun(result, stat),
    "",
    formatTable(rows, columns),
    "",
    ...(result.probe !== null
      ? [`probe at ${result.probe.policy} (none of the table's alphas beat static on both): bandwidth ${result.probe.avgBandwidthMbps.toFixed(2)} Mbps, ` +
        `unit price ${result.probe.unitPrice.toFixed(2)} PU (${signedPct(result.probe.unitPrice, stat.unitPrice)}), revenue ${millions(result.probe.revenue)} (${signedPct(result.probe.revenue, stat.revenue)})`, ""]
      : []),
    `Claims (shared/papers/README.md): ${holding} of ${result.claims.length} hold`,
    ...result.claims.map((c) => `  ${c.holds ? "holds" : "FAILS"}  ${c.id}: ${c.statement}\n         ${c.detail}`),
    "",
  ].join("\n");
}

/** The α sweep as a table, and the mutually beneficial range. */
export function formatFrontier(result: FrontierResult, meta: Pick<Table1Result, "scale" | "seed" | "load" | "topologyFile">): string {
  const rows = result.points.map((p) => ({
    alpha: p.alpha,
    "bandwidth (Mbps)": p.avgBandwidthMbps.toFixed(2),
    "unit price (PU)": p.unitPrice.toFixed(2),
    "price vs static": signedPct(p.unitPrice, result.static.unitPrice),
    "revenue vs static": signedPct(p.revenue, result.static.revenue),
    "both better": p.mutuallyBeneficial ? "yes" : "",
  }));
  const ranges = result.beneficial.map(([a, b]) => (a === b ? `alpha = ${a}` : `alpha from ${a} to ${b}`));
  const step = result.points.length > 1 ? result.points[1]!.alpha - result.points[0]!.alpha : 0;
  return [
    "Where dynamic pricing is mutually beneficial: ISPs earn more than static AND users pay less per bandwidth unit",
    describeRun(meta, result.static),
    `static: bandwidth ${result.static.avgBandwidthMbps.toFixed(2)} Mbps, unit price ${result.static.unitPrice.toFixed(2)} PU, revenue ${millions(result.static.revenue)}`,
    "",
    formatTable(rows),
    "",
    ranges.length > 0
      ? `mutually beneficial: ${ranges.join("; ")} (of the values swept${step > 0 ? `, every ${Number(step.toFixed(6))}` : ""})`
      : "mutually beneficial: no swept alpha",
    "",
  ].join("\n");
}
