/**
 * Crypto cost of the security protocols (issue 15 item 7): ed25519 signatures and verifications
 * per second on this machine beside the pricing paper's 109,000 / 71,000, and 16-byte
 * HMAC-SHA-256 MACs per second, the header room (bytes per packet on a 4-AS path), and the
 * engine's throughput on Table I's pipeline with security off, with beacons, and with beacons +
 * in-path updates, in the same run (`engineSecurityBench`). Figures, never assertions.
 */
import { performance } from "node:perf_hooks";
import { policyScenario, SCALES } from "../src/reproduce/table1.js";
import { parseScenario } from "../src/scenario/load.js";
import { runScenario } from "../src/scenario/run.js";
import type { ScenarioInput } from "../src/scenario/schema.js";
import { headerRoom } from "../src/security/header-extension.js";
import { deriveAsKeys, macBytes, signBytes, verifyBytes } from "../src/security/keys.js";

/** The figures of the security bench. */
export interface SecurityBench {
  ed25519SignPerSec: number;
  ed25519VerifyPerSec: number;
  paperSignPerSec: number;
  paperVerifyPerSec: number;
  hmacSha256MacsPerSec: number;
  /** Bytes per packet on a 4-AS path (src/security/header-extension.ts `headerRoom`). */
  headerBytes4AsNoOads: number;
  headerBytes4AsOads: number;
  headerBytes4AsPayments: number;
  headerBytes4AsPaymentsAndUpdates: number;
}

/** Operations per second of `op`, run for about `seconds`. */
function rate(op: () => void, seconds: number): number {
  for (let i = 0; i < 200; i++) op();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 200; i++) op();
    n += 200;
    elapsed = performance.now() - start;
  }
  return Math.round(n / (elapsed / 1000));
}

/** Measures signing, verifying and MACing a 100-byte message, one thread. */
export function securityBench(seconds = 1): SecurityBench {
  const keys = deriveAsKeys(1, "A");
  const message = Buffer.alloc(100, 7);
  const signature = signBytes(keys.privateKey, message);
  const macKey = keys.localSecret;
  return {
    ed25519SignPerSec: rate(() => signBytes(keys.privateKey, message), seconds),
    ed25519VerifyPerSec: rate(() => verifyBytes(keys.publicKey, message, signature), seconds),
    paperSignPerSec: 109_000,
    paperVerifyPerSec: 71_000,
    hmacSha256MacsPerSec: rate(() => macBytes(macKey, message), seconds),
    ...headerBytes(),
  };
}

/** The header-room figures for a 4-AS path, named for the bench's table. */
function headerBytes(): Pick<SecurityBench, "headerBytes4AsNoOads" | "headerBytes4AsOads" | "headerBytes4AsPayments" | "headerBytes4AsPaymentsAndUpdates"> {
  const [noOads, oads, payments, both] = headerRoom(4).map((row) => row.bytes);
  return { headerBytes4AsNoOads: noOads!, headerBytes4AsOads: oads!, headerBytes4AsPayments: payments!, headerBytes4AsPaymentsAndUpdates: both! };
}

// --- Authenticated payments (issue 15 items 7 and 8; bench/payments.ts runs this alone) ---------

/** The figures of the payments bench: crypto per field, and the engine with payments on against off in the same run. */
export interface PaymentsBench {
  /** HMAC-SHA-256 (16-byte tag) over an Eq. 10 MAC input (33 bytes for a 2-letter source), per second. */
  macsPerSec: number;
  /** One field MACed by the source (its key fetched once) and checked by its AS (key derived on the fly + MAC), per second. */
  fieldsSignedAndCheckedPerSec: number;
  /** The Table I run (dynamic α = 4) timed: rounds, flows' batch-hops, fields checked. */
  engineRounds: number;
  engineOffSec: number;
  engineOnSec: number;
  engineOffBatchHopsPerSec: number;
  engineOnBatchHopsPerSec: number;
  /** Throughput with payments on over off (batch-hops per second). */
  onOverOff: number;
  fieldsCheckedPerRound: number;
  macsPerRound: number;
  /** Bytes per packet on a 4-AS path: Bill-Pay header alone / with OADs, and each plus the payment fields. */
  headerBytes4AsNoPayments: number;
  headerBytes4AsWithPayments: number;
  headerBytes4AsOadsNoPayments: number;
  headerBytes4AsOadsWithPayments: number;
}

/**
 * Measures the payment fields' crypto, then runs Table I's dynamic α = 4 scenario (`scale`,
 * `rounds`) in this thread with `security.payments` off and on, alternately `repeats` times, and
 * keeps each side's fastest run.
 */
export async function paymentsBench(options: { seconds?: number; rounds?: number; scale?: "test" | "small"; repeats?: number } = {}): Promise<PaymentsBench> {
  const { seconds = 1, rounds = 10, scale = "test", repeats = 2 } = options;
  // Imported here, so that this function merges as one block beside the other benches of this file.
  const { makePaymentField, checkPaymentField } = await import("../src/security/payment.js");
  const { drkey } = await import("../src/security/keys.js");
  const { extensionSize } = await import("../src/security/header-extension.js");
  const { parseScenario } = await import("../src/scenario/load.js");
  const { runScenario } = await import("../src/scenario/run.js");
  const { policyScenario, SCALES } = await import("../src/reproduce/table1.js");
  const as = deriveAsKeys(1, "AS7");
  const macInput = Buffer.alloc(33, 3);
  const macsPerSec = rate(() => macBytes(as.localSecret, macInput), seconds);
  let id = 0n;
  const sourceKey = drkey(as, "H1");
  const fieldsSignedAndCheckedPerSec = rate(() => {
    const field = makePaymentField(sourceKey, "H1", id++, 2, 120n, 14n, 100);
    if (checkPaymentField(as, "H1", id - 1n, 2, field, 50) !== "ok") throw new Error("bench: an honest field failed");
  }, seconds);
  const input = policyScenario({ kind: "dynamic", alpha: 4 }, { scale: { ...SCALES[scale], rounds }, seed: 1 });
  const time = async (payments: boolean) => {
    const loaded = parseScenario(payments ? { ...input, security: { payments: {} } } : input);
    const started = performance.now();
    const { built, summary } = await runScenario(loaded, { flowSummaries: false });
    return { sec: (performance.now() - started) / 1000, batchHops: built.simulation.work.batchHops, checked: summary.payments?.checked ?? 0, macs: summary.payments?.macs ?? 0 };
  };
  let off = { sec: Infinity, batchHops: 0, checked: 0, macs: 0 };
  let on = { ...off };
  for (let r = 0; r < repeats; r++) {
    const a = await time(false);
    if (a.sec < off.sec) off = a;
    const b = await time(true);
    if (b.sec < on.sec) on = b;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    macsPerSec, fieldsSignedAndCheckedPerSec,
    engineRounds: rounds, engineOffSec: r3(off.sec), engineOnSec: r3(on.sec),
    engineOffBatchHopsPerSec: Math.round(off.batchHops / off.sec), engineOnBatchHopsPerSec: Math.round(on.batchHops / on.sec),
    onOverOff: r3(on.batchHops / on.sec / (off.batchHops / off.sec)),
    fieldsCheckedPerRound: Math.round(on.checked / rounds), macsPerRound: Math.round(on.macs / rounds),
    headerBytes4AsNoPayments: 4, headerBytes4AsWithPayments: 4 + extensionSize(4, 0),
    headerBytes4AsOadsNoPayments: 4 + 2 * 2 * 4, headerBytes4AsOadsWithPayments: 4 + 2 * 2 * 4 + extensionSize(4, 0),
  };
}

/** One arm of the engine bench. */
export interface EngineSecurityArm {
  arm: "off" | "beacons" | "beacons+in-path";
  /** Seconds of the first round: the beacon warm-up (and its first interval) with security. */
  firstRoundSec: number;
  /** Rounds after the first, and what they took. */
  rounds: number;
  roundsSec: number;
  /** Flows alive per round, summed over those rounds, per second of them. */
  flowRoundsPerSec: number;
  /** Beacon intervals played in the run (warm-up included), and the signatures and checks they took. */
  beaconIntervals: number;
  signatures: number;
  verifications: number;
}

/**
 * Table I's α = 4 run at test scale on a generated network of `nodes` ASes (default 120: the
 * beacon warm-up on Table I's 550 ASes takes minutes, see docs/security.md), in this thread,
 * `rounds` rounds (default 31: two beacon intervals after the first round), for each arm.
 */
export async function engineSecurityBench(options: { nodes?: number; rounds?: number } = {}): Promise<EngineSecurityArm[]> {
  const nodes = options.nodes ?? 120;
  const rounds = options.rounds ?? 31;
  const base = policyScenario({ kind: "dynamic", alpha: 4 }, { scale: SCALES.test, seed: 1 });
  const arms: [EngineSecurityArm["arm"], ScenarioInput["security"]][] = [["off", undefined], ["beacons", { beacons: {} }], ["beacons+in-path", { beacons: {}, inPathUpdates: {} }]];
  const out: EngineSecurityArm[] = [];
  for (const [arm, security] of arms) {
    const scenario: ScenarioInput = { ...base, rounds, topology: { kind: "generated", nodes, seed: 1, capacityBps: 500e9 * SCALES.test.factor }, ...(security ? { security } : {}) };
    const times: number[] = [];
    let flowRounds = 0;
    const start = performance.now();
    const { built } = await runScenario(parseScenario(scenario), {
      observers: [{ onRound: (report) => {
        times.push(performance.now());
        if (report.round > 0) flowRounds += report.activeFlows;
      } }],
    });
    const first = times[0]! - start;
    const rest = (times.at(-1)! - times[0]!) / 1000;
    const totals = built.simulation.beacons?.totals;
    out.push({
      arm, firstRoundSec: round2(first / 1000), rounds: rounds - 1, roundsSec: round2(rest), flowRoundsPerSec: Math.round(flowRounds / rest),
      beaconIntervals: totals?.intervals ?? 0, signatures: totals?.signatures ?? 0, verifications: totals?.verifications ?? 0,
    });
  }
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
