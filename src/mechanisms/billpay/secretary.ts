/**
 * The digital secretary (Bill-Pay, section 2.3): decides what a host may pay for each
 * application, learns the user's willingness to pay from a few yes/no questions, enforces a
 * spending budget, and writes a billing statement per application and per ISP.
 *
 * Money is integer units held as BigInt. The secretary never authorises more than the user has
 * confirmed: an elicited willingness is the highest price the user said yes to.
 */
import { TollwayError } from "../../errors.js";

/** Result of eliciting one application class's willingness to pay. */
export interface Elicitation {
  /** Highest price the user confirmed (or the lower bound when none was asked): what the
   * secretary will pay per packet. */
  willingness: bigint;
  /** Lowest price known to be refused (exclusive upper end of the interval holding the truth). */
  refusedAt: bigint;
  /** How many questions were asked (at most the budget). */
  questions: number;
}

/** Bounds and limits for `elicitWillingness`. */
export interface ElicitationOptions {
  /** Price the user is assumed to accept without asking (>= 0n). */
  low: bigint;
  /** Highest price worth asking about; the user is assumed to refuse `high + 1n`. */
  high: bigint;
  /** Most questions the secretary may ask (non-negative integer). */
  questionBudget: number;
  /** Stop once the interval [willingness, refusedAt) is at most this wide (>= 1n). */
  tolerance: bigint;
}

/**
 * Learns a willingness to pay by bisection: `wouldPay(price)` is the simulated user's answer to
 * "would you pay `price` per packet for this application?". The truth lies in
 * [willingness, refusedAt); the secretary stops when that interval is within `tolerance` or the
 * question budget is spent.
 */
export function elicitWillingness(wouldPay: (price: bigint) => boolean, options: ElicitationOptions): Elicitation {
  const { low, high, questionBudget, tolerance } = options;
  if (low < 0n) throw new TollwayError("must be at least 0", { field: "secretary.low" });
  if (high < low) throw new TollwayError("must be at least low", { field: "secretary.high" });
  if (!Number.isInteger(questionBudget) || questionBudget < 0) {
    throw new TollwayError("must be a non-negative integer", { field: "secretary.questionBudget" });
  }
  if (tolerance < 1n) throw new TollwayError("must be at least 1", { field: "secretary.tolerance" });
  let yes = low;
  let no = high + 1n;
  let questions = 0;
  while (no - yes > tolerance && questions < questionBudget) {
    const mid = (yes + no) / 2n;
    questions += 1;
    if (wouldPay(mid)) yes = mid;
    else no = mid;
  }
  return { willingness: yes, refusedAt: no, questions };
}

/** One line of a billing statement: what was paid for one application to one ISP. */
export interface BillingLine {
  application: string;
  isp: string;
  /** Total paid, money units. */
  amount: bigint;
  /** Packets whose payment was authorised. */
  packets: number;
}

/** Why a payment was refused, or null when authorised. */
export type Refusal = "over-willingness" | "over-budget" | null;

/**
 * A host's secretary: per-application willingness to pay, a spending budget over the run, and
 * the statement of what it authorised.
 */
export class DigitalSecretary {
  private readonly willingness: Map<string, bigint>;
  private spentTotal = 0n;
  private readonly lines = new Map<string, BillingLine>();

  /** `willingness` per application class (money units per packet); `budget` caps total spend. */
  constructor(willingness: Readonly<Record<string, bigint>>, readonly budget: bigint) {
    if (budget < 0n) throw new TollwayError("must be at least 0", { field: "secretary.budget" });
    this.willingness = new Map();
    for (const [app, w] of Object.entries(willingness)) {
      if (w < 0n) throw new TollwayError("must be at least 0", { field: `secretary.willingness.${app}` });
      this.willingness.set(app, w);
    }
  }

  /** Replaces one application's willingness (e.g. with an `elicitWillingness` result). */
  setWillingness(application: string, value: bigint): void {
    if (value < 0n) throw new TollwayError("must be at least 0", { field: `secretary.willingness.${application}` });
    this.willingness.set(application, value);
  }

  /** The willingness for `application`; 0n (never pay) for an unknown class. */
  willingnessFor(application: string): bigint {
    return this.willingness.get(application) ?? 0n;
  }

  /** Money spent so far. */
  get spent(): bigint {
    return this.spentTotal;
  }

  /**
   * Asks to pay `amount` to `isp` for one packet of `application`. Authorised payments are
   * booked; a refused one changes nothing. A zero payment is always authorised and counted.
   */
  authorize(application: string, isp: string, amount: bigint): Refusal {
    if (amount < 0n) throw new TollwayError("must be at least 0", { field: "payment" });
    if (amount > this.willingnessFor(application)) return "over-willingness";
    if (this.spentTotal + amount > this.budget) return "over-budget";
    this.spentTotal += amount;
    const key = `${application}\u0000${isp}`;
    const line = this.lines.get(key) ?? { application, isp, amount: 0n, packets: 0 };
    line.amount += amount;
    line.packets += 1;
    this.lines.set(key, line);
    return null;
  }

  /** The statement, sorted by application then ISP; the amounts sum to `spent`. */
  statement(): BillingLine[] {
    return [...this.lines.values()]
      .map((l) => ({ ...l }))
      .sort((a, b) => (a.application < b.application ? -1 : a.application > b.application ? 1 : a.isp < b.isp ? -1 : a.isp > b.isp ? 1 : 0));
  }
}

/** Totals of a statement per application (or per ISP with `by = "isp"`), sorted by key. */
export function statementTotals(lines: readonly BillingLine[], by: "application" | "isp"): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const l of lines) totals.set(l[by], (totals.get(l[by]) ?? 0n) + l.amount);
  return new Map([...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The statement as CSV (`application,isp,packets,amount`), one line per row, exact amounts. */
export function statementCsv(lines: readonly BillingLine[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const rows = lines.map((l) => `${quote(l.application)},${quote(l.isp)},${l.packets},${l.amount}`);
  return ["application,isp,packets,amount", ...rows].join("\n") + "\n";
}
