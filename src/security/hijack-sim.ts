/**
 * One hijacked end host for a stretch of time (Bill-Pay §2.4), packet by packet, on real bytes
 * with real MACs: honest applications and possibly a hijacked one ask the digital secretary for
 * payments; the secretary applies the user's willingness per application (DigitalSecretary) and,
 * when the regime has it, its anomaly rule (AnomalyRule), then emits a frame (host-frame.ts)
 * carrying its checksum (host-mac.ts, keyed with the edge AS's DRKey for the host); a man in the
 * middle may rewrite the frames; the edge router decodes each frame and, when the regime has
 * MACs, drops those whose checksum fails or whose sequence number is not new. Money moves only
 * for frames the router accepts.
 *
 * Money leaked is what the host's organisation pays that the user did not want: every accepted
 * payment except, for each frame the secretary vouched for an honest application, one delivery
 * of at most the vouched amount to the vouched destination. So a redirected frame leaks its whole
 * payment, an inflated one the excess, a replay or a forgery all of it, and every payment of the
 * hijacked application all of it. By construction, accepted = honest paid + leaked.
 */
import { TollwayError } from "../errors.js";
import { createRng, deriveSeed, type Rng } from "../engine/random.js";
import { DigitalSecretary } from "../mechanisms/billpay/secretary.js";
import { MAX_PAYMENT, type BillPayHeader } from "../model/header.js";
import { AnomalyRule } from "./anomaly.js";
import { exponentialWait, type AttackerStrategy } from "./attacker.js";
import { decodeHostFrame, encodeHostFrame, frameFields } from "./host-frame.js";
import { deriveEdgeKey, edgeVerify, HOST_MAC_BYTES, secretaryChecksum } from "./host-mac.js";
import { deriveAsKeys } from "./keys.js";

/** Which defences are on: the edge router's MAC check, the secretary's anomaly rule, both, or none. */
export type DefenceRegime = "none" | "macs" | "anomaly" | "macs+anomaly";

/** The regimes in the order the experiment reports them. */
export const REGIMES: readonly DefenceRegime[] = ["none", "macs", "macs+anomaly", "anomaly"];

/** The honest traffic of the host: one application's Poisson stream of paid packets. */
export interface HonestTraffic {
  /** Application class, as the secretary knows it. */
  application: string;
  /** Mean paid packets per second. */
  ratePerSec: number;
  /** Nanopayment per packet, at most the application's willingness. */
  payment: number;
  /** Where the honest packets go. */
  destination: string;
  /** Gaps between packets: exponential (a Poisson stream, the default) or all exactly 1 / rate. */
  spacing?: "poisson" | "even";
}

/** Everything about the host but the attacker and the regime. */
export interface HijackSetup {
  /** Simulated seconds. */
  durationSec: number;
  /** The host's id (its DRKey is derived for it). */
  host: string;
  /** The AS whose trusted edge router checks the host's frames. */
  edgeAs: string;
  honest: HonestTraffic;
  /** The secretary's willingness per application class (most it pays per packet). */
  willingness: Readonly<Record<string, number>>;
  /** The application the impersonator hijacks (its requests get that class's willingness). */
  hijackedApplication: string;
  /** The secretary's anomaly rule, when the regime has it. */
  anomaly: { windowSec: number; budgetPerWindow: number };
}

/**
 * The secretary's anomaly budget for one window: `headroom` times what the honest traffic is
 * expected to spend in it (rate × payment × window), rounded up.
 *
 * @example anomalyBudget({ ratePerSec: 10, payment: 20 }, 60, 1.5) // 1.5 × 10 × 20 × 60 = 18000
 */
export function anomalyBudget(honest: Pick<HonestTraffic, "ratePerSec" | "payment">, windowSec: number, headroom: number): number {
  if (!(headroom > 0 && Number.isFinite(headroom))) throw new TollwayError(`must be a positive finite number (got ${String(headroom)})`, { field: "hijack.headroom" });
  return Math.ceil(headroom * honest.ratePerSec * honest.payment * windowSec);
}

/**
 * The default host: an hour of a video call sending 10 paid packets a second at 20 nanodollars
 * each (Bill-Pay Figure 1's payment), which the secretary would pay up to 50 for; the edge
 * router's AS is "edge"; the anomaly rule allows 1.5 times the expected honest spending per
 * minute (18,000 nanodollars).
 */
export const DEFAULT_HIJACK_SETUP: HijackSetup = {
  durationSec: 3600,
  host: "host-1",
  edgeAs: "edge",
  honest: { application: "video-call", ratePerSec: 10, payment: 20, destination: "198.51.100.10" },
  willingness: { "video-call": 50 },
  hijackedApplication: "video-call",
  anomaly: { windowSec: 60, budgetPerWindow: anomalyBudget({ ratePerSec: 10, payment: 20 }, 60, 1.5) },
};

/** The attacker of a run and its raw parameters (parsed with its zod schema, defaults filled). */
export interface HijackAttack {
  strategy: AttackerStrategy;
  params?: unknown;
}

/** What happened in one run; money in the setup's unit (nanodollars in the defaults). */
export interface HijackOutcome {
  regime: DefenceRegime;
  attacker: string;
  seed: number;
  durationSec: number;
  /** Paid by the organisation without the user wanting it. */
  leaked: bigint;
  /** Asked for by the honest application. */
  honestAsked: bigint;
  /** Delivered as the user wanted. */
  honestPaid: bigint;
  /** Refused by the secretary (willingness or anomaly rule). */
  honestRefused: bigint;
  /** Vouched for by the secretary but not delivered as vouched (dropped or rewritten on the way). */
  honestLost: bigint;
  /** Asked for by the hijacked application (0 for a man in the middle). */
  attackerAsked: bigint;
  /** All payments the edge router accepted: honestPaid + leaked. */
  accepted: bigint;
  /** Payment requests: honest, and by the hijacked application. */
  requests: { honest: number; attacker: number };
  /** Frames the router received, accepted, and dropped by reason. */
  frames: { received: number; accepted: number; malformed: number; badMac: number; replayed: number };
}

/**
 * Runs one host for `setup.durationSec` under `regime` with `attack`. The honest stream and the
 * attacker draw from separate streams derived from `seed`, so every regime sees the same honest
 * traffic and (unless it adapts to refusals) the same attacker.
 *
 * @example
 * simulateHijack(DEFAULT_HIJACK_SETUP, { strategy: impersonation }, "macs", 1).leaked // > 0n: MACs do not stop impersonation
 * simulateHijack(DEFAULT_HIJACK_SETUP, { strategy: manInTheMiddle }, "macs", 1).leaked // 0n: they stop the man in the middle
 */
export function simulateHijack(setup: HijackSetup, attack: HijackAttack, regime: DefenceRegime, seed: number): HijackOutcome {
  validateSetup(setup);
  const strategy = attack.strategy;
  const params = parseAttackerParams(strategy, attack.params);
  const macs = regime === "macs" || regime === "macs+anomaly";
  const anomaly = regime === "anomaly" || regime === "macs+anomaly"
    ? new AnomalyRule({ windowSec: setup.anomaly.windowSec, budgetPerWindow: BigInt(setup.anomaly.budgetPerWindow) })
    : null;
  const key = deriveEdgeKey(deriveAsKeys(seed, setup.edgeAs).localSecret, setup.host);
  // No spending budget here: the anomaly rule is the limit under study.
  const secretary = new DigitalSecretary(
    setup.host,
    Object.fromEntries(Object.entries(setup.willingness).map(([app, w]) => [app, { willingness: BigInt(w), questions: 0 }])),
    null,
  );
  const noMac = new Uint8Array(HOST_MAC_BYTES);

  const out: HijackOutcome = {
    regime, attacker: strategy.id, seed, durationSec: setup.durationSec,
    leaked: 0n, honestAsked: 0n, honestPaid: 0n, honestRefused: 0n, honestLost: 0n, attackerAsked: 0n, accepted: 0n,
    requests: { honest: 0, attacker: 0 },
    frames: { received: 0, accepted: 0, malformed: 0, badMac: 0, replayed: 0 },
  };
  /** Honest frames the secretary vouched for and the router has not yet delivered as vouched, by seq. */
  const vouched = new Map<number, { destination: string; payment: bigint }>();
  let vouchedHonest = 0n;
  let nextSeq = 0;
  let lastAcceptedSeq = -1;

  // The secretary: willingness, then the anomaly rule, then the frame with its checksum.
  const secretaryFrame = (timeSec: number, application: string, destination: string, payment: number, honest: boolean): Uint8Array | null => {
    const amount = BigInt(payment);
    if (amount > secretary.willingnessFor(application)) return null;
    if (anomaly !== null && !anomaly.approve(setup.host, timeSec, amount)) return null;
    secretary.book(application, destination, amount);
    const seq = nextSeq++;
    const header: BillPayHeader = { version: 1, payment, ispOads: [], userOads: [] };
    const mac = macs ? secretaryChecksum(key, { source: setup.host, destination, payment: amount, seq }) : noMac;
    if (honest) {
      vouched.set(seq, { destination, payment: amount });
      vouchedHonest += amount;
    }
    return encodeHostFrame({ mac, seq, destination, header });
  };

  // The edge router: decode, check (with MACs), then move the money.
  const router = (bytes: Uint8Array): void => {
    out.frames.received++;
    let frame;
    try {
      frame = decodeHostFrame(bytes);
    } catch (error) {
      if (!(error instanceof TollwayError)) throw error;
      out.frames.malformed++;
      return;
    }
    if (macs) {
      if (!edgeVerify(key, frameFields(frame, setup.host), frame.mac)) {
        out.frames.badMac++;
        return;
      }
      if (frame.seq <= lastAcceptedSeq) {
        out.frames.replayed++;
        return;
      }
      lastAcceptedSeq = frame.seq;
    }
    out.frames.accepted++;
    const payment = BigInt(frame.header.payment);
    out.accepted += payment;
    const wanted = vouched.get(frame.seq);
    if (wanted !== undefined && wanted.destination === frame.destination) {
      const intended = payment < wanted.payment ? payment : wanted.payment;
      out.honestPaid += intended;
      out.leaked += payment - intended;
      vouched.delete(frame.seq);
    } else {
      out.leaked += payment;
    }
  };

  const honestRng = createRng(deriveSeed(seed, 1));
  const attackRng: Rng = createRng(deriveSeed(seed, 2));
  let attackerState = strategy.init(params);
  const willingness = Number(secretary.willingnessFor(setup.hijackedApplication));

  // What leaves the host for one frame the secretary emitted.
  const emit = (timeSec: number, frame: Uint8Array): void => {
    if (strategy.kind !== "man-in-the-middle") return router(frame);
    const decision = strategy.decide({ timeSec, frame }, attackerState, params, attackRng);
    attackerState = decision.state;
    for (const f of decision.action.frames) router(f);
  };

  const honestGap = (): number => (setup.honest.spacing === "even" ? 1 / setup.honest.ratePerSec : exponentialWait(honestRng, setup.honest.ratePerSec));
  let nextHonest = honestGap();
  // The hijacked application's next request (null for a man in the middle).
  const askAttacker = (timeSec: number, lastRefused: boolean | null): { at: number; payment: number; destination: string } | null => {
    if (strategy.kind !== "impersonation") return null;
    const decision = strategy.decide({ timeSec, lastRefused, willingness }, attackerState, params, attackRng);
    attackerState = decision.state;
    const { waitSec, payment, destination } = decision.action;
    if (!(waitSec > 0 && Number.isFinite(waitSec))) throw new TollwayError(`must be a positive finite number (got ${String(waitSec)})`, { field: `${strategy.id}.waitSec` });
    if (!Number.isInteger(payment) || payment < 0 || payment > MAX_PAYMENT) throw new TollwayError(`must be an integer in 0..${MAX_PAYMENT} (got ${String(payment)})`, { field: `${strategy.id}.payment` });
    return { at: timeSec + waitSec, payment, destination };
  };
  let next = askAttacker(0, null);

  for (;;) {
    // On a tie the honest packet goes first.
    const request = next !== null && next.at < nextHonest ? next : null;
    const timeSec = request !== null ? request.at : nextHonest;
    if (timeSec >= setup.durationSec) break;
    if (request !== null) {
      out.requests.attacker++;
      out.attackerAsked += BigInt(request.payment);
      const frame = secretaryFrame(timeSec, setup.hijackedApplication, request.destination, request.payment, false);
      if (frame !== null) emit(timeSec, frame);
      next = askAttacker(timeSec, frame === null);
    } else {
      const { application, destination, payment } = setup.honest;
      out.requests.honest++;
      out.honestAsked += BigInt(payment);
      const frame = secretaryFrame(timeSec, application, destination, payment, true);
      if (frame === null) out.honestRefused += BigInt(payment);
      else emit(timeSec, frame);
      nextHonest += honestGap();
    }
  }
  out.honestLost = vouchedHonest - out.honestPaid;
  return out;
}

/** A count of money over `durationSec` as a rate per hour. */
export function perHour(amount: bigint | number, durationSec: number): number {
  return (Number(amount) * 3600) / durationSec;
}

/**
 * An attacker's parameters checked against its schema, defaults filled; a bad one gets a
 * `TollwayError` naming the attacker and the field, e.g. `impersonation.ratePerSec: ...`.
 */
export function parseAttackerParams(strategy: AttackerStrategy, raw: unknown): unknown {
  const parsed = strategy.params.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TollwayError(issue.message, { field: [strategy.id, ...issue.path.map(String)].join(".") });
  }
  return parsed.data;
}

function validateSetup(setup: HijackSetup): void {
  const positive = (value: number, field: string): void => {
    if (!(value > 0 && Number.isFinite(value))) throw new TollwayError(`must be a positive finite number (got ${String(value)})`, { field: `hijack.${field}` });
  };
  positive(setup.durationSec, "durationSec");
  positive(setup.honest.ratePerSec, "honest.ratePerSec");
  positive(setup.anomaly.windowSec, "anomaly.windowSec");
  for (const [field, value] of [["honest.payment", setup.honest.payment], ["anomaly.budgetPerWindow", setup.anomaly.budgetPerWindow]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new TollwayError(`must be a non-negative integer (got ${String(value)})`, { field: `hijack.${field}` });
  }
  for (const [app, w] of Object.entries(setup.willingness)) {
    if (!Number.isSafeInteger(w) || w < 0) throw new TollwayError(`must be a non-negative integer (got ${String(w)})`, { field: `hijack.willingness.${app}` });
  }
  const allowed = setup.willingness[setup.honest.application];
  if (allowed === undefined || setup.honest.payment > allowed) {
    throw new TollwayError(`the honest payment ${setup.honest.payment} must be within the willingness for "${setup.honest.application}" (${String(allowed ?? "none")})`, { field: "hijack.honest.payment" });
  }
  if (setup.willingness[setup.hijackedApplication] === undefined) {
    throw new TollwayError(`"${setup.hijackedApplication}" has no willingness`, { field: "hijack.hijackedApplication" });
  }
}
