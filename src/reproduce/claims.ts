/**
 * The paper's Table I and the claims a reproduction must show (shared/papers/README.md), each
 * checked against our numbers. A claim compares policies run on the same topology, traffic and
 * seed; its `detail` gives the numbers it was decided on, so a failure says by how much.
 */
import type { PolicyOutcome } from "./outcome.js";

/** Table I of the pricing paper, plus the link and switching numbers of sections IV-B and V. */
export const PAPER_TABLE1 = [
  { policy: "static", avgBandwidthMbps: 8.2, unitPrice: 35, revenueMillions: 470_272, linksUnder50Pct: 72, usersNeverSwitched: null },
  { policy: "alpha=2", avgBandwidthMbps: 9.1, unitPrice: 40, revenueMillions: 607_486, linksUnder50Pct: 52, usersNeverSwitched: 90 },
  { policy: "alpha=4", avgBandwidthMbps: 9.1, unitPrice: 34, revenueMillions: 511_232, linksUnder50Pct: 52, usersNeverSwitched: 90 },
  { policy: "alpha=6", avgBandwidthMbps: 9.0, unitPrice: 28, revenueMillions: 420_047, linksUnder50Pct: 52, usersNeverSwitched: 90 },
] as const;

/** One claim and whether our numbers show it. */
export interface ClaimResult {
  /** Stable id, e.g. `dynamic-more-bandwidth`. */
  id: string;
  /** The claim in words. */
  statement: string;
  holds: boolean;
  /** The numbers behind the verdict. */
  detail: string;
}

/** The never-switched share counts as "about 90%" within this many percentage points. */
export const NEVER_SWITCHED_TOLERANCE = 10;

/** More revenue than static pricing and a lower unit price. */
export function beatsStatic(outcome: PolicyOutcome, stat: PolicyOutcome): boolean {
  return outcome.revenue > stat.revenue && outcome.unitPrice < stat.unitPrice;
}

/**
 * The α interval in which dynamic pricing would beat static on both revenue and unit price,
 * estimated by interpolating (and, past the ends, extrapolating) the dynamic outcomes linearly
 * in α: from where the unit price falls below static's to where the revenue does. Null when
 * the estimate is empty or there are fewer than two dynamic outcomes. Revenue and price both
 * fall with α (the other claim), so the interval is where the first crossing precedes the second.
 */
export function mutualWindow(stat: PolicyOutcome, dynamic: readonly PolicyOutcome[]): { from: number; to: number } | null {
  const sorted = [...dynamic].sort((a, b) => a.alpha! - b.alpha!);
  if (sorted.length < 2) return null;
  const crossing = (key: "revenue" | "unitPrice"): number => {
    const target = stat[key];
    let i = 0;
    while (i < sorted.length - 2 && sorted[i + 1]![key] >= target) i++;
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    if (a[key] === b[key]) return a[key] >= target ? Infinity : -Infinity;
    return a.alpha! + ((a[key] - target) * (b.alpha! - a.alpha!)) / (a[key] - b[key]);
  };
  const from = Math.max(0, crossing("unitPrice"));
  const to = crossing("revenue");
  return from < to ? { from, to } : null;
}

/**
 * The α to probe inside `window`: the middle of the part of it below `maxAlpha` (the largest α
 * with B = P_static − α ≥ 0), to two decimals; null when no window or it starts at or past `maxAlpha`.
 */
export function probeAlpha(window: { from: number; to: number } | null, maxAlpha: number): number | null {
  if (window === null || window.from >= maxAlpha) return null;
  return Number(((window.from + Math.min(window.to, maxAlpha)) / 2).toFixed(2));
}

/**
 * Checks the README's claims on the outcomes of one static and several dynamic policies.
 * `probe`, when given, is a dynamic run at an α inside `mutualWindow`, used for the claim that
 * some α beats static on both counts when none of the others does.
 *
 * @throws Error when there is no static outcome or no dynamic one (a caller's bug).
 */
export function checkClaims(outcomes: readonly PolicyOutcome[], probe?: PolicyOutcome): ClaimResult[] {
  const stat = outcomes.find((o) => o.alpha === null);
  const dynamic = outcomes.filter((o) => o.alpha !== null).sort((a, b) => a.alpha! - b.alpha!);
  if (!stat || dynamic.length === 0) throw new Error("checkClaims needs a static outcome and at least one dynamic one");
  const f = (x: number, digits = 2): string => x.toFixed(digits);
  const list = (pick: (o: PolicyOutcome) => string): string => dynamic.map((o) => `${o.policy} ${pick(o)}`).join(", ");
  const claims: ClaimResult[] = [];

  claims.push({
    id: "dynamic-more-bandwidth",
    statement: "dynamic pricing gives flows more bandwidth than static pricing",
    holds: dynamic.every((o) => o.avgBandwidthMbps > stat.avgBandwidthMbps),
    detail: `static ${f(stat.avgBandwidthMbps, 3)} Mbps; ${list((o) => `${f(o.avgBandwidthMbps, 3)} (${signedPct(o.avgBandwidthMbps, stat.avgBandwidthMbps)})`)} (paper: 8.2 vs 9.0–9.1, +10–11%)`,
  });

  const falling = (key: "revenue" | "unitPrice"): boolean => dynamic.every((o, i) => i === 0 || o[key] < dynamic[i - 1]![key]);
  claims.push({
    id: "alpha-lowers-revenue-and-price",
    statement: "revenue and unit price fall as alpha grows",
    holds: dynamic.length >= 2 && falling("revenue") && falling("unitPrice"),
    detail: `revenue ${list((o) => millions(o.revenue))}; unit price ${list((o) => f(o.unitPrice))} PU`,
  });

  const lowest = dynamic[0]!;
  const others = outcomes.filter((o) => o !== lowest);
  claims.push({
    id: "smallest-alpha-highest",
    statement: `alpha=${lowest.alpha} has the highest revenue and the highest unit price of all policies`,
    holds: others.every((o) => lowest.revenue > o.revenue && lowest.unitPrice > o.unitPrice),
    detail: `${lowest.policy}: revenue ${millions(lowest.revenue)}, unit price ${f(lowest.unitPrice)}; highest of the others: revenue ${millions(Math.max(...others.map((o) => o.revenue)))}, unit price ${f(Math.max(...others.map((o) => o.unitPrice)))}`,
  });

  const both = dynamic.filter((o) => beatsStatic(o, stat));
  const probed = probe !== undefined && beatsStatic(probe, stat);
  const window = mutualWindow(stat, dynamic);
  let found: string;
  if (both.length > 0) found = `; both better: ${both.map((o) => o.policy).join(", ")}`;
  else if (probe !== undefined) {
    found = `; none of the table's alphas is better on both. Interpolating them, both would be better for alpha in ` +
      `(${f(window!.from)}, ${f(window!.to)}); a run at ${probe.policy} gives revenue ${signedPct(probe.revenue, stat.revenue)}, ` +
      `price ${signedPct(probe.unitPrice, stat.unitPrice)}: ${probed ? "better on both" : "not better on both"}`;
  } else found = window === null
    ? "; none better on both, and interpolating the table's alphas finds no alpha that would be"
    : `; none better on both (interpolation suggests alpha in (${f(window.from)}, ${f(window.to)}), not run)`;
  claims.push({
    id: "some-alpha-beats-static",
    statement: "some alpha gives ISPs more revenue and users a lower unit price than static pricing at once",
    holds: both.length > 0 || probed,
    detail: `static: revenue ${millions(stat.revenue)}, unit price ${f(stat.unitPrice)}; ` +
      list((o) => `revenue ${signedPct(o.revenue, stat.revenue)}, price ${signedPct(o.unitPrice, stat.unitPrice)}`) +
      found + " (paper: alpha=4, revenue +8.7%, price −2.9%)",
  });

  const under = (o: PolicyOutcome): string =>
    `${Math.round((o.linksUnder50Pct / 100) * o.peaks.length).toLocaleString("en-US")} (${f(o.linksUnder50Pct, 1)}%)`;
  const meanPeak = (o: PolicyOutcome): number => o.peaks.reduce((sum, p) => sum + p, 0) / Math.max(1, o.peaks.length);
  claims.push({
    id: "fewer-links-under-50pct",
    statement: "fewer links keep their peak utilization at or below 50% under dynamic pricing",
    holds: dynamic.every((o) => o.linksUnder50Pct < stat.linksUnder50Pct),
    detail: `links with peak ≤ 50%: static ${under(stat)} of ${stat.peaks.length.toLocaleString("en-US")}; ${list(under)}; ` +
      `mean peak utilization: static ${f(100 * meanPeak(stat), 2)}%, ${list((o) => `${f(100 * meanPeak(o), 2)}%`)} (paper: 72% vs 52% of 2,052 links)`,
  });

  claims.push({
    id: "most-users-never-switch",
    statement: `about 90% of users never switch paths (within ${NEVER_SWITCHED_TOLERANCE} points)`,
    holds: dynamic.every((o) => Math.abs(o.usersNeverSwitched - 90) <= NEVER_SWITCHED_TOLERANCE),
    detail: `${list((o) => `${f(o.usersNeverSwitched, 2)}%`)} of ${stat.flows.toLocaleString("en-US")} users never switched (paper: about 90%)`,
  });
  return claims;
}

/** `value` relative to `base`, e.g. "+3.1%". */
export function signedPct(value: number, base: number): string {
  const change = base !== 0 ? (100 * (value - base)) / base : 0;
  return `${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(1)}%`;
}

/** PU as millions with a thousands separator, e.g. "1,234.5 M". */
export function millions(pu: number): string {
  return `${(pu / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 })} M`;
}
