/**
 * The conformance kit every strategy must pass (built-in or your own). It tests the declared
 * metadata instead of trusting it: defaults validate, a misspelt parameter is refused, the same
 * seed gives the same play, a strategy declared deterministic ignores the seed, state survives a
 * copy to a worker thread, a strategy declared `memoryDepth: 0` plays the same from a fresh state
 * every round, and every action is valid.
 *
 * ```ts
 * import { conformanceChecks } from "tollway/testing";
 * for (const check of conformanceChecks(myStrategy)) it(check.name, check.run);
 * ```
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { columnsOf } from "../agents/columns.js";
import { ispColumnsOf, ispActionColumns } from "../agents/isp-columns.js";
import { createRng, type Rng } from "../engine/random.js";
import { invalidTariffField, FREE_TARIFF, TARIFF_KEYS } from "../mechanisms/billpay/tolls.js";
import { acceptsOtherFields, type AckReport, type AnyStrategy, type IspLinkObservation, type IspObservation, type IspStrategy, type UserAction, type UserObservation, type UserStrategy } from "../agents/strategy.js";
import type { Tariff } from "../mechanisms/billpay/tolls.js";

export interface ConformanceCheck {
  name: string;
  /** Throws an Error saying what is wrong. */
  run: () => void;
}

const ROUNDS = 12;

export function conformanceChecks(strategy: AnyStrategy): ConformanceCheck[] {
  const label = `${strategy.kind} strategy "${strategy.id}"`;
  /** Actions over ROUNDS rounds; the state is carried (copied, with `copyState`), or fresh from `init` each round (`fresh`). */
  const play = (seed: number, copyState: boolean, fresh = false): unknown[] => {
    const params = strategy.params.parse({});
    let state = strategy.init(params);
    const actions: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rng = createRng(seed * 7919 + round);
      const decision = strategy.kind === "isp"
        ? (strategy as IspStrategy).decide(ispObservation(round), state, params, rng)
        : (strategy as UserStrategy).decide(userObservation(round), state, params, rng);
      actions.push(decision.action);
      state = fresh ? strategy.init(params) : copyState ? structuredClone(decision.state) : decision.state;
    }
    return actions;
  };
  return [
    {
      name: `${label}: has an id, a name and a description`,
      run: () => {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(strategy.id)) fail(`${label}: id must be lower-case words joined by dashes`);
        if (!strategy.name || !strategy.meta.description) fail(`${label}: name and meta.description are required`);
      },
    },
    {
      name: `${label}: default parameters validate`,
      run: () => {
        const result = strategy.params.safeParse({});
        if (!result.success) fail(`${label}: defaults do not validate: ${result.error.issues[0]?.message}`);
      },
    },
    {
      name: `${label}: ${acceptsOtherFields(strategy.params) ? "takes undeclared parameters by choice (a catchall)" : "a misspelt parameter is refused"}`,
      run: () => {
        if (acceptsOtherFields(strategy.params)) return;
        const probe = "notAParameterOfThisStrategy";
        if (strategy.params.safeParse({ [probe]: 1 }).success) {
          fail(`${label}: params accept the undeclared field "${probe}", so a misspelt parameter would be ignored; declare them as z.object({...}) or z.strictObject({...}) (a wrapped object such as z.object(...).default({}) is not made strict)`);
        }
      },
    },
    {
      name: `${label}: state is plain data that survives a copy to a worker`,
      run: () => {
        const state = strategy.init(strategy.params.parse({}));
        if (!isDeepStrictEqual(structuredClone(state), state)) fail(`${label}: init() state changes when copied`);
        if (!isDeepStrictEqual(play(1, true), play(1, false))) fail(`${label}: play differs when its state is copied between rounds`);
      },
    },
    {
      name: `${label}: the same seed gives the same play`,
      run: () => {
        if (!isDeepStrictEqual(play(3, false), play(3, false))) fail(`${label}: two runs with seed 3 differ`);
      },
    },
    {
      name: `${label}: ${strategy.meta.stochastic ? "is declared stochastic" : "declared deterministic, ignores the seed"}`,
      run: () => {
        if (!strategy.meta.stochastic && !isDeepStrictEqual(play(1, false), play(2, false))) {
          fail(`${label}: declared deterministic (meta.stochastic false) but plays differently with another seed`);
        }
      },
    },
    {
      name: `${label}: ${strategy.meta.memoryDepth === 0 ? "declared memoryDepth 0, plays the same from a fresh state each round" : `declares memoryDepth ${strategy.meta.memoryDepth}`}`,
      run: () => {
        // Axelrod's test_memory_depth_upper_bound for depth 0: nothing carried from round to round may matter.
        if (strategy.meta.memoryDepth === 0 && !isDeepStrictEqual(play(1, false, true), play(1, false))) {
          fail(`${label}: declared memoryDepth 0 but plays differently when its state is reset to init() every round`);
        }
      },
    },
    ...(strategy.kind === "user" && strategy.decideColumns ? [{
      name: `${label}: its column form gives the actions and states of decide on random observations`,
      run: () => columnFormMatches(strategy as UserStrategy, label),
    }] : []),
    ...(strategy.kind === "isp" && strategy.decideColumns ? [{
      name: `${label}: its column form gives the tariffs and states of decide on random observations`,
      run: () => ispColumnFormMatches(strategy as IspStrategy, label),
    }] : []),
    {
      name: `${label}: every action is valid`,
      run: () => {
        play(5, false).forEach((action, round) => {
          const problem = strategy.kind === "isp" ? ispActionProblem(action) : userActionProblem(action, userObservation(round));
          if (problem) fail(`${label}: round ${round}: ${problem}`);
        });
      },
    },
  ];
}

/**
 * Random rounds of random observations for a few flows (fast-check): each round, `decide` flow
 * by flow and `decideColumns` over the same observations as columns, each from its own copy of
 * the states, must give the same actions and the same new states.
 */
function columnFormMatches(strategy: UserStrategy, label: string): void {
  const params = strategy.params.parse({});
  const decideColumns = strategy.decideColumns!.bind(strategy);
  const property = fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(randomUserObservation(), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 5 }), fc.integer(), (flows, rounds, seed) => {
    let perFlow: unknown[] = Array.from({ length: flows }, () => strategy.init(params));
    let columnar: unknown[] = Array.from({ length: flows }, () => strategy.init(params));
    rounds.forEach((round, r) => {
      const observations = round.slice(0, flows).map((o) => ({ ...o, round: r }));
      const expected = observations.map((o, i) => {
        const decision = strategy.decide(o, perFlow[i], params, createRng(seed + 7919 * i + r));
        perFlow[i] = decision.state;
        return { packets: decision.action.packets, payment: decision.action.payment, path: decision.action.path, oads: decision.action.oads ?? [], ...(decision.action.duplicate ? { duplicate: decision.action.duplicate } : {}), ...(decision.action.payments ? { payments: decision.action.payments } : {}) };
      });
      const columns = columnsOf(observations, columnar);
      decideColumns(columns, columns.states, params, columns.actions, (i) => createRng(seed + 7919 * i + r));
      const got: UserAction[] = observations.map((_, i) => ({ packets: columns.actions.packets[i]!, payment: columns.actions.payment[i]!, path: columns.actions.path[i]!, oads: columns.actions.oads[i] ?? [], ...(columns.actions.duplicate[i] ? { duplicate: columns.actions.duplicate[i]! } : {}), ...(columns.actions.payments[i] ? { payments: columns.actions.payments[i]! } : {}) }));
      columnar = columns.states.slice();
      if (!isDeepStrictEqual(got, expected)) fail(`${label}: round ${r}: column form chose ${JSON.stringify(got)}, decide ${JSON.stringify(expected)}`);
      if (!isDeepStrictEqual(columnar, perFlow)) fail(`${label}: round ${r}: column form left states ${JSON.stringify(columnar)}, decide ${JSON.stringify(perFlow)}`);
      perFlow = perFlow.map((state) => structuredClone(state));
      columnar = columnar.map((state) => structuredClone(state));
    });
  });
  assertProperty(property);
}

/** Runs a fast-check property; on failure, fails with our message, fast-check's seed and its shrunk counterexample. */
function assertProperty(property: fc.IProperty<unknown[]>): void {
  try {
    fc.assert(property, { numRuns: 200 });
  } catch (error) {
    // fast-check's report: its shrunk counterexample and seed, then our message as the cause.
    const cause = (error as { cause?: unknown }).cause;
    const seedLine = String((error as Error).message).split("\n").find((line) => line.includes("seed")) ?? "";
    fail(cause instanceof Error ? `${cause.message} (${seedLine.trim()})` : String(error));
  }
}

/**
 * Random rounds of random observations of one ISP's links (fast-check): each round `decide` and
 * `decideColumns` over the same observation, each from its own copy of the state, must give the
 * same tariffs (missing fields 0), the same `honourOadsFrom` (left out: Infinity) and the same new state.
 */
function ispColumnFormMatches(strategy: IspStrategy, label: string): void {
  const params = strategy.params.parse({});
  const decideColumns = strategy.decideColumns!.bind(strategy);
  const property = fc.property(randomIspRounds(), fc.integer(), (rounds, seed) => {
    let perLink = strategy.init(params);
    let columnar = strategy.init(params);
    rounds.forEach((observation, r) => {
      const decision = strategy.decide(observation, perLink, params, createRng(seed + r));
      perLink = decision.state;
      const expected = { tariffs: decision.action.tariffs.map((t) => ({ ...FREE_TARIFF, ...t })), honourOadsFrom: decision.action.honourOadsFrom ?? Infinity };
      const actions = ispActionColumns(observation.links.length);
      columnar = decideColumns(ispColumnsOf(observation), columnar, params, actions, createRng(seed + r));
      const got = {
        tariffs: observation.links.map((_, j) => Object.fromEntries(TARIFF_KEYS.map((key) => [key, actions.tariffs[key][j]!])) as unknown as Tariff),
        honourOadsFrom: actions.honourOadsFrom,
      };
      if (!isDeepStrictEqual(got, expected)) fail(`${label}: round ${r}: column form chose ${JSON.stringify(got)}, decide ${JSON.stringify(expected)}`);
      if (!isDeepStrictEqual(columnar, perLink)) fail(`${label}: round ${r}: column form left state ${JSON.stringify(columnar)}, decide ${JSON.stringify(perLink)}`);
      perLink = structuredClone(perLink);
      columnar = structuredClone(columnar);
    });
  });
  assertProperty(property);
}

/**
 * One to five rounds of one ISP with one to five links (the same links every round), each link
 * at a random load, with random tariffs in force; neighbours and rivals as in `ispObservation`.
 */
function randomIspRounds(): fc.Arbitrary<IspObservation[]> {
  const share = fc.double({ min: 0, max: 1, noNaN: true });
  const link = fc.record({
    capacityBitsPerRound: fc.constantFrom(0, 1e6, 1e9), load: fc.double({ min: 0, max: 3, noNaN: true }), utilization: share,
    carriedPackets: fc.integer({ min: 0, max: 1e6 }), droppedPackets: fc.integer({ min: 0, max: 1e5 }), revenue: fc.integer({ min: 0, max: 1e9 }),
    tariff: fc.record({ perPacket: fc.integer({ min: 0, max: 50 }), perByte: fc.double({ min: 0, max: 1, noNaN: true }), proportional: share, congestion: fc.integer({ min: 0, max: 50 }), dropShare: share }),
  });
  return fc.integer({ min: 1, max: 5 }).chain((count) => fc.tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: count, maxLength: count }),
    fc.array(fc.array(link, { minLength: count, maxLength: count }), { minLength: 1, maxLength: 5 }),
  )).map(([ids, rounds]) => rounds.map((links, round): IspObservation => ({
    ...ispObservation(round),
    links: links.map((l, j): IspLinkObservation => ({
      ...l, link: ids[j]!, to: `N${j}`, relation: (["customer", "peer", "provider"] as const)[j % 3]!,
      offeredBits: l.load * l.capacityBitsPerRound, carriedBits: l.utilization * l.capacityBitsPerRound,
    })),
  })));
}

/** A user observation with 1 to 4 offered paths, whole prices (ties likely), and a report or none. */
function randomUserObservation(): fc.Arbitrary<UserObservation> {
  const path = fc.record({ price: fc.integer({ min: 0, max: 40 }), latencyMs: fc.integer({ min: 1, max: 300 }) });
  const report: fc.Arbitrary<AckReport> = fc.record({
    sent: fc.integer({ min: 0, max: 1000 }), delivered: fc.integer({ min: 0, max: 1000 }), acknowledged: fc.integer({ min: 0, max: 1000 }),
    spent: fc.integer({ min: 0, max: 50_000 }), refunded: fc.integer({ min: 0, max: 50_000 }),
    tollPerPacket: fc.double({ min: 0, max: 60, noNaN: true }), throughputBps: fc.double({ min: 0, max: 1e7, noNaN: true }),
    path: fc.integer({ min: 0, max: 3 }),
    // What Figure 1's acks echo: X's choice 1 (via Y) or 2 (via Z), or no ISP-OADs at all.
    ispOads: fc.constantFrom([], [{ isp: "X", alternatives: 0b11, choice: 1 }, { isp: "Y", alternatives: 0b1, choice: 1 }], [{ isp: "X", alternatives: 0b11, choice: 2 }, { isp: "Z", alternatives: 0b1, choice: 1 }]),
  });
  return fc.record({
    paths: fc.array(path, { minLength: 1, maxLength: 4 }),
    demandPackets: fc.integer({ min: 0, max: 1000 }),
    remainingSeconds: fc.option(fc.double({ min: 0, max: 60, noNaN: true }), { nil: null }),
    age: fc.integer({ min: 0, max: 60 }),
    last: fc.option(report, { nil: null }),
    cumulativeSpent: fc.integer({ min: 0, max: 1e6 }),
  }).map(({ paths, ...rest }) => ({
    round: 0, user: "A->B", roundSeconds: 1, packetBits: 12_000, ...rest,
    paths: paths.map((p, i) => ({ nodes: ["A", `X${i}`, "B"], ...p })),
  }));
}

function fail(message: string): never {
  throw new Error(message);
}

function ispActionProblem(action: unknown): string | null {
  const tariffs = (action as { tariffs?: unknown[] } | null)?.tariffs;
  if (!Array.isArray(tariffs) || tariffs.length !== 2) return "must return one tariff per link (2 links observed)";
  for (const [i, t] of tariffs.entries()) {
    const bad = invalidTariffField({ ...FREE_TARIFF, ...(t as object) });
    if (bad) return `tariff ${i}: ${bad} is out of range`;
  }
  return null;
}

function userActionProblem(action: unknown, observation: UserObservation): string | null {
  const a = action as { packets?: number; payment?: number; path?: number } | null;
  if (!a || !Number.isFinite(a.payment) || a.payment! < 0) return "payment must be a finite number ≥ 0";
  if (!Number.isFinite(a.packets) || a.packets! < 0) return "packets must be a finite number ≥ 0";
  if (!Number.isInteger(a.path) || a.path! < 0 || a.path! >= observation.paths.length) return "path must index an offered path";
  const d = (action as { duplicate?: { path?: number; share?: number } }).duplicate;
  if (d !== undefined && d.share !== 0) {
    if (!Number.isInteger(d.path) || d.path! < 0 || d.path! >= observation.paths.length || d.path === a.path) return "duplicate.path must index another offered path";
    if (!(typeof d.share === "number" && d.share >= 0 && d.share <= 1)) return "duplicate.share must be in [0, 1]";
  }
  return null;
}

/** A deterministic sequence of observations: loads that rise past congestion and fall back. */
function ispObservation(round: number): IspObservation {
  const load = [0.2, 0.6, 1.1, 1.6, 0.9, 0.3][round % 6]!;
  const capacity = 1e9;
  const link = (i: number) => ({
    link: i, to: `N${i}`, relation: i === 0 ? ("customer" as const) : ("peer" as const), capacityBitsPerRound: capacity,
    offeredBits: load * capacity * (i + 1) / 2, carriedBits: Math.min(1, load) * capacity, carriedPackets: 1000, droppedPackets: load > 1 ? 100 : 0,
    utilization: Math.min(1, load), load: load * (i + 1) / 2, revenue: 1000 * round, tariff: { ...FREE_TARIFF },
  });
  // Public prices: neighbour N1 and a rival route U-R-N0 whose announced toll rises and falls.
  const toll = (perPacket: number, congestion = 0) => ({ ...FREE_TARIFF, perPacket, congestion });
  const rivalToll = [3, 2, 1, 0, 4, 6][round % 6]!;
  return {
    round, isp: "X", roundSeconds: 1, links: [link(0), link(1)], revenue: 2000 * round, cumulativeRevenue: 1000 * round * round,
    neighbours: [{ isp: "N1", relation: "peer", links: [{ to: "X", tariff: toll(2) }, { to: "N0", tariff: toll(rivalToll, load > 1 ? 2 : 0) }] }],
    rivals: [{
      link: 0, from: "U", to: "N0",
      own: { nodes: ["U", "X", "N0"], tariffs: [toll(1), toll(2)] },
      rivals: [{ nodes: ["U", "R", "N0"], tariffs: [toll(1), toll(rivalToll, load > 1 ? 2 : 0)] }],
    }],
  };
}

function userObservation(round: number): UserObservation {
  const throughput = [1e5, 5e5, 2e6, 2e6, 8e5, 3e6][round % 6]!;
  return {
    round, user: "A->B", roundSeconds: 1, demandPackets: 100, packetBits: 12000, age: round, remainingSeconds: 30 - round,
    paths: [
      { nodes: ["A", "X", "Y", "B"], price: 3 + (round % 3), latencyMs: 15 },
      { nodes: ["A", "X", "Z", "B"], price: 4, latencyMs: 120 },
    ],
    last: round === 0 ? null : {
      sent: 100, delivered: throughput / 12000, acknowledged: throughput / 12000, spent: 500, refunded: 200,
      tollPerPacket: 3 + (round % 4), throughputBps: throughput, path: 0,
      ispOads: [{ isp: "X", alternatives: 0b11, choice: 1 }, { isp: "Y", alternatives: 0b1, choice: 1 }],
    },
    cumulativeSpent: 300 * round,
  };
}

export type { Rng };
