/**
 * The digital secretary (Bill-Pay, section 2.3): decides what a host may pay for each
 * application, learns the user's willingness to pay from a few yes/no questions, enforces a
 * spending budget, and writes a billing statement per application and per party paid.
 *
 * The rules are pure functions here; the engine applies them (engine/flow-shard.ts caps each
 * flow's payment with `authorisedPayment`, engine/secretary-desk.ts shares each host's budget
 * with `shareBudget` and books the statement in a `DigitalSecretary`).
 *
 * Money in totals is integer units held as BigInt. With questions, the secretary pays only what
 * the user confirmed: an elicited willingness is the highest price the user said yes to.
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
  checkElicitation(options);
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

/** Throws a TollwayError naming the first bad option. */
function checkElicitation({ low, high, questionBudget, tolerance }: ElicitationOptions): void {
  if (low < 0n) throw new TollwayError("must be at least 0", { field: "secretary.low" });
  if (high < low) throw new TollwayError("must be at least low", { field: "secretary.high" });
  if (!Number.isInteger(questionBudget) || questionBudget < 0) {
    throw new TollwayError("must be a non-negative integer", { field: "secretary.questionBudget" });
  }
  if (tolerance < 1n) throw new TollwayError("must be at least 1", { field: "secretary.tolerance" });
}

/**
 * §2.3: the secretary starts from a class's default ("initial rules about the importance a
 * typical user assigns to various types of applications") and refines it from the user's
 * answers. The first question is the default itself: a yes searches [default, high], a no
 * searches [0, default); the rest is `elicitWillingness`. With no questions allowed (or no user
 * to ask) the default stands unconfirmed: the small "unjustified" payments the paper tolerates.
 *
 * @example
 * // default 20, truth 37, in [0, 100] to within 1: asks 20 (yes), 60 (no), 40 (no), 30, 35, 37 (yes), 38 (no)
 * refineWillingness(20n, (p) => p <= 37n, { high: 100n, questionBudget: 10, tolerance: 1n }) // { willingness: 37n, refusedAt: 38n, questions: 7 }
 */
export function refineWillingness(
  defaultWillingness: bigint,
  wouldPay: ((price: bigint) => boolean) | null,
  options: Omit<ElicitationOptions, "low">,
): Elicitation {
  const { high, questionBudget, tolerance } = options;
  if (defaultWillingness < 0n) throw new TollwayError("must be at least 0", { field: "secretary.willingness" });
  const start = defaultWillingness > high ? high : defaultWillingness;
  checkElicitation({ low: 0n, ...options });
  if (wouldPay === null || questionBudget === 0) {
    return { willingness: start, refusedAt: high + 1n, questions: 0 };
  }
  if (start === 0n) return elicitWillingness(wouldPay, { low: 0n, high, questionBudget, tolerance });
  const rest = { questionBudget: questionBudget - 1, tolerance };
  const r = wouldPay(start)
    ? elicitWillingness(wouldPay, { low: start, high, ...rest })
    : elicitWillingness(wouldPay, { low: 0n, high: start - 1n, ...rest });
  return { ...r, questions: r.questions + 1 };
}

/** Why the secretary paid less than a flow's strategy asked, or null when it paid in full. */
export type Cap = "willingness" | "budget" | null;

/** What the secretary lets one flow put in each of its packets this round. */
export interface Authorisation {
  /** Units per packet, a whole number: at most what was asked. */
  payment: number;
  cap: Cap;
}

/**
 * The secretary's rule for one flow in one round (the engine's only use of it): the strategy
 * asks for `asked` units in each of `packets` packets; the secretary pays at most the
 * application's `willingness` per packet, and at most `allowance` in all (its share of the
 * host's remaining budget this round, `Infinity` without a budget). Payments are capped, never
 * refused outright: over the willingness a packet carries the willingness; over the allowance
 * every packet carries ⌊allowance / packets⌋ (possibly 0: the packets go unpaid, best effort).
 * The packets are sent either way.
 *
 * @example authorisedPayment(30, 10, 20, Infinity) // { payment: 20, cap: "willingness" }
 * @example authorisedPayment(20, 10, 25, 150)      // { payment: 15, cap: "budget" }
 */
export function authorisedPayment(asked: number, packets: number, willingness: number, allowance: number): Authorisation {
  let payment = asked;
  let cap: Cap = null;
  if (payment > willingness) {
    payment = willingness;
    cap = "willingness";
  }
  if (packets > 0 && payment * packets > allowance) {
    let share = Math.floor(allowance / packets);
    // A quotient of large doubles may round up to the next whole number.
    if (share * packets > allowance) share -= 1;
    payment = Math.max(0, share);
    cap = "budget";
  }
  return { payment, cap };
}

/**
 * A host's remaining budget shared among its `count` flows that send this round: each gets
 * ⌊remaining / count⌋, and the first `remaining mod count` one unit more (flows in a fixed
 * order, so the shares do not depend on how the run is sharded). The shares sum to `remaining`,
 * so the host can never spend more than its budget; what a flow leaves unspent is shared again
 * next round.
 *
 * @example shareBudget(10n, 3) // [4n, 3n, 3n]
 */
export function shareBudget(remaining: bigint, count: number): bigint[] {
  if (count <= 0) return [];
  const left = remaining > 0n ? remaining : 0n;
  const n = BigInt(count);
  const each = left / n;
  const extra = Number(left % n);
  return Array.from({ length: count }, (_, i) => each + (i < extra ? 1n : 0n));
}

/** One line of a billing statement: what one party kept of a host's payments for one application. */
export interface BillingLine {
  host: string;
  application: string;
  /** The ISP (or the receiving host) that kept the money. */
  party: string;
  /** Total kept, money units. */
  amount: bigint;
}

/** What a host's secretary did for one application class over a run. */
export interface ApplicationAccount {
  host: string;
  application: string;
  /** Units per packet the secretary would pay (the default, or refined from the user's answers). */
  willingness: bigint;
  /** Questions asked to learn it. */
  questions: number;
  /** Packets of the application that left the host. */
  packets: number;
  /** Net spend: paid in packets minus refunds in acknowledgments (the statement lines' sum). */
  spent: bigint;
  /** Flow-rounds whose payment was capped at the willingness, and at the budget. */
  cappedByWillingness: number;
  cappedByBudget: number;
}

/**
 * A host's digital secretary: per-application willingness to pay, a spending budget over the
 * run (null: none), and the statement of where its money went, booked from what its flows'
 * packets carried over each link (so the statement is the ledger's money, seen from the host).
 */
export class DigitalSecretary {
  private readonly accounts = new Map<string, ApplicationAccount>();
  private readonly lines = new Map<string, BillingLine>();
  private spentTotal = 0n;

  /** `willingness` per application class (units per packet, with the questions it took); `budget` caps total spend. */
  constructor(readonly host: string, willingness: Readonly<Record<string, { willingness: bigint; questions: number }>>, readonly budget: bigint | null) {
    if (budget !== null && budget < 0n) throw new TollwayError("must be at least 0", { field: "secretary.budget" });
    for (const [application, w] of Object.entries(willingness)) {
      if (w.willingness < 0n) throw new TollwayError("must be at least 0", { field: `secretary.classes.${application}.willingness` });
      this.accounts.set(application, {
        host, application, willingness: w.willingness, questions: w.questions, packets: 0, spent: 0n, cappedByWillingness: 0, cappedByBudget: 0,
      });
    }
  }

  /** The willingness for `application`; 0n (never pay) for an unknown class. */
  willingnessFor(application: string): bigint {
    return this.accounts.get(application)?.willingness ?? 0n;
  }

  /** Money spent so far (net of refunds). */
  get spent(): bigint {
    return this.spentTotal;
  }

  /** What is left of the budget (never below 0n), or null without a budget. */
  get remaining(): bigint | null {
    if (this.budget === null) return null;
    return this.budget > this.spentTotal ? this.budget - this.spentTotal : 0n;
  }

  /** Books `amount` kept by `party` from this host's packets of `application` (negative: a refund beyond what was paid cannot happen). */
  book(application: string, party: string, amount: bigint): void {
    if (amount === 0n) return;
    const account = this.account(application);
    account.spent += amount;
    this.spentTotal += amount;
    const key = `${application}\u0000${party}`;
    const line = this.lines.get(key) ?? { host: this.host, application, party, amount: 0n };
    line.amount += amount;
    this.lines.set(key, line);
  }

  /** Counts one flow-round of `application`: packets that left the host, and whether the payment was capped. */
  note(application: string, packets: number, cap: Cap): void {
    const account = this.account(application);
    account.packets += packets;
    if (cap === "willingness") account.cappedByWillingness += 1;
    else if (cap === "budget") account.cappedByBudget += 1;
  }

  /** The statement, sorted by application then party; the amounts sum to `spent`. */
  statement(): BillingLine[] {
    return [...this.lines.values()].map((l) => ({ ...l })).sort((a, b) => compare(a.application, b.application) || compare(a.party, b.party));
  }

  /** One account per application class, sorted by class. */
  applications(): ApplicationAccount[] {
    return [...this.accounts.values()].map((a) => ({ ...a })).sort((a, b) => compare(a.application, b.application));
  }

  private account(application: string): ApplicationAccount {
    const account = this.accounts.get(application);
    if (!account) throw new TollwayError(`unknown application class "${application}"`, { field: "secretary.classes" });
    return account;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Totals of statement lines per application (or per party with `by = "party"`, or per host), sorted by key. */
export function statementTotals(lines: readonly BillingLine[], by: "application" | "party" | "host"): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const l of lines) totals.set(l[by], (totals.get(l[by]) ?? 0n) + l.amount);
  return new Map([...totals].sort(([a], [b]) => compare(a, b)));
}
