/**
 * Our Table I as predictions of the paper's numbers (issue 13, item 3): every number of Table I
 * and sections IV-B/V beside the paper's value and the ratio ours / paper, marked "fitted" when a
 * calibrated parameter was chosen to match it (docs/reproduce-table1.md says which), and the
 * paper's claims judged over several seeds: a claim that holds by less than its seed-to-seed
 * spread is "not distinguishable", not "holds".
 *
 * Everything here is a pure function of the outcomes; the runs are table1.ts's.
 */
import { NEVER_SWITCHED_TOLERANCE, PAPER_TABLE1 } from "./claims.js";
import type { PolicyOutcome } from "./outcome.js";

/** One number of ours beside the paper's. */
export interface Prediction {
  /** `<measure>:<policy>`, e.g. `unitPrice:alpha=4`. */
  id: string;
  measure: PredictionMeasure;
  policy: string;
  ours: number;
  paper: number;
  /** ours / paper (for revenue changes: our change over the paper's change). */
  ratio: number;
  /** A calibrated parameter was chosen to match this number: it is not a prediction. */
  fitted: boolean;
}

/** The measures compared, in the order they are printed. */
export const PREDICTION_MEASURES = ["linksUnder50Pct", "avgBandwidthMbps", "unitPrice", "revenueVsStaticPct", "usersNeverSwitched"] as const;
export type PredictionMeasure = (typeof PREDICTION_MEASURES)[number];

/** How each measure reads in a table. */
export const MEASURE_LABELS: Readonly<Record<PredictionMeasure, string>> = {
  linksUnder50Pct: "links with peak ≤ 50% (%)",
  avgBandwidthMbps: "avg flow bandwidth (Mbps)",
  unitPrice: "price per bandwidth unit (PU)",
  revenueVsStaticPct: "revenue vs static (%)",
  usersNeverSwitched: "users never switched (%)",
};

/**
 * The paper's value of `measure` for `policy`, or null where the paper gives none (static
 * pricing has no path switches; the revenue change of static against itself).
 *
 * @example paperValue("revenueVsStaticPct", "alpha=4") // 100 · (511,232 − 470,272) / 470,272 = 8.71
 */
export function paperValue(measure: PredictionMeasure, policy: string): number | null {
  const row = PAPER_TABLE1.find((p) => p.policy === policy);
  if (row === undefined) return null;
  if (measure === "revenueVsStaticPct") {
    const base = PAPER_TABLE1[0].revenueMillions;
    return row.policy === "static" ? null : (100 * (row.revenueMillions - base)) / base;
  }
  return row[measure];
}

/** Our value of `measure` for `outcome`, given the static outcome. */
function ourValue(measure: PredictionMeasure, outcome: PolicyOutcome, stat: PolicyOutcome): number {
  return measure === "revenueVsStaticPct" ? (100 * (outcome.revenue - stat.revenue)) / stat.revenue : outcome[measure];
}

/**
 * Every number of ours that the paper also reports, beside it, for the policies of Table I
 * among `outcomes` (other α, such as a probe, have no paper value and are left out).
 * `fitted` lists the ids that a calibration matched (e.g. `linksUnder50Pct:static`).
 *
 * @throws Error when `outcomes` has no static outcome (a caller's bug).
 */
export function predictions(outcomes: readonly PolicyOutcome[], fitted: readonly string[] = []): Prediction[] {
  const stat = outcomes.find((o) => o.alpha === null);
  if (stat === undefined) throw new Error("predictions need a static outcome");
  const out: Prediction[] = [];
  for (const measure of PREDICTION_MEASURES) {
    for (const o of outcomes) {
      const paper = paperValue(measure, o.policy);
      if (paper === null) continue;
      const ours = ourValue(measure, o, stat);
      const id = `${measure}:${o.policy}`;
      out.push({ id, measure, policy: o.policy, ours, paper, ratio: ours / paper, fitted: fitted.includes(id) });
    }
  }
  return out;
}

/**
 * The margin by which each claim of `checkClaims` holds on one seed's outcomes: positive when it
 * holds, negative when it fails, in the claim's own unit, so that seeds can be compared:
 *
 * - `dynamic-more-bandwidth`: min over α of (bw_α − bw_static) / bw_static, percent;
 * - `alpha-lowers-revenue-and-price`: the smallest fall, percent, of revenue or unit price from
 *   one α to the next;
 * - `smallest-alpha-highest`: the smallest lead, percent, of the lowest α's revenue and unit price
 *   over every other policy's;
 * - `some-alpha-beats-static`: max over α (and the probe) of min(revenue gain, price cut), percent;
 * - `fewer-links-under-50pct`: min over α of static's share ≤ 50% minus α's, points;
 * - `most-users-never-switch`: tolerance − max over α of |never-switched − 90|, points.
 *
 * @throws Error without a static outcome or fewer than two dynamic ones.
 */
export function claimMargins(outcomes: readonly PolicyOutcome[], probe?: PolicyOutcome): Record<string, number> {
  const stat = outcomes.find((o) => o.alpha === null);
  const dynamic = outcomes.filter((o) => o.alpha !== null).sort((a, b) => a.alpha! - b.alpha!);
  if (stat === undefined || dynamic.length < 2) throw new Error("claimMargins needs a static outcome and at least two dynamic ones");
  const pct = (value: number, base: number): number => (100 * (value - base)) / base;
  const falls = dynamic.slice(1).flatMap((o, i) => [pct(dynamic[i]!.revenue, o.revenue), pct(dynamic[i]!.unitPrice, o.unitPrice)]);
  const lowest = dynamic[0]!;
  const others = outcomes.filter((o) => o !== lowest);
  const lead = others.flatMap((o) => [pct(lowest.revenue, o.revenue), pct(lowest.unitPrice, o.unitPrice)]);
  const both = [...dynamic, ...(probe ? [probe] : [])].map((o) => Math.min(pct(o.revenue, stat.revenue), -pct(o.unitPrice, stat.unitPrice)));
  return {
    "dynamic-more-bandwidth": Math.min(...dynamic.map((o) => pct(o.avgBandwidthMbps, stat.avgBandwidthMbps))),
    "alpha-lowers-revenue-and-price": Math.min(...falls),
    "smallest-alpha-highest": Math.min(...lead),
    "some-alpha-beats-static": Math.max(...both),
    "fewer-links-under-50pct": Math.min(...dynamic.map((o) => stat.linksUnder50Pct - o.linksUnder50Pct)),
    "most-users-never-switch": NEVER_SWITCHED_TOLERANCE - Math.max(...dynamic.map((o) => Math.abs(o.usersNeverSwitched - 90))),
  };
}

/** A claim over seeds. */
export type Verdict = "holds" | "fails" | "not distinguishable";

/** Mean, sample standard deviation and 95% confidence half-width of a sample. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number;
  /** Half-width of the 95% confidence interval of the mean, t_{0.975, n−1} · sd / √n; null for one value. */
  ci95: number | null;
}

/** Two-sided 95% Student t quantiles t_{0.975, df} for df = 1..30; the normal's 1.96 beyond. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * Mean, sd and 95% CI of `values`.
 *
 * @throws Error on an empty sample.
 * @example summarize([1, 2, 3]) // { n: 3, mean: 2, sd: 1, ci95: 4.303 · 1/√3 = 2.484 }
 */
export function summarize(values: readonly number[]): SampleSummary {
  const n = values.length;
  if (n === 0) throw new Error("summarize needs at least one value");
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: 0, ci95: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, ci95: ((T975[n - 2] ?? 1.96) * sd) / Math.sqrt(n) };
}

/**
 * A claim's verdict from its margin on each seed (`claimMargins`): with one seed, "holds" when
 * the margin is ≥ 0 (`checkClaims`' boundary: its tolerance test is ≤), else "fails"; with
 * several, "not distinguishable" when the mean margin is within one seed-to-seed standard
 * deviation of zero (|mean| ≤ sd), else "holds" or "fails" by the mean's sign.
 *
 * @example verdictOf([0.5, -0.3, 0.4]) // mean 0.2, sd 0.436: "not distinguishable"
 */
export function verdictOf(margins: readonly number[]): { verdict: Verdict } & SampleSummary {
  const s = summarize(margins);
  if (s.n === 1) return { ...s, verdict: s.mean >= 0 ? "holds" : "fails" };
  if (Math.abs(s.mean) <= s.sd) return { ...s, verdict: "not distinguishable" };
  return { ...s, verdict: s.mean > 0 ? "holds" : "fails" };
}

/** A prediction over seeds: ours as mean ± 95% CI beside the paper's. */
export interface SeedPrediction extends Omit<Prediction, "ours" | "ratio"> {
  ours: SampleSummary;
  /** mean / paper. */
  ratio: number;
}

/**
 * The predictions of several seeds, matched by id (ids missing from a seed are left out of its
 * sample; an id no seed has is not listed).
 */
export function acrossSeeds(perSeed: readonly (readonly Prediction[])[]): SeedPrediction[] {
  const first = new Map<string, Prediction>();
  for (const list of perSeed) for (const p of list) if (!first.has(p.id)) first.set(p.id, p);
  return [...first.values()].map((p) => {
    const ours = summarize(perSeed.flatMap((list) => list.filter((q) => q.id === p.id).map((q) => q.ours)));
    return { id: p.id, measure: p.measure, policy: p.policy, paper: p.paper, fitted: p.fitted, ours, ratio: ours.mean / p.paper };
  });
}
