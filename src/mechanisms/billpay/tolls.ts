/**
 * Bill-Pay tolls (paper §2.1): what an ISP keeps from the nanopayment in a packet it forwards.
 * A toll is charged by the ISP that sends the packet onto one of its links (its egress), so
 * each directed link carries its owner's tariff.
 */

/** An ISP's tariff on one of its outgoing links. All amounts are in the scenario's money unit. */
export interface Tariff {
  /** Fixed toll per packet (§2.1 "fixed tolls ... nanodollars per packet"). */
  perPacket: number;
  /** Fixed toll per byte ("picodollars per byte"); the per-packet charge is rounded to a whole unit. */
  perByte: number;
  /** Proportional toll: the share of the arriving nanopayment kept (footnote 1), in [0, 1]. */
  proportional: number;
  /**
   * Congestion toll per packet. A packet whose remaining payment covers it pays it and passes;
   * one that pays less is dropped with probability (toll − payment) / toll.
   */
  congestion: number;
  /** Share of packets dropped after their payment was kept (the greedy "keep and drop"), in [0, 1]. */
  dropShare: number;
}

/** The fields of a Tariff, in the order the engine stores them as columns. */
export const TARIFF_KEYS = ["perPacket", "perByte", "proportional", "congestion", "dropShare"] as const satisfies readonly (keyof Tariff)[];

/** A tariff that charges nothing and drops nothing. */
export const FREE_TARIFF: Readonly<Tariff> = Object.freeze({
  perPacket: 0, perByte: 0, proportional: 0, congestion: 0, dropShare: 0,
});

// The rule in scalar form: the hop kernel (engine/pipeline.ts) and the announced path prices
// (engine/flow-shard.ts) call these on typed-array columns, so the tests of this file test the
// arithmetic the engine runs.

/**
 * The fixed plus proportional toll an ISP asks of one packet, rounded to whole units, before it
 * is capped by what the packet carries (see `fixedTollCharged`).
 *
 * @example fixedTollDue(2, 0.001, 0.1, 20, 1500) // 2 + 1.5 + 2 = 5.5 → 6
 */
export function fixedTollDue(perPacket: number, perByte: number, proportional: number, payment: number, bytes: number): number {
  return Math.round(perPacket + perByte * bytes + proportional * payment);
}

/**
 * What a packet carrying `payment` actually pays of a fixed toll `due`: never below 0, never more
 * than it carries. The packet paid in full when this equals `due`.
 *
 * @example fixedTollCharged(50, 20) // 20: the packet gives up all it carries
 */
export function fixedTollCharged(due: number, payment: number): number {
  return due < 0 ? 0 : due > payment ? payment : due;
}

/**
 * §2.1: the probability that a packet carrying `payment` (after the fixed toll) is dropped by a
 * congestion toll: (toll − payment) / toll when it pays less, else 0. A packet with
 * probability 0 pays the toll; an underpaying packet that survives gives up all it carries.
 *
 * @example congestionDropProbability(10, 4) // 0.6
 */
export function congestionDropProbability(congestionToll: number, payment: number): number {
  if (congestionToll <= 0 || payment >= congestionToll) return 0;
  return (congestionToll - payment) / congestionToll;
}

// One hop of the rule, at a link whose sender is an ISP (a host charges nothing, drops nothing and
// classes nothing premium), in the order §2.1 applies it:
//
//   due  = fixedTollDue(...)                                  the fixed and proportional toll asked
//   left = afterFixedToll(due, payment)                       what the packet carries after paying it
//   p    = congestionDropProbability(congestion, left)        the chance the congestion toll drops it
//   cls  = hopClass(due, congestion, payment, p, standing)    premium (1) or not (0)
//   on   = carriedOn(left, congestion, p)                     what a packet that goes on carries on
//
// The hop kernel (engine/pipeline.ts) and the queueing-delay replay of classes
// (metrics/queueing-delay.ts) both run these steps, so the class and the money of a hop are written
// once. Each step takes what the one before it computed: scalars in, a number out, nothing
// allocated and nothing computed twice on the kernel's hot loop, where V8 inlines them.

/**
 * What a packet carrying `payment` carries after the fixed toll `due` is charged, capped at what
 * it carries (`fixedTollCharged`).
 *
 * @example afterFixedToll(6, 15) // 9
 * @example afterFixedToll(50, 20) // 0: the toll takes all it carries
 */
export function afterFixedToll(due: number, payment: number): number {
  return payment - fixedTollCharged(due, payment);
}

/**
 * The class of a packet at the link: 1 (premium, served first under payment scheduling) when it
 * paid the fixed toll `due` in full and was not at risk from the congestion toll
 * (`dropProbability`, from `congestionDropProbability`, is 0), at least one of the two tolls was
 * positive, and the sender of the link it came in on is in good standing (`inGoodStanding`: no
 * unpaid debts, or it is the first link); else 0.
 *
 * @example hopClass(6, 4, 15, 0, true) // pays 6, then 4 of the 9 left: 1
 * @example hopClass(6, 5, 10, 0.2, true) // 4 left against a toll of 5: underpaid, 0
 * @example hopClass(0, 0, 10, 0, true) // nothing asked: 0
 */
export function hopClass(due: number, congestion: number, payment: number, dropProbability: number, inGoodStanding: boolean): number {
  return fixedTollCharged(due, payment) === due && dropProbability === 0 && due + congestion > 0 && inGoodStanding ? 1 : 0;
}

/**
 * What a packet that goes on (not dropped) carries on past the link, from what it `left` after
 * the fixed toll: less the congestion toll when it covers it (`dropProbability` 0), nothing when
 * it does not (a surviving underpayer gives up all it carries).
 *
 * @example carriedOn(9, 4, 0) // 9 − 4 = 5
 * @example carriedOn(4, 5, 0.2) // underpaid: 0
 * @example carriedOn(7, 0, 0) // no congestion toll: 7
 */
export function carriedOn(left: number, congestion: number, dropProbability: number): number {
  if (dropProbability !== 0) return 0;
  return congestion > 0 ? left - congestion : left;
}

/**
 * What the link's sender keeps of a packet that goes on: all it carries less what it carries on
 * (the steps above), i.e. the fixed toll charged plus the congestion toll when the packet covers
 * it, or all it carries when it does not.
 *
 * @example keptAtHop(6, 4, 15) // 15 − 5 = 6 + 4 = 10
 * @example keptAtHop(6, 5, 10) // underpaid: all 10
 */
export function keptAtHop(due: number, congestion: number, payment: number): number {
  const left = afterFixedToll(due, payment);
  return payment - carriedOn(left, congestion, congestionDropProbability(congestion, left));
}

/**
 * What the payee keeps of a packet that reaches it carrying `remaining` (its `receiverKeeps`:
 * `perPacket` units plus a `fraction` of the rest, whole units, at most what the packet carries);
 * the rest goes back on the return leg.
 *
 * @example receiverKept(1, 0, 14) // 1
 * @example receiverKept(0, 0.5, 5) // 2.5 rounds to 3
 * @example receiverKept(10, 0, 4) // at most the 4 it carries
 */
export function receiverKept(perPacket: number, fraction: number, remaining: number): number {
  return Math.min(remaining, Math.max(0, Math.round(perPacket + fraction * remaining)));
}

/**
 * The toll a link announces per packet of `bytes` (what price beacons add up along a path): the
 * fixed toll on a packet with no payment to take a share of, plus the congestion toll.
 *
 * @example announcedLinkToll(1, 0.002, 10, 1500) // 1 + 3 + 10 = 14
 */
export function announcedLinkToll(perPacket: number, perByte: number, congestion: number, bytes: number): number {
  return Math.max(0, fixedTollDue(perPacket, perByte, 0, 0, bytes)) + congestion;
}

/** The fixed plus proportional toll on one packet, in whole units, never more than it carries. */
export function fixedToll(tariff: Readonly<Tariff>, payment: number, bytes: number): number {
  return fixedTollCharged(fixedTollDue(tariff.perPacket, tariff.perByte, tariff.proportional, payment, bytes), payment);
}

/**
 * The toll a link announces for a packet of `bits` (what price beacons carry and users compare):
 * the fixed toll in whole units, plus the congestion toll. The proportional toll depends on the
 * payment a packet carries, so it is not part of an announced price.
 *
 * @example announcedToll(2, 0.001, 5, 12_000) // round(2 + 0.001 × 1500) + 5 = 9
 */
export function announcedToll(perPacket: number, perByte: number, congestion: number, bits: number): number {
  return announcedLinkToll(perPacket, perByte, congestion, bits / 8);
}

/**
 * The announced price of a route: the sum of its links' announced tolls for a packet of `bits`.
 *
 * @example announcedRoutePrice([{ ...FREE_TARIFF, perPacket: 2 }, { ...FREE_TARIFF, perPacket: 1, congestion: 3 }], 12_000) // 6
 */
export function announcedRoutePrice(tariffs: readonly Readonly<Tariff>[], bits: number): number {
  let price = 0;
  for (const t of tariffs) price += announcedToll(t.perPacket, t.perByte, t.congestion, bits);
  return price;
}

/** Outcome of the congestion toll for a packet that carries `payment` after the fixed toll. */
export interface CongestionOutcome {
  /** Units kept by the ISP from a packet that is not dropped. */
  kept: number;
  /** Probability that the packet is dropped. */
  dropProbability: number;
}

/**
 * §2.1: "All packets with nanopayments above the congestion toll pass and the congestion toll is
 * deducted. The packets with nanopayments smaller than the congestion toll get dropped with
 * probability proportional to the difference between the toll and the nanopayment." An
 * underpaying packet that survives gives up all it carries.
 */
export function congestionOutcome(congestionToll: number, payment: number): CongestionOutcome {
  if (congestionToll <= 0) return { kept: 0, dropProbability: 0 };
  const dropProbability = congestionDropProbability(congestionToll, payment);
  return { kept: dropProbability === 0 ? congestionToll : payment, dropProbability };
}

/** Checks a tariff an ISP strategy returned; returns the name of the first bad field, or null. */
export function invalidTariffField(tariff: Readonly<Tariff>): keyof Tariff | null {
  for (const key of TARIFF_CHECK_ORDER) if (!tariffValueValid(tariff[key], TARIFF_SHARES.has(key))) return key;
  return null;
}

/** Fields that are shares of a payment or of packets: at most 1. */
const TARIFF_SHARES: ReadonlySet<keyof Tariff> = new Set(["proportional", "dropShare"]);
/** The order in which `invalidTariffField` names a bad field: the amounts, then the shares. */
const TARIFF_CHECK_ORDER = [...TARIFF_KEYS.filter((key) => !TARIFF_SHARES.has(key)), ...TARIFF_KEYS.filter((key) => TARIFF_SHARES.has(key))];

/** Whether `value` may stand in a tariff field: a finite number ≥ 0, and ≤ 1 for a share. */
function tariffValueValid(value: number, share: boolean): boolean {
  return Number.isFinite(value) && value >= 0 && !(share && value > 1);
}

/**
 * The first row `j < count` of tariff columns (one column per field) whose tariff is not valid,
 * or -1: `invalidTariffField` checked a column at a time, for the engine's column form.
 */
export function firstInvalidTariffRow(columns: Readonly<Record<keyof Tariff, ArrayLike<number>>>, count: number): number {
  let first = count;
  for (const key of TARIFF_CHECK_ORDER) {
    const column = columns[key];
    const share = TARIFF_SHARES.has(key);
    for (let j = 0; j < first; j++) {
      if (!tariffValueValid(column[j]!, share)) {
        first = j;
        break;
      }
    }
  }
  return first === count ? -1 : first;
}
