import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { closestName, editDistance } from "../../src/closest-name.js";
import { defineIspStrategy, defineUserStrategy } from "../../src/agents/strategy.js";
import { builtInStrategy } from "../../src/agents/registry.js";
import { parseParams } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";
import { TollwayError } from "../../src/errors.js";
import { conformanceChecks } from "../../src/testing/conformance.js";

const meta = { description: "test", memoryDepth: 0, stochastic: false, cheats: false } as const;
const user = (params: z.ZodType) => defineUserStrategy({
  id: "t", name: "T", params, meta, init: () => null,
  decide: (o, state) => ({ state, action: { packets: o.demandPackets, payment: 0, path: 0 } }),
});

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TollwayError);
    return (error as TollwayError).message;
  }
  throw new Error("expected a TollwayError");
}

describe("edit distance", () => {
  it("counts insertions, deletions and substitutions (worked by hand)", () => {
    expect(editDistance("perPackets", "perPacket")).toBe(1); // delete the s
    expect(editDistance("kitten", "sitting")).toBe(3); // k→s, e→i, insert g
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("fakeTol", "fakeToll")).toBe(1);
    expect(editDistance("flaw", "lawn")).toBe(2); // delete f, insert n
  });

  it("is a metric: zero only for equal strings, symmetric, and obeys the triangle inequality", () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b, c) => {
      expect(editDistance(a, b) === 0).toBe(a === b);
      expect(editDistance(a, b)).toBe(editDistance(b, a));
      expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
    }));
  });

  it("suggests the nearest known name only when it is a likely typo", () => {
    expect(closestName("perPackets", ["perByte", "perPacket", "proportional"])).toBe("perPacket");
    expect(closestName("PERPACKET", ["perPacket"])).toBe("perPacket"); // case is ignored
    // "zzzzz" is 5 edits from "perByte": more than max(2, 5/3) allows.
    expect(closestName("zzzzz", ["perPacket", "perByte"])).toBeUndefined();
    // 12 characters allow 4 edits: "congestionXX" → "congestion" is 2.
    expect(closestName("congestionXX", ["congestion"])).toBe("congestion");
  });
});

describe("strategy parameters are strict", () => {
  it("a z.object refuses a field it does not declare, for built-ins and users' strategies alike", () => {
    const mine = user(z.object({ factor: z.number().default(2) }));
    expect(mine.params.safeParse({ factor: 3 }).success).toBe(true);
    expect(mine.params.safeParse({ factors: 3 }).success).toBe(false);
    expect(builtInStrategy("isp", "fixed-toll")!.params.safeParse({ perPackets: 2 }).success).toBe(false);
  });

  it("a schema that states its own rule for other fields is kept as written", () => {
    expect(user(z.looseObject({ a: z.number().default(1) })).params.safeParse({ b: 1 }).success).toBe(true);
    const perNeighbour = user(z.object({}).catchall(z.number()));
    expect(perNeighbour.params.safeParse({ AS2: 3 }).success).toBe(true);
    expect(perNeighbour.params.safeParse({ AS2: "high" }).success).toBe(false);
    const strict = z.strictObject({ a: z.number().default(1) });
    expect(defineIspStrategy({ id: "s", name: "S", params: strict, meta, init: () => null, decide: (_o, state) => ({ state, action: { tariffs: [] } }) }).params).toBe(strict);
  });

  it("a misspelt parameter names the field and the closest valid name", () => {
    const fixedToll = builtInStrategy("isp", "fixed-toll")!;
    expect(reasonOf(() => parseParams(fixedToll, { perPackets: 2 }, "s.json", "isps.default.params")))
      .toBe('s.json: isps.default.params: unknown field "perPackets" (did you mean "perPacket"?)');
    const mine = user(z.object({ factor: z.number().default(2), ceiling: z.number().default(9) }));
    expect(reasonOf(() => parseParams(mine, { factr: 1, ceilling: 2 }, "s.json", "flows.0.params")))
      .toBe('s.json: flows.0.params: unknown fields "factr", "ceilling" (did you mean "factor", "ceiling"?)');
  });

  it("with no close name, the valid names are listed", () => {
    const fixedToll = builtInStrategy("isp", "fixed-toll")!;
    expect(reasonOf(() => parseParams(fixedToll, { zzzzz: 2 }, "s.json", "isps.default.params")))
      .toBe('s.json: isps.default.params: unknown field "zzzzz" (known: perPacket, perByte, proportional)');
  });

  it("scenario fields get the same suggestion", () => {
    const scenario = { name: "x", round: 3, topology: { kind: "figure1" }, isps: { default: { strategy: "fixed-toll" } }, flows: [] };
    expect(reasonOf(() => parseScenario(scenario, "x.json"))).toBe('x.json: unknown field "round" (did you mean "rounds"?)');
  });
});

describe("the conformance kit checks that parameters are strict", () => {
  const check = (params: z.ZodType) => conformanceChecks(user(params)).find((c) => /parameter/.test(c.name) && !/default/.test(c.name))!;

  it("passes a z.object (made strict) and fails a wrapped object that drops unknown fields", () => {
    expect(() => check(z.object({ a: z.number().default(1) })).run()).not.toThrow();
    expect(() => check(z.object({ a: z.number().default(1) }).default({ a: 1 })).run()).toThrow(/accept the undeclared field "notAParameterOfThisStrategy"/);
  });

  it("names a catchall as the author's choice", () => {
    expect(check(z.looseObject({})).name).toMatch(/takes undeclared parameters by choice/);
  });
});
