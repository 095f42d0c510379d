import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILT_IN_STRATEGIES, ISP_STRATEGIES, USER_STRATEGIES } from "../../src/agents/registry.js";
import { conformanceChecks } from "../../src/testing/conformance.js";
import { defineIspStrategy, type IspStrategy } from "../../src/agents/strategy.js";
import { z } from "zod";
import { ROOT } from "../support/run.js";

describe("every built-in strategy passes the conformance kit", () => {
  for (const strategy of BUILT_IN_STRATEGIES) {
    for (const check of conformanceChecks(strategy)) it(check.name, check.run);
  }
});

describe("the registry", () => {
  it("lists every file in strategies/isp and strategies/user, and nothing else", async () => {
    for (const [kind, registered] of [["isp", ISP_STRATEGIES], ["user", USER_STRATEGIES]] as const) {
      const files = readdirSync(`${ROOT}strategies/${kind}`).filter((f) => f.endsWith(".ts"));
      const fromFiles = await Promise.all(files.map(async (f) => (await import(`${ROOT}strategies/${kind}/${f}`)).default.id as string));
      expect([...fromFiles].sort(), `strategies/${kind}`).toEqual(registered.map((s) => s.id).sort());
      // One file per strategy, named after its id.
      expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([...fromFiles].sort());
    }
  });

  it("has unique ids", () => {
    const ids = BUILT_IN_STRATEGIES.map((s) => `${s.kind}:${s.id}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("the kit catches a strategy that lies about being deterministic", async () => {
    const { defineUserStrategy } = await import("../../src/agents/strategy.js");
    const { z } = await import("zod");
    const liar = defineUserStrategy({
      id: "liar", name: "Liar", params: z.object({}),
      meta: { description: "claims determinism, flips coins", memoryDepth: 0, stochastic: false, cheats: false },
      init: () => null,
      decide: (o, s, _p, rng) => ({ state: s, action: { packets: o.demandPackets, payment: rng.int(5), path: 0 } }),
    });
    const check = conformanceChecks(liar).find((c) => c.name.includes("deterministic"))!;
    expect(check.run).toThrow(/declared deterministic/);
  });

  it("every built-in user strategy has a column form, which the kit checks against decide", () => {
    for (const strategy of USER_STRATEGIES) {
      expect(strategy.decideColumns, strategy.id).toBeTypeOf("function");
      expect(conformanceChecks(strategy).some((c) => c.name.includes("column form"))).toBe(true);
    }
  });

  it("the kit catches a column form that differs from decide", async () => {
    const { defineUserStrategy } = await import("../../src/agents/strategy.js");
    const { z } = await import("zod");
    const drifted = defineUserStrategy({
      id: "drifted", name: "Drifted", params: z.object({}),
      meta: { description: "its column form forgets ties go to the first path", memoryDepth: 0, stochastic: false, cheats: false },
      init: () => null,
      decide: (o, s) => ({ state: s, action: { packets: o.demandPackets, payment: 0, path: 0 } }),
      decideColumns: (c, _s, _p, a) => {
        for (let i = 0; i < c.count; i++) {
          a.packets[i] = c.demandPackets[i]!;
          a.payment[i] = 0;
          a.path[i] = c.pathCount[i]! - 1;
        }
      },
    });
    const check = conformanceChecks(drifted).find((c) => c.name.includes("column form"))!;
    expect(check.run).toThrow(/column form chose/);
  });

  it("the ISP strategies of Table I have a column form, and the kit checks every ISP column form against decide", () => {
    for (const id of ["static-price", "dynamic-price"]) expect(ISP_STRATEGIES.find((s) => s.id === id)?.decideColumns, id).toBeTypeOf("function");
    for (const strategy of ISP_STRATEGIES.filter((s) => s.decideColumns)) {
      expect(conformanceChecks(strategy).some((c) => c.name.includes("column form")), strategy.id).toBe(true);
    }
  });

  it("the kit catches an ISP column form whose tariffs or state differ from decide's", () => {
    const meta = { memoryDepth: "unbounded", stochastic: false, cheats: false } as const;
    const drifted = defineIspStrategy({
      id: "drifted-isp", name: "Drifted ISP", params: z.object({}), meta: { ...meta, description: "its column form prices by load where decide prices by utilization" },
      init: () => null,
      decide: (o, s) => ({ state: s, action: { tariffs: o.links.map((l) => ({ congestion: Math.round(10 * l.utilization) })) } }),
      decideColumns: (o, s, _p, a) => {
        for (let j = 0; j < o.links.count; j++) a.tariffs.congestion[j] = Math.round(10 * o.links.load[j]!);
        return s;
      },
    });
    const forgetful = defineIspStrategy({
      id: "forgetful-isp", name: "Forgetful ISP", params: z.object({}), meta: { ...meta, description: "its column form does not count the rounds" },
      init: () => 0,
      decide: (o, s: number) => ({ state: s + 1, action: { tariffs: o.links.map(() => ({ perPacket: 1 })) } }),
      decideColumns: (_o, s: number, _p, a) => (a.tariffs.perPacket.fill(1), s),
    });
    const columnCheck = (strategy: IspStrategy) => conformanceChecks(strategy).find((c) => c.name.includes("column form"))!.run;
    expect(columnCheck(drifted)).toThrow(/column form chose/);
    expect(columnCheck(forgetful)).toThrow(/column form left state/);
  });

  it("the kit catches a strategy that claims memoryDepth 0 but keeps a memory", async () => {
    const { defineUserStrategy } = await import("../../src/agents/strategy.js");
    const { z } = await import("zod");
    const rememberer = defineUserStrategy({
      id: "rememberer", name: "Rememberer", params: z.object({}),
      meta: { description: "claims no memory, raises its payment every round", memoryDepth: 0, stochastic: false, cheats: false },
      init: () => 0,
      decide: (o, s: number) => ({ state: s + 1, action: { packets: o.demandPackets, payment: s, path: 0 } }),
    });
    const check = conformanceChecks(rememberer).find((c) => c.name.includes("memoryDepth"))!;
    expect(check.run).toThrow(/declared memoryDepth 0 but plays differently/);
  });
});
