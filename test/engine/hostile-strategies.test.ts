/**
 * Strategies that misbehave are caught, not trusted: each hostile strategy of
 * test/fixtures/strategies/hostile/ plays honestly for two rounds, then misbehaves in round 2.
 * The run must end with an error that names the strategy, the agent and the round, in-thread
 * and with the flows sharded over two workers; what a strategy is lent must not change what
 * other flows see or what the engine trusts.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario, type RunOptions } from "../../src/scenario/run.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { TollwayError } from "../../src/errors.js";
import type { RunSummary } from "../../src/metrics/summary.js";
import { ROOT } from "../support/run.js";

const USERS = ROOT + "test/fixtures/strategies/hostile/users.ts";
const ISPS = ROOT + "test/fixtures/strategies/hostile/isps.ts";
const user = (name: string): string => `${USERS}#${name}`;

/** Flows "bad" (uid 0), "filler" (uid 1) and "watcher" (uid 2): with 2 workers, bad and watcher share shard 0. */
function scenario(bad: string, watcher = user("honest")): ScenarioInput {
  return {
    name: "hostile", seed: 4, rounds: 4,
    topology: { kind: "generated", nodes: 20, hosts: 6, capacityBps: 1e7 },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: {} },
    flows: [
      { id: "bad", from: "H1", to: "H2", strategy: bad, params: {}, packetsPerRound: 10 },
      { id: "filler", from: "H3", to: "H4", strategy: "fixed-payment", params: { payment: 5 }, packetsPerRound: 10 },
      { id: "watcher", from: "H1", to: "H2", strategy: watcher, params: {}, packetsPerRound: 10 },
    ],
  };
}

/** An ISP strategy of isps.ts on Figure 1's X, honest users. */
function ispScenario(name: string): ScenarioInput {
  return {
    name: "hostile-isp", rounds: 4, topology: { kind: "figure1" }, scheduling: "payment",
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: { X: { strategy: `${ISPS}#${name}`, params: {} } } },
    flows: [{ id: "A->B", from: "A", to: "B", strategy: "fixed-payment", params: { payment: 20 }, packetsPerRound: 1 }],
  };
}

const MODES = [
  { mode: "in-thread", options: {} as RunOptions, prefix: "" },
  { mode: "2 workers", options: { parallel: { workers: 2, minFlowsToShard: 0 } } as RunOptions, prefix: String.raw`worker for shard 0 failed in round 2 \(building the paying leg\): ` },
];

async function failure(input: ScenarioInput, options: RunOptions): Promise<TollwayError> {
  const error = await runScenario(parseScenario(input), options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TollwayError);
  return error as TollwayError;
}

async function summary(input: ScenarioInput, options: RunOptions): Promise<RunSummary> {
  return (await runScenario(parseScenario(input), options)).summary;
}

/** Export name in users.ts, the id it reports, and what the error must say after `strategy "id" (user bad) `. */
const USER_CASES: [string, string, RegExp][] = [
  ["neverReturns", "never-returns", /did not return within 0\.3 s in round 2 \(a call must return its decision; --strategy-timeout sets the budget\)$/],
  ["mathRandom", "math-random", /called Math\.random\(\) in round 2: draw random numbers from the `rng` argument/],
  ["swallowsRandom", "swallows-random", /called Math\.random\(\) in round 2: draw random numbers from the `rng` argument/],
  ["dateNow", "date-now", /called Date\.now\(\) in round 2: a decision may not depend on the clock/],
  ["newDate", "new-date", /called new Date\(\) in round 2: a decision may not depend on the clock/],
  ["performanceNow", "performance-now", /called performance\.now\(\) in round 2: a decision may not depend on the clock/],
  ["exits", "exits", /called process\.exit\(\) in round 2: a strategy must return its decision, not end the process$/],
  ["returnsUndefined", "returns-undefined", /returned undefined in round 2, expected \{ state, action \}$/],
  ["throwsString", "throws-string", /threw in round 2: "out of budget" \(not an Error\)$/],
  ["throwsBareObject", "throws-bare-object", /threw in round 2: an object \(not an Error\)$/],
  ["truncatesPaths", "truncates-paths", /threw in round 2: Cannot assign to read only property 'length'/],
  ["pushesPath", "pushes-path", /threw in round 2: Cannot add property \d+, object is not extensible$/],
  ["definesOwnLast", "defines-own-last", /threw in round 2: Cannot define property last, object is not extensible$/],
  ["pathTooFar", "path-too-far", /in round 2 chose path \d+: must be an index in \[0, \d+\] \(the paths offered to it\)$/],
  ["hugePayment", "huge-payment", /in round 2 chose payment 1e\+30: must be at most 16777215 units \(what the Bill-Pay header's 24-bit payment field carries\)$/],
  ["hugePackets", "huge-packets", /in round 2 chose packets 1e\+300: must be at most 536870912 per round$/],
  ["stringPayment", "string-payment", /in round 2 chose payment "5": must be a finite number ≥ 0$/],
];

describe.each(MODES)("hostile user strategies, $mode", ({ options, prefix }) => {
  it.each(USER_CASES)("%s is stopped with an error naming it, the flow and the round", async (name, id, says) => {
    const error = await failure(scenario(user(name)), { ...options, strategyTimeoutMs: 300 });
    expect(error.message).toMatch(new RegExp(`^${prefix}strategy "${id}" \\(user bad\\) `));
    expect(error.message).toMatch(says);
    expect(error.message).not.toMatch(/\n/);
  });

  it("globals and process.exit are back after the run, also after a failure", async () => {
    const [random, now, RealDate, exit] = [Math.random, Date.now, Date, process.exit];
    await failure(scenario(user("mathRandom")), options);
    await summary(scenario(user("honest")), options);
    expect([Math.random, Date.now, Date, process.exit]).toEqual([random, now, RealDate, exit]);
    expect(typeof Math.random()).toBe("number");
    expect(new Date(0).getTime()).toBe(0);
  });

  it("what one strategy scribbles on its observation does not reach the next flow", async () => {
    // scribbles sets roundSeconds, round, the path prices and paths on the shared observation;
    // watcher's action depends on each of them, so its result would move if they leaked.
    const scribbled = await summary(scenario(user("scribbles"), user("watcher")), options);
    const clean = await summary(scenario(user("honest"), user("watcher")), options);
    const of = (s: RunSummary, id: string) => s.flows.find((f) => f.id === id);
    expect(of(scribbled, "watcher")).toEqual(of(clean, "watcher"));
    expect(of(scribbled, "bad")).toEqual(of(clean, "bad"));
    // The honest flow: 4 rounds of 10 packets.
    expect(of(clean, "bad")!.sent).toBe(40);
  });

  it("flows that would share one mutable state object are refused; a frozen one may be shared", async () => {
    const input = scenario(user("sharesState"), user("sharesState"));
    // bad (uid 0) and watcher (uid 2) share a shard in both modes; filler plays a built-in.
    const error = await failure(input, options);
    expect(error.message).toMatch(/strategy "shares-state" \(user watcher\) init returned in round 0 the state object it gave another flow: each flow needs a state of its own/);
    const shared = await summary(scenario(user("sharesFrozenState"), user("sharesFrozenState")), options);
    const honest = await summary(scenario(user("honest"), user("honest")), options);
    expect(shared.flows).toEqual(honest.flows);
  });

  it("an action is read once: a payment getter that changes after the check is paid as first read", async () => {
    const shifty = await summary(scenario(user("shiftyPayment")), options);
    const honest = await summary(scenario(user("honest")), options);
    expect(shifty.flows).toEqual(honest.flows);
    expect(shifty.ledger).toEqual(honest.ledger);
  });
});

/** Column-form strategies are called under the same guard, and their actions meet the same checks. */
const COLUMN_CASES: [string, string, RegExp, RegExp][] = [
  ["columnsHugePayment", "columns-huge-payment", /\(user bad\) /, /in round 2 chose payment 1e\+30: must be at most 16777215 units/],
  ["columnsPathTooFar", "columns-path-too-far", /\(user bad\) /, /in round 2 chose path 99: must be an index in \[0, \d+\] \(the paths offered to it\)$/],
  ["columnsMathRandom", "columns-math-random", /\(users bad and 0 more, in column form\) /, /called Math\.random\(\) in round 2: draw random numbers from the `rng` argument/],
  ["columnsNeverReturns", "columns-never-returns", /\(users bad and 0 more, in column form\) /, /did not return within 0\.3 s in round 2/],
];

describe.each(MODES)("hostile user strategies in column form, $mode", ({ options, prefix }) => {
  it.each(COLUMN_CASES)("%s is stopped with an error naming it, the flow and the round", async (name, id, who, says) => {
    const error = await failure(scenario(user(name)), { ...options, strategyTimeoutMs: 300 });
    expect(error.message).toMatch(new RegExp(`^${prefix}strategy "${id}" ${who.source}`));
    expect(error.message).toMatch(says);
    expect(error.message).not.toMatch(/\n/);
  });

  it("an honest column-form strategy plays as its per-flow form: 4 rounds of 10 packets", async () => {
    const columns = await summary(scenario(user("columnsHonest")), options);
    const perFlow = await summary(scenario(user("honest")), options);
    const bad = columns.flows.find((f) => f.id === "bad")!;
    expect(bad.sent).toBe(40);
    expect(bad).toEqual({ ...perFlow.flows.find((f) => f.id === "bad")!, strategy: bad.strategy });
  });
});

describe.each(MODES.map((m) => ({ ...m, prefix: "" })))("hostile ISP strategies, $mode", ({ options }) => {
  const ISP_CASES: [string, string, RegExp][] = [
    ["neverReturns", "isp-never-returns", /did not return within 0\.3 s in round 2/],
    ["mathRandom", "isp-math-random", /called Math\.random\(\) in round 2: draw random numbers from the `rng`/],
    ["returnsUndefined", "isp-returns-undefined", /returned undefined in round 2, expected \{ state, action \}$/],
    ["exits", "isp-exits", /called process\.exit\(\) in round 2/],
    ["columnsNegative", "isp-columns-negative", /^tariffs\.0\.perPacket: .* set perPacket = -1 on its link to \w+ in round 2: must be a finite number ≥ 0$/],
    ["columnsShareAboveOne", "isp-columns-share", /^tariffs\.1\.dropShare: .* set dropShare = 2 on its link to \w+ in round 2: must be a finite number ≥ 0 and ≤ 1$/],
  ];
  it.each(ISP_CASES)("%s is stopped with an error naming it, the ISP and the round", async (name, id, says) => {
    const error = await failure(ispScenario(name), { ...options, strategyTimeoutMs: 300 });
    expect(error.message).toMatch(new RegExp(`^(tariffs\\.\\d+\\.\\w+: )?strategy "${id}" \\(isp X\\) `));
    expect(error.message).toMatch(says);
  });
});

describe("the time budget", () => {
  it("0 turns the watchdog off", async () => {
    const result = await summary(scenario(user("honest")), { strategyTimeoutMs: 0 });
    expect(result.packets.sent).toBe(3 * 4 * 10);
  });

  it("a negative budget is refused", async () => {
    await expect(runScenario(parseScenario(scenario(user("honest"))), { strategyTimeoutMs: -1 })).rejects.toThrow(/strategy timeout must be a number of milliseconds ≥ 0 \(got -1\)/);
  });
});
