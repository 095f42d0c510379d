/**
 * Charts of the hijacked-host experiment (`tollway hijack --out`): money leaked per hour, and
 * honest money denied per hour, for each attacker under each defence regime, with 95% intervals.
 */
import type { TopLevelSpec } from "vega-lite";
import type { HijackStudyResult } from "../security/hijack-study.js";
import { intervalChart } from "./game-specs.js";

const REGIME_LABEL: Record<string, string> = {
  none: "no defences",
  macs: "MACs only",
  "macs+anomaly": "MACs + anomaly rule",
  anomaly: "anomaly rule only",
};

/** Category labels are long ("man-in-the-middle: MACs + anomaly rule"): let the axis show them whole. */
function wholeLabels(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, config: { axisY: { labelLimit: 360 } } } as TopLevelSpec;
}

function label(attack: string, regime: string): string {
  return `${attack}: ${REGIME_LABEL[regime] ?? regime}`;
}

/**
 * Money leaked per hour by each (attacker, regime) with its 95% bootstrap interval (`hijack-leak.svg`).
 *
 * @example hijackLeakChart(await hijackStudy({ reps: 5 }))
 */
export function hijackLeakChart(result: HijackStudyResult): TopLevelSpec {
  return wholeLabels(intervalChart({
    rows: result.summary.map((s) => ({ cell: label(s.attack, s.regime), mean: s.leakedPerHour, low: s.leakedCi95Low, high: s.leakedCi95High })),
    category: "cell", mean: "mean", low: "low", high: "high",
    title: `Hijacked host: money leaked per hour (mean, 95% bootstrap CI over ${result.reps} seeds)`,
    categoryTitle: "Attacker: defences", valueTitle: "Nanodollars leaked per hour",
  }));
}

/**
 * Honest money per hour that did not arrive as wanted (refused by the secretary, or dropped or
 * rewritten on the way), with its 95% interval (`hijack-honest-denied.svg`).
 */
export function hijackDeniedChart(result: HijackStudyResult): TopLevelSpec {
  return wholeLabels(intervalChart({
    rows: result.summary.map((s) => ({ cell: label(s.attack, s.regime), mean: s.honestDeniedPerHour, low: s.honestDeniedCi95Low, high: s.honestDeniedCi95High })),
    category: "cell", mean: "mean", low: "low", high: "high",
    title: `Hijacked host: honest payments denied per hour (of ${Math.round(result.setup.honest.ratePerSec * result.setup.honest.payment * 3600).toLocaleString("en-US")} asked)`,
    categoryTitle: "Attacker: defences", valueTitle: "Honest nanodollars per hour not delivered as wanted",
  }));
}
