/**
 * Behaviour scripts of damped-steer (Bill-Pay §5, routing oscillations), after Axelrod's
 * versus_test: the announced tolls of the two offered routes round after round, and the route the
 * sender must take. `priced(a, b)` offers route 0 at a and route 1 at b units per packet.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { UserAction, UserStrategy } from "../../src/agents/strategy.js";
import { conformanceChecks } from "../../src/testing/conformance.js";
import { createRng } from "../../src/engine/random.js";
import { priced, user } from "../../src/testing/observations.js";
import { versusTest } from "../../src/testing/versus.js";
import dampedSteer from "../../strategies/user/damped-steer.js";

/** 100 packets (the demand) at the default payment 40, on `path`. */
const on = (path: number): UserAction => ({ packets: 100, payment: 40, path });
const tolls = (a: number, b: number) => user({ paths: priced(a, b) });

describe("damped-steer", () => {
  it("undamped (h 0, p 1, m 0): always on the cheapest route, moving whenever the other is strictly cheaper", () => {
    versusTest(dampedSteer, [
      [tolls(3, 5), on(0)], // first round: the cheapest route, 0
      [tolls(5, 3), on(1)], // 3 < 5: move to 1
      [tolls(3, 5), on(0)], // and straight back
      [tolls(4, 4), on(0)], // a tie is no reason to move
      [tolls(4, 3.5), on(1)], // cheaper by any amount: move
    ]);
  });

  it("hysteresis margin h = 2: moves only to a route cheaper by more than 2", () => {
    versusTest(dampedSteer, [
      [tolls(3, 5), on(0)],
      [tolls(5, 3), on(0)], // 3 < 5 − 2 is false: cheaper by exactly h, stay
      [tolls(6, 3), on(1)], // 3 < 6 − 2: move
      [tolls(2, 3), on(1)], // 2 < 3 − 2 is false: stay on the dearer route
    ], { margin: 2 });
  });

  it("minStay m = 2: after a move it stays the next 2 rounds whatever the tolls", () => {
    versusTest(dampedSteer, [
      [tolls(3, 5), on(0)], // the first choice is not a move: no wait
      [tolls(5, 3), on(1)], // move, then wait 2
      [tolls(3, 5), on(1)], // waits (1 left)
      [tolls(3, 5), on(1)], // waits (0 left)
      [tolls(3, 5), on(0)], // free again: move, wait 2
      [tolls(5, 3), on(0)],
    ], { minStay: 2 });
  });

  it("probability p = 0.3: a move that is due is made when the round's draw is below 0.3", () => {
    // versusTest hands step s the generator createRng(7919 + s) (seed 1); its first draws:
    const draws = [0, 1, 2, 3, 4, 5, 6].map((s) => Number(createRng(7919 + s).random().toFixed(4)));
    expect(draws).toEqual([0.5154, 0.2371, 0.1718, 0.4407, 0.9917, 0.4007, 0.132]);
    versusTest(dampedSteer, [
      [tolls(3, 5), on(0)], // first choice: no draw
      [tolls(5, 3), on(1)], // due, 0.2371 < 0.3: move
      [tolls(3, 5), on(0)], // due, 0.1718 < 0.3: move back
      [tolls(5, 3), on(0)], // due, 0.4407 ≥ 0.3: stay
      [tolls(5, 3), on(0)], // due, 0.9917: stay
      [tolls(5, 3), on(0)], // due, 0.4007: stay
      [tolls(5, 3), on(1)], // due, 0.1320 < 0.3: move
    ], { probability: 0.3 });
  });

  it("takes the cheapest route again, with no wait, when its route is no longer offered", () => {
    versusTest(dampedSteer, [
      [tolls(3, 5), on(0)],
      [tolls(5, 3), on(1)], // move, wait 3
      [user({ paths: priced(7) }), on(0)], // route 1 is gone: the only route, and the wait is dropped
      [tolls(7, 2), on(1)], // so this move is allowed at once
    ], { minStay: 3 });
  });

  it("refuses bad parameters with the field's name", () => {
    expect(() => dampedSteer.params.parse({ probability: 0 })).toThrow(/probability/);
    expect(() => dampedSteer.params.parse({ minStay: 1.5 })).toThrow(/minStay/);
    expect(() => dampedSteer.params.parse({ margin: -1 })).toThrow(/margin/);
    expect(() => dampedSteer.params.parse({ hysteresis: 2 })).toThrow(/hysteresis/);
  });
});

// The kit plays a strategy at its defaults, which are undamped (no draws). Played again with the
// damping on by default, it checks the draws too: same seed same play, and the column form
// drawing from rng(i) exactly as decide does.
describe("the conformance kit with damping on (h 4, p 0.5, m 2)", () => {
  const damped: UserStrategy = {
    ...dampedSteer,
    params: z.preprocess((v) => ({ margin: 4, probability: 0.5, minStay: 2, ...(v as object) }), dampedSteer.params),
  } as UserStrategy;
  for (const check of conformanceChecks(damped)) it(check.name, check.run);
});

