/** The authenticated payments' part of the run summary as text for a terminal (runs with `security.payments`). */
import type { RunSummary } from "../metrics/summary.js";
import { formatTable } from "./table.js";

/** The settlement counters, one per (AS, neighbour), and the fields refused by reason. */
export function paymentsText(payments: NonNullable<RunSummary["payments"]>, unit: string): string[] {
  const refused = Object.entries(payments.refusedPackets).filter(([, n]) => n > 0).map(([reason, n]) => `${n} ${reason}`);
  return [
    `authenticated payments (Eq. 10): ${payments.checked} fields checked, ${payments.macs} HMACs; packets refused: ${refused.length > 0 ? refused.join(", ") : "none"}`,
    `settlement from authentic fields, per AS and neighbour (${unit}):`,
    formatTable(payments.settlement.map((l) => ({ as: l.as, from: l.neighbour, units: l.units }))),
  ];
}
