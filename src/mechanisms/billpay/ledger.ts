/**
 * Bilateral accounting of nanopayments (Bill-Pay, section 2.3).
 *
 * Bill-Pay agreements are local: the upstream organization owes the downstream one the total of
 * the nanopayments in the packets it sent across their link (section 2). The paper's accounting
 * is "a pair of counters for each link connecting two organizations to track the total volume
 * of nanopayments in the two directions. The two organizations can keep separate copies of the
 * counters. At the end of each month or whenever the difference between the two counters reaches
 * a certain value (say $100) the two organizations settle their accounts with actual payments.
 * If the debtor fails to pay, the organization owed money can limit its losses ... by providing
 * no preferential service to future packets from the debtor."
 *
 * `BilateralLedger` keeps, for every directed link, the cumulative amount sent over it in two
 * copies (the sender's and the receiver's books), plus an open amount that settlements reset.
 * Money is integer units of the scenario's money unit, held as BigInt so totals never round.
 * A "month" is a billing cycle of `billingCycleRounds` rounds.
 *
 * Conservation holds by construction and is what the tests check: every unit one node sends
 * over a link another node receives, so `net()` sums to 0n; every settlement is paid out by
 * the debtor and paid in by the creditor, so `paidOut()` and `paidIn()` have equal sums.
 */
import { TollwayError } from "../../errors.js";
import { findLink, type CompiledTopology } from "../../model/topology.js";

/** Why a pair of neighbours settled: the open difference reached the threshold, or the
 * billing cycle ended with a non-zero difference. */
export type SettlementReason = "threshold" | "cycle";

/** One actual payment (or, in `refusals`, a payment the debtor declined) between neighbours. */
export interface Settlement {
  /** Round at whose end the settlement was due. */
  round: number;
  /** Node index of the side that sent more nanopayments and so owes the difference. */
  debtor: number;
  /** Node index of the side that is owed. */
  creditor: number;
  /** The open difference settled, in money units (always > 0n). */
  amount: bigint;
  reason: SettlementReason;
}

/** When neighbours settle, and whether a debtor pays. */
export interface SettlementPolicy {
  /** Settle as soon as the open difference on a link reaches this many money units (the
   * paper's "say $100"). Must be at least 1n. */
  settlementThreshold: bigint;
  /** Length of a billing cycle in rounds (the paper's month): at the end of round r with
   * (r + 1) divisible by this, every non-zero open difference is settled. Positive integer. */
  billingCycleRounds: number;
  /** Whether `debtorNode` pays `amount` to `creditorNode` when the settlement falls due in
   * `round`. Defaults to always paying. Returning false leaves the balance open and makes the
   * debtor delinquent towards the creditor. */
  willSettle?: (debtorNode: number, creditorNode: number, amount: bigint, round: number) => boolean;
}

/** Both organizations' copies of the cumulative counter of one directed link. */
export interface CounterCopies {
  /** The copy kept by the sender, `linkFrom[link]`. */
  sender: bigint;
  /** The copy kept by the receiver, `linkTo[link]`. */
  receiver: bigint;
}

/**
 * The bilateral accounts of every pair of neighbouring organizations in a topology
 * (Bill-Pay section 2.3). Feed it each round's per-link nanopayment volumes with `record`, then
 * call `settle` at the end of the round.
 *
 * @example
 * const ledger = new BilateralLedger(topology, { settlementThreshold: 100n, billingCycleRounds: 30 });
 * ledger.record(amountsPerDirectedLink, 0);
 * const paid = ledger.settle(0);
 */
export class BilateralLedger {
  /** The topology whose links are accounted. */
  readonly topology: CompiledTopology;
  private readonly threshold: bigint;
  private readonly cycle: number;
  private readonly willSettle: NonNullable<SettlementPolicy["willSettle"]>;

  /** Cumulative amount sent over each directed link, as the sender books it. */
  private readonly senderCopy: bigint[];
  /** Cumulative amount sent over each directed link, as the receiver books it. */
  private readonly receiverCopy: bigint[];
  /** Amount sent over each directed link since the pair last settled. */
  private readonly open: bigint[];
  /** 1 on link l when `linkFrom[l]` refused to pay `linkTo[l]` a debt that is still open. */
  private readonly delinquent: Uint8Array;
  private readonly paidOutTotals: bigint[];
  private readonly paidInTotals: bigint[];
  private readonly history: Settlement[] = [];
  private readonly refused: Settlement[] = [];
  private lastRound = 0;

  /**
   * Starts every counter at zero. Throws a `TollwayError` when the threshold is below 1n or the
   * billing cycle is not a positive integer.
   */
  constructor(topology: CompiledTopology, policy: SettlementPolicy) {
    if (typeof policy.settlementThreshold !== "bigint" || policy.settlementThreshold < 1n) {
      throw new TollwayError(`must be a bigint of at least 1n (got ${String(policy.settlementThreshold)})`, {
        field: "ledger.settlementThreshold",
      });
    }
    if (!Number.isSafeInteger(policy.billingCycleRounds) || policy.billingCycleRounds < 1) {
      throw new TollwayError(`must be a positive integer (got ${String(policy.billingCycleRounds)})`, {
        field: "ledger.billingCycleRounds",
      });
    }
    this.topology = topology;
    this.threshold = policy.settlementThreshold;
    this.cycle = policy.billingCycleRounds;
    this.willSettle = policy.willSettle ?? (() => true);
    const links = topology.linkCount;
    const nodes = topology.nodeIds.length;
    this.senderCopy = new Array<bigint>(links).fill(0n);
    this.receiverCopy = new Array<bigint>(links).fill(0n);
    this.open = new Array<bigint>(links).fill(0n);
    this.delinquent = new Uint8Array(links);
    this.paidOutTotals = new Array<bigint>(nodes).fill(0n);
    this.paidInTotals = new Array<bigint>(nodes).fill(0n);
  }

  /**
   * Books one round of traffic: `linkAmounts[l]` is the total of the nanopayments that
   * `linkFrom[l]` handed to `linkTo[l]` inside packets on directed link l during `round`. Both
   * neighbours' copies of the counter are updated. Amounts must be non-negative safe integers,
   * one per directed link; nothing is booked when any is not (TollwayError on
   * `ledger.linkAmounts.<l>`). Rounds must not go backwards.
   */
  record(linkAmounts: Float64Array, round: number): void {
    this.checkRound(round, "record");
    if (linkAmounts.length !== this.topology.linkCount) {
      throw new TollwayError(
        `needs one amount per directed link: ${this.topology.linkCount} (got ${linkAmounts.length})`,
        { field: "ledger.linkAmounts" },
      );
    }
    for (let l = 0; l < linkAmounts.length; l++) {
      const value = linkAmounts[l]!;
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new TollwayError(`must be a non-negative safe integer (got ${value}) in round ${round}`, {
          field: `ledger.linkAmounts.${l}`,
        });
      }
    }
    for (let l = 0; l < linkAmounts.length; l++) {
      const value = linkAmounts[l]!;
      if (value === 0) continue;
      const amount = BigInt(value);
      this.senderCopy[l]! += amount;
      this.receiverCopy[l]! += amount;
      this.open[l]! += amount;
    }
    this.lastRound = round;
  }

  /**
   * Settles accounts at the end of `round` and returns the payments made, in link order.
   * For each pair of neighbours the debtor is the side that sent more since they last settled,
   * and the amount is the difference. The pair settles when the difference has reached the
   * threshold (reason "threshold"), or, at the end of a billing cycle, when it is non-zero
   * (reason "cycle"). A payment resets the pair's open balance and clears any delinquency
   * between them. When `willSettle` refuses, the balance stays open, the attempt is added to
   * `refusals`, and the debtor is delinquent towards the creditor until the debt no longer
   * stands: it is paid at a later settlement, or traffic in the other direction cancels it.
   */
  settle(round: number): Settlement[] {
    this.checkRound(round, "settle");
    this.lastRound = round;
    const { linkFrom, linkTo, linkReverse, linkCount } = this.topology;
    const cycleEnds = (round + 1) % this.cycle === 0;
    const made: Settlement[] = [];
    for (let l = 0; l < linkCount; l++) {
      const r = linkReverse[l]!;
      if (r < l) continue; // each pair once, from its lower-numbered direction
      const diff = this.open[l]! - this.open[r]!;
      // The link along which the debtor sends to the creditor.
      const owing = diff > 0n ? l : r;
      // A refused debt that no longer stands (cancelled by reverse traffic) is forgiven.
      if (diff === 0n || owing !== l) this.delinquent[l] = 0;
      if (diff === 0n || owing !== r) this.delinquent[r] = 0;
      if (diff === 0n) continue;
      const amount = diff > 0n ? diff : -diff;
      let reason: SettlementReason;
      if (amount >= this.threshold) reason = "threshold";
      else if (cycleEnds) reason = "cycle";
      else continue;
      const debtor = linkFrom[owing]!;
      const creditor = linkTo[owing]!;
      const settlement: Settlement = { round, debtor, creditor, amount, reason };
      if (this.willSettle(debtor, creditor, amount, round)) {
        this.open[l] = 0n;
        this.open[r] = 0n;
        this.delinquent[l] = 0;
        this.delinquent[r] = 0;
        this.paidOutTotals[debtor]! += amount;
        this.paidInTotals[creditor]! += amount;
        this.history.push(settlement);
        made.push(settlement);
      } else {
        this.delinquent[owing] = 1;
        this.refused.push(settlement);
      }
    }
    return made;
  }

  /** Total ever sent over directed link `link`, in money units (the sender's copy). */
  cumulative(link: number): bigint {
    this.checkLink(link);
    return this.senderCopy[link]!;
  }

  /** Both neighbours' copies of the cumulative counter of directed link `link`; they agree
   * unless the books have been tampered with. */
  counterCopies(link: number): CounterCopies {
    this.checkLink(link);
    return { sender: this.senderCopy[link]!, receiver: this.receiverCopy[link]! };
  }

  /**
   * What node `a` owes neighbour `b` since they last settled: what `a` sent to `b` minus what
   * `b` sent to `a`. Negative when `b` owes `a`. Throws a `TollwayError` when they are not
   * neighbours.
   */
  openBalance(a: number, b: number): bigint {
    const ab = this.linkBetween(a, b);
    return this.open[ab]! - this.open[this.topology.linkReverse[ab]!]!;
  }

  /**
   * Per node, the cumulative nanopayments received minus those sent over all its links, each
   * from the node's own copy of the counters: what the node has earned (positive) or spent
   * (negative) in Bill-Pay. Sums to 0n over all nodes.
   */
  net(): bigint[] {
    const { linkFrom, linkTo, linkCount } = this.topology;
    const totals = new Array<bigint>(this.topology.nodeIds.length).fill(0n);
    for (let l = 0; l < linkCount; l++) {
      totals[linkFrom[l]!]! -= this.senderCopy[l]!;
      totals[linkTo[l]!]! += this.receiverCopy[l]!;
    }
    return totals;
  }

  /** Per node, the total it has paid to neighbours in settlements. Same sum as `paidIn()`. */
  paidOut(): bigint[] {
    return [...this.paidOutTotals];
  }

  /** Per node, the total it has received from neighbours in settlements. Same sum as `paidOut()`. */
  paidIn(): bigint[] {
    return [...this.paidInTotals];
  }

  /** Every payment made so far, oldest first. */
  get settlements(): readonly Settlement[] {
    return this.history;
  }

  /** Every settlement a debtor declined through `willSettle`, oldest first. */
  get refusals(): readonly Settlement[] {
    return this.refused;
  }

  /** Whether `debtor` has refused to pay `creditor` a debt that still stands. False for nodes
   * that are not neighbours. */
  isDelinquent(debtor: number, creditor: number): boolean {
    this.checkNode(debtor);
    this.checkNode(creditor);
    const link = findLink(this.topology, debtor, creditor);
    return link >= 0 && this.delinquent[link] === 1;
  }

  /**
   * The directed links debtor→creditor over which the sender is delinquent, ascending. Packets
   * arriving over these links come from a debtor that did not pay; the paper's creditor gives
   * them "no preferential service".
   */
  delinquentLinks(): number[] {
    const links: number[] = [];
    for (let l = 0; l < this.delinquent.length; l++) if (this.delinquent[l] === 1) links.push(l);
    return links;
  }

  private checkRound(round: number, what: string): void {
    if (!Number.isSafeInteger(round) || round < 0) {
      throw new TollwayError(`${what}: round must be a non-negative integer (got ${round})`, { field: "ledger" });
    }
    if (round < this.lastRound) {
      throw new TollwayError(`${what}: round ${round} is before round ${this.lastRound}, already booked`, {
        field: "ledger",
      });
    }
  }

  private checkLink(link: number): void {
    if (!Number.isInteger(link) || link < 0 || link >= this.topology.linkCount) {
      throw new TollwayError(`no directed link ${link} (the topology has ${this.topology.linkCount})`, {
        field: "ledger",
      });
    }
  }

  private checkNode(node: number): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.topology.nodeIds.length) {
      throw new TollwayError(`no node ${node} (the topology has ${this.topology.nodeIds.length})`, {
        field: "ledger",
      });
    }
  }

  private linkBetween(a: number, b: number): number {
    this.checkNode(a);
    this.checkNode(b);
    const link = findLink(this.topology, a, b);
    if (link < 0) {
      const { nodeIds } = this.topology;
      throw new TollwayError(`nodes ${nodeIds[a]} and ${nodeIds[b]} are not neighbours`, { field: "ledger" });
    }
    return link;
  }
}
