/**
 * The packet pipeline: batches of identical packets (one flow, one leg, one round) cross their
 * path hop by hop. A hop is two passes over the batches, both pure functions on typed arrays
 * that work on any slice of the batches (so shards can run them on their own rows):
 *
 *  1. `hopLocal`: at the sending node of the hop's link, the owner's tariff is applied (fixed and
 *     proportional toll, congestion toll with drops for underpayers, keep-and-drop), the batch is
 *     classed (premium if it paid a positive toll in full, from a debtor in good standing), and its
 *     bits are added to the link's offered load.
 *  2. `hopForward`: with the link's admission share known from the offered load of *all* batches,
 *     the admitted packets cross the link; their payment is owed by sender to receiver.
 *
 * The toll arithmetic and the class are the hop steps of mechanisms/billpay/tolls.ts
 * (`fixedTollDue`, `afterFixedToll`, `congestionDropProbability`, `hopClass`, `carriedOn`), which
 * the queueing-delay model (metrics/queueing-delay.ts) replays too.
 *
 * Randomness comes from `hashUniform(seed, flow, round, hop/leg/purpose)`, so the outcome of a
 * batch does not depend on which shard processed it, and sums of integers are exact in doubles
 * (< 2^53), so reductions do not depend on the order either.
 */
import { afterFixedToll, carriedOn, congestionDropProbability, fixedTollDue, hopClass } from "../mechanisms/billpay/tolls.js";
import { hashUniform } from "./random.js";

/** Per directed link: tariffs, capacity and scheduling, set before a round's hops. */
export interface LinkInputs {
  perPacket: Float64Array;
  perByte: Float64Array;
  proportional: Float64Array;
  congestion: Float64Array;
  dropShare: Float64Array;
  /** 1 when the link's sender is an end host: hosts charge no tolls. */
  senderIsHost: Uint8Array;
  /** 1 when the receiver gives packets from this sender no preferential service (unpaid debts). */
  noPremium: Uint8Array;
  /** Capacity per round, bits. */
  capacityBits: Float64Array;
  /**
   * User-OAD steering (Bill-Pay §2.2): the least payment a packet must carry on reaching the
   * link's sender for the sender to put it on this link at its user-OAD's request (Infinity:
   * never). Set from the sender's `IspAction.honourOadsFrom`; read when flows build their paths.
   */
  oadFrom: Float64Array;
  /** Admission share per class for the current hop (0 normal, 1 premium). */
  admitNormal: Float64Array;
  admitPremium: Float64Array;
}

/** Sums a hop adds to, per directed link. Shards keep their own and the supervisor adds them up. */
export interface LinkTotals {
  /** Bits that reached the link's sender for this link over the round (before any drop). */
  arrivedBits: Float64Array;
  offeredNormalBits: Float64Array;
  offeredPremiumBits: Float64Array;
  carriedBits: Float64Array;
  carriedPackets: Float64Array;
  /** Bits carried that were classed premium at this link (paid their tolls in full): the queueing-delay model's first class. */
  carriedPremiumBits: Float64Array;
  droppedPackets: Float64Array;
  /** Units paid across the link, sender to receiver, inside packets. */
  transferred: Float64Array;
  /** Units the link's sender kept from packets it received for this link (tolls and drops). */
  kept: Float64Array;
}

export const LINK_TOTAL_KEYS = [
  "arrivedBits", "offeredNormalBits", "offeredPremiumBits", "carriedBits", "carriedPackets",
  "carriedPremiumBits", "droppedPackets", "transferred", "kept",
] as const satisfies readonly (keyof LinkTotals)[];

/** Batches of one leg of one round. Row i is one flow's packets on that leg. */
export interface Batches {
  count: number;
  flow: Int32Array;
  packets: Float64Array;
  /** Payment each packet carries; updated as it crosses hops. */
  payment: Float64Array;
  bitsPerPacket: Float64Array;
  pathStart: Int32Array;
  pathLength: Int32Array;
  /** Packets that reached the sender of the current hop, and what each carried then. */
  arrivedPackets: Float64Array;
  arrivedPayment: Float64Array;
  premium: Uint8Array;
  dropped: Float64Array;
  /** Packets admitted onto the first link: what actually left the payer. */
  leftSender: Float64Array;
  /**
   * Units each batch carried across each link of its path (admitted × payment), addressed like
   * the path pool: the ledger's money per flow, for the digital secretary's statement. Written
   * only when it is as long as the pool (empty: not tracked).
   */
  hopTransferred: Float64Array;
  /**
   * Authenticated payments (scenario `security.payments`, engine/payment-desk.ts): the hop whose
   * AS found the batch's payment field bad (-1: none); empty when payments are off. That AS drops
   * the packets and refuses their money: what they still carry goes back to the payer, taken off
   * every link they crossed before (`refused`), so no money moves for them past the ASes whose
   * fields were authentic.
   */
  rejectHop: Int32Array;
  /** Units that came back to each batch's payer from refused packets (written only with `rejectHop`). */
  refused: Float64Array;
  /** Packets each batch carried across each link of its path, addressed like the path pool (empty: not tracked). */
  hopPackets: Float64Array;
}

export interface HopContext {
  seed: number;
  round: number;
  leg: number;
  hop: number;
  /** Directed link indices of all paths, addressed by Batches.pathStart/pathLength. */
  pathPool: Int32Array;
}

const PURPOSE_CONGESTION = 0;
const PURPOSE_KEEP_AND_DROP = 1;
const PURPOSE_ADMIT = 2;

function salt(hop: number, leg: number, purpose: number): number {
  return ((hop * 4 + leg) * 4 + purpose) | 0;
}

/** Rounds n·p to an integer at random with expectation n·p (n integer, p in [0,1]). */
export function sampleCount(n: number, p: number, u: number): number {
  if (p >= 1) return n;
  if (p <= 0) return 0;
  return Math.floor(n * p + u);
}

export function createBatches(capacity: number): Batches {
  return {
    count: 0,
    flow: new Int32Array(capacity),
    packets: new Float64Array(capacity),
    payment: new Float64Array(capacity),
    bitsPerPacket: new Float64Array(capacity),
    pathStart: new Int32Array(capacity),
    pathLength: new Int32Array(capacity),
    arrivedPackets: new Float64Array(capacity),
    arrivedPayment: new Float64Array(capacity),
    premium: new Uint8Array(capacity),
    dropped: new Float64Array(capacity),
    leftSender: new Float64Array(capacity),
    hopTransferred: new Float64Array(0),
    rejectHop: new Int32Array(0),
    refused: new Float64Array(0),
    hopPackets: new Float64Array(0),
  };
}

export function createLinkTotals(linkCount: number): LinkTotals {
  const totals = {} as LinkTotals;
  for (const key of LINK_TOTAL_KEYS) totals[key] = new Float64Array(linkCount);
  return totals;
}

/**
 * Pass 1 of a hop on batches [from, to): the local step at the hop's sending node (see the top
 * of this file).
 */
export function hopLocal(links: LinkInputs, batches: Batches, totals: LinkTotals, ctx: HopContext, from: number, to: number): void {
  hopSteps(links, batches, totals, ctx, from, to, LOCAL);
}

/** Pass 2 of a hop on batches [from, to): admitted packets cross the link. */
export function hopForward(links: LinkInputs, batches: Batches, totals: LinkTotals, ctx: HopContext, from: number, to: number): void {
  hopSteps(links, batches, totals, ctx, from, to, FORWARD);
}

/**
 * Hop `ctx.hop`'s forward pass and hop `ctx.hop + 1`'s local pass on batches [from, to), as one
 * pass: the local step of a batch reads only that batch and the tariffs, never the totals that
 * admission needs, so it may follow the batch's forward step at once (the totals get the same
 * terms; they are integers, so their order does not matter). A leg then streams its batches
 * once per hop instead of twice.
 */
export function hopForwardThenLocal(links: LinkInputs, batches: Batches, totals: LinkTotals, ctx: HopContext, from: number, to: number): void {
  hopSteps(links, batches, totals, ctx, from, to, FORWARD | LOCAL);
}

const FORWARD = 1;
const LOCAL = 2;

/**
 * The hop kernel: for each batch of [from, to), the forward step of hop `ctx.hop` (with FORWARD)
 * and then the local step of the next hop (with LOCAL, of hop `ctx.hop` itself without FORWARD).
 * Every column is read into a local once, before the loop: the kernel sees the objects of
 * several hosts (batches of either leg, totals that are views of shared memory or of a host's
 * own), and a property load per row repeats the check of the object's shape for every batch.
 */
function hopSteps(links: LinkInputs, batches: Batches, totals: LinkTotals, ctx: HopContext, from: number, to: number, steps: number): void {
  const { pathPool, round, seed } = ctx;
  const forward = (steps & FORWARD) !== 0;
  const local = (steps & LOCAL) !== 0;
  const hop = ctx.hop;
  const localHop = forward ? hop + 1 : hop;
  const saltAdmit = salt(hop, ctx.leg, PURPOSE_ADMIT);
  const saltCongestion = salt(localHop, ctx.leg, PURPOSE_CONGESTION);
  const saltKeepAndDrop = salt(localHop, ctx.leg, PURPOSE_KEEP_AND_DROP);
  const { rejectHop, hopTransferred: perHop, hopPackets } = batches;
  const checked = rejectHop.length > 0;
  const tracked = perHop.length > 0;
  const counted = hopPackets.length > 0;
  const { packets, payment: paymentOf, pathLength, pathStart, arrivedPackets, arrivedPayment, bitsPerPacket, dropped, flow, premium: premiumOf, leftSender } = batches;
  const { arrivedBits, offeredPremiumBits, offeredNormalBits, carriedPackets, carriedBits, carriedPremiumBits, droppedPackets, transferred, kept } = totals;
  const { senderIsHost, perPacket, perByte, proportional, congestion: congestionOf, dropShare: dropShareOf, noPremium, admitPremium, admitNormal } = links;
  for (let i = from; i < to; i++) {
    const length = pathLength[i]!;
    if (forward) {
      if (hop >= length) continue;
      const arrived = arrivedPackets[i]!;
      // A batch with no packets at this hop's local step has none to forward, nor for the next.
      if (arrived === 0) continue;
      const link = pathPool[pathStart[i]! + hop]!;
      const n = packets[i]!;
      const share = premiumOf[i] === 1 ? admitPremium[link]! : admitNormal[link]!;
      // Most links are not full: no draw is needed (sampleCount would not use it).
      const admitted = share >= 1 ? n : sampleCount(n, share, hashUniform(seed, flow[i]!, round, saltAdmit));
      const payment = paymentOf[i]!;
      dropped[i]! += n - admitted;
      packets[i] = admitted;
      arrivedPackets[i] = 0;
      if (hop === 0) leftSender[i] = admitted;
      carriedPackets[link]! += admitted;
      carriedBits[link]! += admitted * bitsPerPacket[i]!;
      if (premiumOf[i] === 1) carriedPremiumBits[link]! += admitted * bitsPerPacket[i]!;
      droppedPackets[link]! += arrived - admitted;
      transferred[link]! += admitted * payment;
      if (tracked) perHop[pathStart[i]! + hop] = admitted * payment;
      if (counted) hopPackets[pathStart[i]! + hop] = admitted;
      kept[link]! += arrived * arrivedPayment[i]! - admitted * payment;
    }
    if (!local) continue;
    let n = packets[i]!;
    if (localHop >= length || n === 0) continue;
    const link = pathPool[pathStart[i]! + localHop]!;
    let payment = paymentOf[i]!;
    arrivedPackets[i] = n;
    arrivedPayment[i] = payment;
    arrivedBits[link]! += n * bitsPerPacket[i]!;
    if (checked && rejectHop[i] === localHop) {
      refuse(batches, totals, pathPool, i, localHop, n * payment);
      continue;
    }
    let premium = 0;
    if (senderIsHost[link] === 0) {
      const due = fixedTollDue(perPacket[link]!, perByte[link]!, proportional[link]!, payment, bitsPerPacket[i]! / 8);
      const left = afterFixedToll(due, payment);
      const congestion = congestionOf[link]!;
      const dropProbability = congestionDropProbability(congestion, left);
      if (dropProbability !== 0) {
        const survivors = sampleCount(n, 1 - dropProbability, hashUniform(seed, flow[i]!, round, saltCongestion));
        dropped[i]! += n - survivors;
        n = survivors;
      }
      const dropShare = dropShareOf[link]!;
      if (dropShare > 0 && n > 0) {
        const keptPackets = sampleCount(n, 1 - dropShare, hashUniform(seed, flow[i]!, round, saltKeepAndDrop));
        dropped[i]! += n - keptPackets;
        n = keptPackets;
      }
      const previous = localHop > 0 ? pathPool[pathStart[i]! + localHop - 1]! : -1;
      premium = hopClass(due, congestion, payment, dropProbability, previous < 0 || noPremium[previous] === 0);
      payment = carriedOn(left, congestion, dropProbability);
    }
    packets[i] = n;
    paymentOf[i] = payment;
    premiumOf[i] = premium;
    const bits = n * bitsPerPacket[i]!;
    if (premium === 1) offeredPremiumBits[link]! += bits;
    else offeredNormalBits[link]! += bits;
  }
}

/**
 * An AS refuses batch i's packets at `hop` (a bad payment field): they are dropped with no money
 * kept, and `units` (what they carry) goes back to the payer, off every link they crossed.
 */
function refuse(batches: Batches, totals: LinkTotals, pathPool: Int32Array, i: number, hop: number, units: number): void {
  const start = batches.pathStart[i]!;
  const perHop = batches.hopTransferred;
  if (hop > 0 && units > 0) {
    for (let h = 0; h < hop; h++) {
      totals.transferred[pathPool[start + h]!]! -= units;
      if (perHop.length > 0) perHop[start + h]! -= units;
    }
    batches.refused[i]! += units;
  }
  batches.dropped[i]! += batches.packets[i]!;
  batches.packets[i] = 0;
  batches.payment[i] = 0;
  batches.arrivedPayment[i] = 0;
  batches.premium[i] = 0;
}

/**
 * Between the passes: each link's admission share per class, from the offered load of this hop
 * (which it then clears) and the capacity left over from earlier hops. Premium packets are served first
 * when `byPayment`; otherwise (FIFO) all offered packets share the capacity in proportion, which
 * is what first-in-first-out gives when arrivals within a round are in random order.
 */
export function computeAdmission(links: LinkInputs, totals: LinkTotals, byPayment: boolean): void {
  const n = links.capacityBits.length;
  for (let l = 0; l < n; l++) {
    // Earlier hops of this round (and the other leg) already used part of the capacity.
    const capacity = Math.max(0, links.capacityBits[l]! - totals.carriedBits[l]!);
    const premium = totals.offeredPremiumBits[l]!;
    const normal = totals.offeredNormalBits[l]!;
    if (byPayment) {
      const admitPremium = premium > capacity ? capacity / premium : 1;
      const left = capacity - Math.min(premium, capacity);
      links.admitPremium[l] = admitPremium;
      links.admitNormal[l] = normal > left ? left / normal : 1;
    } else {
      const offered = premium + normal;
      const share = offered > capacity ? capacity / offered : 1;
      links.admitPremium[l] = share;
      links.admitNormal[l] = share;
    }
    totals.offeredPremiumBits[l] = 0;
    totals.offeredNormalBits[l] = 0;
  }
}
