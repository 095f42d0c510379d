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
