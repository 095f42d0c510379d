/**
 * The plain-text report of the predictions (predictions.ts): each number of ours beside the
 * paper's with the ratio, marked fitted or predicted, and the claims' verdicts over seeds.
 */
import { formatTable } from "../report/table.js";
import { MEASURE_LABELS, type SeedPrediction, type Verdict } from "./predictions.js";

/** One claim's verdict over seeds, with its margin. */
export interface ClaimVerdict {
  id: string;
  verdict: Verdict;
  /** Margins per seed (`claimMargins`), their mean and sample sd. */
  margins: number[];
  mean: number;
  sd: number;
}

const signed = (x: number, digits: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

/** The predictions table: measure, policy, ours (± 95% CI over seeds), the paper's, ratio, fitted. */
export function formatPredictions(list: readonly SeedPrediction[], seeds: readonly number[]): string {
  const rows = list.map((p) => {
    const digits = p.measure === "avgBandwidthMbps" || p.measure === "unitPrice" ? 2 : 1;
    const show = (x: number) => (p.measure === "revenueVsStaticPct" ? signed(x, digits) : x.toFixed(digits));
    return {
      measure: MEASURE_LABELS[p.measure],
      policy: p.policy,
      ours: p.ours.ci95 === null ? show(p.ours.mean) : `${show(p.ours.mean)} ± ${p.ours.ci95.toFixed(digits)}`,
      paper: show(p.paper),
      "ours / paper": p.ratio.toFixed(2),
      "": p.fitted ? "fitted" : "prediction",
    };
  });
  const over = seeds.length > 1 ? `mean ± 95% CI over seeds ${seeds.join(", ")}` : `seed ${seeds[0]}`;
  return [`Predictions beside the paper (${over}); "fitted" numbers were matched by the calibration, docs/reproduce-table1.md`, formatTable(rows)].join("\n");
}

/** The claims' verdicts over seeds. */
export function formatVerdicts(verdicts: readonly ClaimVerdict[]): string {
  const n = verdicts[0]?.margins.length ?? 0;
  return [
    `Claims over ${n} seeds (margin: how far each holds, in its own unit; "not distinguishable" when |mean| ≤ the seed-to-seed sd)`,
    ...verdicts.map((v) => `  ${v.verdict.padEnd(19)} ${v.id}: margin ${signed(v.mean, 2)} (sd ${v.sd.toFixed(2)}; per seed ${v.margins.map((m) => signed(m, 2)).join(", ")})`),
  ].join("\n");
}
