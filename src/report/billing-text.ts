/** The digital secretaries' billing statement as text for a terminal (part of `formatSummary`). */
import type { BillingSummary } from "../metrics/billing.js";
import { formatTable } from "./table.js";

/** Lines of text: spend per host and application, then who kept it, then the totals per party. */
export function billingText(billing: BillingSummary, unit: string): string[] {
  const lines: string[] = [];
  lines.push(`billing statement (digital secretary, ${unit}), per host and application:`);
  lines.push(formatTable(billing.applications.map((a) => ({
    host: a.host, application: a.application, willingness: a.willingness, questions: a.questions, packets: a.packets, spent: a.spent,
    "capped: willingness": a.cappedByWillingness, "capped: budget": a.cappedByBudget,
  }))));
  lines.push("");
  lines.push("where the money went, per host, application and party:");
  lines.push(formatTable(billing.lines.map((l) => ({ host: l.host, application: l.application, party: l.party, role: l.role, amount: l.amount }))));
  const perParty = new Map<string, number>();
  for (const l of billing.lines) perParty.set(l.party, (perParty.get(l.party) ?? 0) + l.amount);
  lines.push("");
  lines.push("per party, all hosts and applications:");
  lines.push(formatTable([...perParty].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([party, amount]) => ({ party, amount }))));
  lines.push("");
  lines.push("budgets:");
  lines.push(formatTable(billing.hosts.map((h) => ({ host: h.host, budget: h.budget ?? "none", spent: h.spent }))));
  return lines;
}
