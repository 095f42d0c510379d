/** The run summary as text for a terminal. */
import type { RunSummary } from "../metrics/summary.js";
import { formatTable } from "./table.js";
import { billingText } from "./billing-text.js";
import { paymentsText } from "./payments-text.js";

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(`${s.scenario}: ${s.rounds} round(s), seed ${s.seed}, scenario ${s.scenarioHash}, tollway ${s.version}`);
  lines.push(`money unit: ${s.unit}`);
  lines.push("");
  lines.push(`packets: ${s.packets.sent} sent, ${s.packets.delivered} delivered, ${s.packets.dropped} dropped; acks: ${s.acks.sent} sent, ${s.acks.delivered} delivered`);
  lines.push("");
  if (s.ledger.length === 0) {
    lines.push("no money moved: no packet carried a payment");
  } else {
    lines.push("paid inside packets, per directed link:");
    lines.push(formatTable(s.ledger.map((e) => ({ from: e.from, to: e.to, amount: e.amount }))));
    lines.push("");
    lines.push("net gain (+) or loss (-) per party:");
    lines.push(formatTable(Object.entries(s.net).map(([party, net]) => ({ party, net, revenue: s.revenue[party] ?? "" }))));
  }
  if (s.settlements.count > 0 || s.settlements.refused > 0) {
    lines.push("");
    lines.push(`settlements: ${s.settlements.count} paid (${s.settlements.amount} ${s.unit}), ${s.settlements.refused} refused`);
  }
  if (s.flows.length > 0 && s.flows.length <= 50) {
    lines.push("");
    lines.push("flows:");
    lines.push(formatTable(s.flows.map((f) => ({ flow: f.id, sent: f.sent, delivered: f.delivered, spent: f.spent, switches: f.pathSwitches }))));
  }
  if (s.billing) lines.push("", ...billingText(s.billing, s.unit));
  if (s.payments) lines.push("", ...paymentsText(s.payments, s.unit));
  return lines.join("\n") + "\n";
}
