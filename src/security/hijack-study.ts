/**
 * The hijacked-host experiment (Bill-Pay §2.4, issue 15 item 5): money leaked per hour by each
 * attacker under each defence regime, over seeded replications, with 95% intervals. Every
 * (attacker, regime) pair runs the same replications (common random numbers: replication r has
 * the same seed, so the same honest traffic, in every cell). Leaks cannot be negative, so the
 * interval is the bootstrap percentile one ({@link intervalFor} "nonNegative").
 */
import { createHash } from "node:crypto";
import { bootstrapSeed, expandPoints, runPoints } from "../analysis/points.js";
import { intervalFor, type IntervalMethod } from "../metrics/stats.js";
import type { AttackerStrategy } from "./attacker.js";
import { impersonation, manInTheMiddle } from "./attackers/index.js";
import { DEFAULT_HIJACK_SETUP, parseAttackerParams, perHour, REGIMES, simulateHijack, type DefenceRegime, type HijackSetup } from "./hijack-sim.js";

/** One attacker of the study with its parameters. */
export interface StudyAttack {
  strategy: AttackerStrategy;
  params?: Record<string, unknown>;
}

/** Options of {@link hijackStudy}. */
export interface HijackStudyOptions {
  /** Replications per cell (default 10). */
  reps?: number;
  /** Seed the replications' seeds derive from (default 1). */
  baseSeed?: number;
  /** The host (default {@link DEFAULT_HIJACK_SETUP}: an hour of a 10-packet/s video call). */
  setup?: HijackSetup;
  /** The attackers (default: impersonation and man in the middle, each with its defaults). */
  attacks?: readonly StudyAttack[];
  /** The regimes (default {@link REGIMES}). */
  regimes?: readonly DefenceRegime[];
  onProgress?: (done: number, total: number) => void;
}

/** One run: one attacker, one regime, one replication; money per hour. */
export interface HijackRunRow {
  attack: string;
  regime: DefenceRegime;
  rep: number;
  seed: number;
  leakedPerHour: number;
  honestAskedPerHour: number;
  honestPaidPerHour: number;
  honestRefusedPerHour: number;
  honestLostPerHour: number;
  attackerAskedPerHour: number;
  framesReceived: number;
  framesAccepted: number;
  framesBadMac: number;
  framesReplayed: number;
}

/** One (attacker, regime) cell over the replications. */
export interface HijackSummaryRow {
  attack: string;
  regime: DefenceRegime;
  reps: number;
  /** Mean money leaked per hour and its 95% interval. */
  leakedPerHour: number;
  leakedCi95Low: number;
  leakedCi95High: number;
  /** Mean leak as a share of the same attacker's mean leak with no defences (NaN when that is 0). */
  leakedVsNone: number;
  /** Honest money per hour that did not arrive as wanted: refused by the secretary or lost on the way. */
  honestDeniedPerHour: number;
  honestDeniedCi95Low: number;
  honestDeniedCi95High: number;
  /** Share of the honest money asked for that did not arrive as wanted. */
  honestDeniedShare: number;
  ciMethod: IntervalMethod;
}

/** What {@link hijackStudy} returns. */
export interface HijackStudyResult {
  scenario: "hijack";
  /** SHA-256 (16 hex digits) of the setup, attackers' parsed parameters and regimes. */
  scenarioHash: string;
  baseSeed: number;
  reps: number;
  setup: HijackSetup;
  attacks: { id: string; params: unknown }[];
  runs: HijackRunRow[];
  summary: HijackSummaryRow[];
}

/**
 * Runs every attacker under every regime for `reps` replications and summarises the leak.
 *
 * @example
 * const r = await hijackStudy({ reps: 5 });
 * r.summary.find((s) => s.attack === "man-in-the-middle" && s.regime === "macs")!.leakedPerHour; // 0
 */
export async function hijackStudy(options: HijackStudyOptions = {}): Promise<HijackStudyResult> {
  const reps = options.reps ?? 10;
  const baseSeed = options.baseSeed ?? 1;
  const setup = options.setup ?? DEFAULT_HIJACK_SETUP;
  const attacks = options.attacks ?? [{ strategy: impersonation }, { strategy: manInTheMiddle }];
  const regimes = options.regimes ?? REGIMES;
  const parsed = attacks.map((a) => ({ id: a.strategy.id, params: parseAttackerParams(a.strategy, a.params) }));
  const configs = attacks.flatMap((attack) => regimes.map((regime) => ({ attack, regime })));
  const points = expandPoints(configs, reps, baseSeed);
  const runs = await runPoints(points, async ({ config, rep, seed }) => {
    const o = simulateHijack(setup, config.attack, config.regime, seed);
    const hour = (x: bigint) => perHour(x, o.durationSec);
    return {
      attack: o.attacker, regime: o.regime, rep, seed,
      leakedPerHour: hour(o.leaked), honestAskedPerHour: hour(o.honestAsked), honestPaidPerHour: hour(o.honestPaid),
      honestRefusedPerHour: hour(o.honestRefused), honestLostPerHour: hour(o.honestLost), attackerAskedPerHour: hour(o.attackerAsked),
      framesReceived: o.frames.received, framesAccepted: o.frames.accepted, framesBadMac: o.frames.badMac, framesReplayed: o.frames.replayed,
    } satisfies HijackRunRow;
  }, { onProgress: options.onProgress });

  const resampling = { seed: bootstrapSeed(baseSeed) };
  const cells = configs.map(({ attack, regime }) => {
    const rows = runs.filter((r) => r.attack === attack.strategy.id && r.regime === regime);
    const leak = intervalFor(rows.map((r) => r.leakedPerHour), "nonNegative", resampling);
    const denied = intervalFor(rows.map((r) => r.honestRefusedPerHour + r.honestLostPerHour), "nonNegative", resampling);
    const asked = rows.reduce((sum, r) => sum + r.honestAskedPerHour, 0);
    return { attack: attack.strategy.id, regime, leak, denied, deniedShare: asked > 0 ? (denied.estimate * rows.length) / asked : 0 };
  });
  const summary = cells.map((c): HijackSummaryRow => {
    const none = cells.find((d) => d.attack === c.attack && d.regime === "none")?.leak.estimate;
    return {
      attack: c.attack, regime: c.regime, reps,
      leakedPerHour: c.leak.estimate, leakedCi95Low: c.leak.low, leakedCi95High: c.leak.high,
      leakedVsNone: none === undefined || none === 0 ? Number.NaN : c.leak.estimate / none,
      honestDeniedPerHour: c.denied.estimate, honestDeniedCi95Low: c.denied.low, honestDeniedCi95High: c.denied.high,
      honestDeniedShare: c.deniedShare, ciMethod: c.leak.method,
    };
  });
  const scenarioHash = createHash("sha256").update(JSON.stringify({ setup, attacks: parsed, regimes })).digest("hex").slice(0, 16);
  return { scenario: "hijack", scenarioHash, baseSeed, reps, setup, attacks: parsed, runs, summary };
}
