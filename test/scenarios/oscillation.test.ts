/**
 * Bill-Pay §5, "does the packet-level routing flexibility of Bill-Pay introduce undesirable
 * oscillations?", on the smallest case, worked by hand: scenarios/billpay-oscillation.json cut to
 * 2 senders of 6,000 packets a round (1500 bytes) on two routes of 10,000 packets a round each
 * (120 Mbps). Every ISP charges 1 per packet plus round(20 · (load − 0.5)) when last round's load
 * was above 0.5; each sender pays 40 per packet.
 *
 *   both on one route:  X→Y offered 12,000 of 10,000: load 1.2, congestion 14; Y→B gets 10,000:
 *                       load 1.0, congestion 10. Next round's price there 1 + 14 + 1 + 10 = 26.
 *                       5,000 of each sender's 6,000 get through (share 5/6).
 *   one on each route:  load 0.6 on every link, congestion round(2) = 2: price 1 + 2 + 1 + 2 = 6.
 *   an empty route:     price 1 + 1 = 2.
 *
 * Money of one sender in one round (its acks return on B→Y→X→A, where X and Y keep 1 each):
 *   on the route that was empty last round, with its partner: 6,000 · 40 out, 5,000 delivered with
 *     40 − 2 − 2 = 36 back: 240,000 − 180,000 = 60,000 (the 1,000 dropped packets' 40 each are
 *     kept by X, which dropped them: 40,000 of it);
 *   on the congested route, with its partner: 40 − 26 − 2 = 12 back: 240,000 − 60,000 = 180,000;
 *   split: all 6,000 delivered, 40 − 6 − 2 = 32 back: 240,000 − 192,000 = 48,000.
 */
import { describe, expect, it } from "vitest";
import type { RoundReport, Simulation, SimulationObserver } from "../../src/engine/simulation.js";
import { findLink } from "../../src/model/topology.js";
import { GameMetrics } from "../../src/metrics/game-metrics.js";
import { changeScenario } from "../../src/scenario/change.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { expectGolden } from "../support/golden.js";
import { ROOT } from "../support/run.js";

const loaded = loadScenarioFile(ROOT + "scenarios/billpay-oscillation.json");

/** Per round: each sender's route ("Y" or "Z") and the announced price of each route. */
class RouteLog implements SimulationObserver {
  readonly routes: string[] = [];
  readonly prices: { Y: number; Z: number }[] = [];

  onRound(report: RoundReport, simulation: Simulation): void {
    const t = simulation.topology;
    const price = (from: string, to: string) => {
      const l = findLink(t, t.nodeIndex.get(from)!, t.nodeIndex.get(to)!);
      return report.tariffs.perPacket[l]! + report.tariffs.congestion[l]!;
    };
    this.prices.push({ Y: price("X", "Y") + price("Y", "B"), Z: price("X", "Z") + price("Z", "B") });
    const row: string[] = [];
    simulation.forEachFlow((c, i) => row.push(c.lastPath[i] === 0 ? "Y" : "Z"));
    this.routes.push(row.join(""));
  }
}

/** The two-sender case with this damping, for `rounds` rounds. */
async function twoSenders(damping: Record<string, number>, rounds: number, seed = 1) {
  const scenario = changeScenario(loaded, (s) => ({
    seed, rounds,
    flows: s.flows.slice(0, 2).map((f) => ({ ...f, packetsPerRound: 6000, params: { ...f.params, ...damping } })),
  }));
  const log = new RouteLog();
  const metrics = GameMetrics.forScenario(scenario.scenario);
  const { summary } = await runScenario(scenario, { observers: [log, ...metrics.observers] });
  return { log, summary, metrics: metrics.result() };
}

describe("routing oscillation, 2 senders on 2 routes (Bill-Pay §5)", () => {
  it("offers the route via Y first", async () => {
    const { log } = await twoSenders({}, 1);
    expect(log.routes).toEqual(["YY"]); // a tie at 2 and 2 in round 0: both take route 0, via Y
  });

  it("undamped: both move to last round's empty route every round, a period of 2 rounds", async () => {
    const { log, summary, metrics } = await twoSenders({}, 8);
    expect(log.routes).toEqual(["YY", "ZZ", "YY", "ZZ", "YY", "ZZ", "YY", "ZZ"]);
    // Round 0 nothing is congested; then the route both used is at 26 and the other at 2.
    expect(log.prices).toEqual([{ Y: 2, Z: 2 }, { Y: 26, Z: 2 }, { Y: 2, Z: 26 }, { Y: 26, Z: 2 }, { Y: 2, Z: 26 }, { Y: 26, Z: 2 }, { Y: 2, Z: 26 }, { Y: 26, Z: 2 }]);
    // They always send where the toll is 2, so no congestion toll is ever paid, but one packet in 6 is lost.
    expect(summary.flows.map((f) => [f.sent, f.delivered, f.spent, f.pathSwitches])).toEqual([
      [48_000, 40_000, 8 * 60_000, 7], [48_000, 40_000, 8 * 60_000, 7],
    ]);
    // The oscillation measures: 14 switches over 2 flows · 8 s = 16/60 flow-minutes: 52.5 per flow-minute;
    // X→Y's price 1, 15, 1, 15, ...: a dominant period of 2 s carrying all the variance.
    expect(metrics.oscillation.switchesPerFlowMinute).toBeCloseTo(14 / (16 / 60), 9);
    expect(metrics.oscillation.prices.dominantPeriodSec).toBe(2);
    expect(metrics.oscillation.prices.settleSec).toBeNull();
  });

  it("minStay 1: still in step, now a period of 4 rounds, and every other round on the congested route", async () => {
    const { log, summary, metrics } = await twoSenders({ minStay: 1 }, 8);
    // Round 1 both move (then wait a round); round 3 Y is at 2 (empty in round 2) and Z at 26: move; and so on.
    expect(log.routes).toEqual(["YY", "ZZ", "ZZ", "YY", "YY", "ZZ", "ZZ", "YY"]);
    expect(log.prices.map((p) => `${p.Y}/${p.Z}`)).toEqual(["2/2", "26/2", "2/26", "2/26", "26/2", "26/2", "2/26", "2/26"]);
    // Rounds 0, 1, 3, 5, 7 on a route empty the round before (60,000); rounds 2, 4, 6 on the congested one (180,000).
    expect(summary.flows.map((f) => f.spent)).toEqual([5 * 60_000 + 3 * 180_000, 5 * 60_000 + 3 * 180_000]);
    expect(summary.flows.map((f) => f.pathSwitches)).toEqual([4, 4]);
    expect(metrics.oscillation.prices.dominantPeriodSec).toBe(4);
  });

  it("margin 30 (above the whole swing of 24): nobody moves, both stay on the congested route", async () => {
    const { log, summary, metrics } = await twoSenders({ margin: 30 }, 8);
    expect(log.routes).toEqual(Array(8).fill("YY"));
    expect(log.prices.slice(1)).toEqual(Array(7).fill({ Y: 26, Z: 2 }));
    // Round 0 at 60,000, then 180,000 a round: stable, and three times dearer than oscillating.
    expect(summary.flows.map((f) => [f.delivered, f.spent, f.pathSwitches])).toEqual([[40_000, 60_000 + 7 * 180_000, 0], [40_000, 60_000 + 7 * 180_000, 0]]);
    expect(metrics.oscillation.switchesPerFlowMinute).toBe(0);
  });

  it("probability 0.5: the senders split within a few rounds and then never move again (seeds 1 to 8)", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const { log, summary } = await twoSenders({ probability: 0.5 }, 16, seed);
      const split = log.routes.findIndex((r) => r === "YZ" || r === "ZY");
      // Each round from 1 on both senders on the dearer route draw; they split unless both or neither
      // move (chance 1/2 a round), so some round in 1..15 splits them but with chance 2^-15.
      expect(split, `seed ${seed}: ${log.routes.join(" ")}`).toBeGreaterThan(0);
      // Once split, both routes are at 6 from the next round on: no move is due, so none is made.
      expect(new Set(log.routes.slice(split)).size, `seed ${seed}: ${log.routes.join(" ")}`).toBe(1);
      expect(log.prices.slice(split + 1).every((p) => p.Y === 6 && p.Z === 6), `seed ${seed}`).toBe(true);
      // Nothing is lost once split: every packet after the split round is delivered.
      const lostBefore = summary.flows.reduce((s, f) => s + f.sent - f.delivered, 0);
      expect(lostBefore).toBe(split * 2_000);
    }
  });
});

describe("the shipped scenario, 20 senders", () => {
  it("undamped, all 20 flip every round: 600 a round each, 500 delivered; 6,000 spent a round each (as 2 senders, scaled by 1/10)", async () => {
    const { summary } = await runScenario(loaded);
    expect(summary.packets.sent).toBe(20 * 60 * 600);
    expect(summary.packets.delivered).toBe(20 * 60 * 500);
    expect(summary.flows.every((f) => f.pathSwitches === 59 && f.spent === 60 * 6_000)).toBe(true);
    expectGolden("billpay-oscillation", summary);
  });

  it("damped at random (p 0.5, m 1): the same summary in-thread and in 2 and 3 workers", async () => {
    const damped = changeScenario(loaded, (s) => ({ flows: s.flows.map((f) => ({ ...f, params: { ...f.params, probability: 0.5, minStay: 1 } })) }));
    const run = async (workers: number | null) => JSON.stringify((await runScenario(damped, workers === null ? {} : { parallel: { workers, minFlowsToShard: 1 } })).summary);
    const inThread = await run(null);
    expect(JSON.parse(inThread).flows.some((f: { pathSwitches: number }) => f.pathSwitches !== 59)).toBe(true);
    expect(await run(2)).toBe(inThread);
    expect(await run(3)).toBe(inThread);
  });
});

// The same network with senders that know tolls only from their own acknowledgments: oad-steer
// (a cartographer's mean toll per route), pinned to the route via Y, steering by user-OAD at an X
// that honours OADs (X keeps 1; Y and Z keep their congestion tolls). A packet's toll, with its
// ack's (Y 1, X 1 on B-Y-X-A): 1 + 1 + 10 + 2 = 14 on the route all 20 crowded the round before
// (Y→B at load 1.0), 1 + 1 + 2 = 4 on one empty the round before; crowded, one in six is lost.
describe("steering from acknowledgments alone (oad-steer, maxToll 10): identical senders still move together", () => {
  async function routes(minDelivery: number): Promise<string> {
    const scenario = changeScenario(loaded, (s) => ({
      rounds: 20,
      isps: { ...s.isps, byNode: { X: { strategy: "honours-oads", params: { perPacket: 1 } } } },
      flows: s.flows.map((f) => ({ ...f, strategy: "oad-steer", params: { payment: 40, path: ["A", "X", "Y", "B"], maxToll: 10, minDelivery } })),
    }));
    let via = "";
    const observer: SimulationObserver = {
      onRound(report, simulation) {
        const t = simulation.topology;
        const carried = (to: string) => report.links.carriedPackets[findLink(t, t.nodeIndex.get("X")!, t.nodeIndex.get(to)!)]!;
        via += carried("Z") === 0 ? "Y" : carried("Y") === 0 ? "Z" : "?";
      },
    };
    await runScenario(scenario, { observers: [observer] });
    return via;
  }

  it("a route counts as adequate at 5/6 delivered (minDelivery 0.8): all flip together, 3 rounds a side", async () => {
    // Rounds 0-1 on Y (4, then 14 > 10); Z untried: all probe it (2-3: 4, 14). Then the mean tolls
    // decide: Y 9 and Z 9 tie, the first seen wins: Y (4-6) until Y's mean passes Z's, and so on.
    expect(await routes(0.8)).toBe("YYZZYYYZZZYYYZZZYYYZ");
  });

  it("at minDelivery 0.9 no crowded route is adequate: all move to Z once and stay, locked in", async () => {
    expect(await routes(0.9)).toBe("YY" + "Z".repeat(18));
  });
});

