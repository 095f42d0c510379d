/**
 * The billing statement of a run's digital secretaries (Bill-Pay §2.3: "a 'billing statement'
 * that summarizes for the user what he spent his money on"): per host and application class,
 * what was spent and where it went, party by party. In the run summary as `billing`.
 */
import type { Simulation } from "../engine/simulation.js";
import { KIND_HOST } from "../model/topology.js";

/** What one host's secretary did for one application class. */
export interface BillingApplication {
  host: string;
  application: string;
  /** Units per packet the secretary paid at most (the class default, or refined from the user's answers). */
  willingness: number;
  /** Questions the secretary asked its user to learn it. */
  questions: number;
  /** Packets of the application that left the host. */
  packets: number;
  /** Net spend: paid in packets minus refunds in acknowledgments. */
  spent: number;
  /** Flow-rounds whose payment the secretary capped at the willingness, and at the budget. */
  cappedByWillingness: number;
  cappedByBudget: number;
}

/** One line of the statement: what one party kept of a host's payments for one application. */
export interface BillingLineSummary {
  host: string;
  application: string;
  party: string;
  /** "isp", or "host" for the receiving end host. */
  role: "isp" | "host";
  amount: number;
}

export interface BillingSummary {
  /** Per host: its budget (null: none) and its net spend. */
  hosts: { host: string; budget: number | null; spent: number }[];
  /** Per host and application class, sorted. */
  applications: BillingApplication[];
  /** Per host, application and party, sorted; a host's lines sum to its spend. */
  lines: BillingLineSummary[];
}

/** The statement of a run with a secretary, or undefined without one. */
export function billingSummary(simulation: Simulation): BillingSummary | undefined {
  const desk = simulation.secretary;
  if (!desk) return undefined;
  const { nodeIndex, nodeKind } = simulation.topology;
  const secretaries = desk.secretaries();
  return {
    hosts: secretaries.map((s) => ({ host: s.host, budget: s.budget === null ? null : toNumber(s.budget), spent: toNumber(s.spent) })),
    applications: secretaries.flatMap((s) => s.applications().map((a) => ({
      host: a.host, application: a.application, willingness: toNumber(a.willingness), questions: a.questions,
      packets: a.packets, spent: toNumber(a.spent), cappedByWillingness: a.cappedByWillingness, cappedByBudget: a.cappedByBudget,
    }))),
    lines: secretaries.flatMap((s) => s.statement().map((l) => ({
      host: l.host, application: l.application, party: l.party,
      role: nodeKind[nodeIndex.get(l.party)!] === KIND_HOST ? "host" as const : "isp" as const,
      amount: toNumber(l.amount),
    }))),
  };
}

function toNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} exceeds the safe integer range; use a larger money unit`);
  return n;
}
