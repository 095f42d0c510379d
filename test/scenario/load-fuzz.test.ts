/**
 * Fuzzing the scenario loader: the shipped scenarios, mutated (extreme numbers, wrong types,
 * deep nesting, keys deleted or inserted, a byte-order mark), go through what `tollway validate`
 * does. Each is either accepted or refused with a one-line TollwayError that names a file —
 * never another exception, a stack overflow or a hang (the bounds in src/scenario/schema.ts keep
 * every accepted case small: no generated topology above 10^5 nodes, no file read unbounded).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TollwayError } from "../../src/errors.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { buildScenario } from "../../src/scenario/build.js";
import { ROOT } from "../support/run.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/**
 * The shipped scenarios with every default written out (so that fields a file leaves out, like
 * `settlement.thresholdDollars` or `flows.0.packetsPerRound`, are there to mutate), and a small
 * generated topology.
 */
const SHIPPED = readdirSync(join(ROOT, "scenarios"))
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => loadScenarioFile(join(ROOT, "scenarios", name)).scenario as unknown as Record<string, Json>);
const BASES: Json[] = [
  ...SHIPPED,
  { ...SHIPPED[0]!, topology: { kind: "generated", nodes: 12, hosts: 3 }, isps: { default: { strategy: "fixed-toll", params: {} }, byNode: {} }, flows: [] },
];

/** Stands for a deeply nested value, spliced into the text after JSON.stringify (which would recurse). */
const DEEP = "\u0000deep\u0000";

/** Every place in a value: the paths of all its objects', arrays' and scalars' positions. */
function pathsOf(value: Json, path: Path = []): Path[] {
  const here = path.length > 0 ? [path] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((child, i) => pathsOf(child, [...path, i]))];
  if (value !== null && typeof value === "object") return [...here, ...Object.entries(value).flatMap(([k, child]) => pathsOf(child, [...path, k]))];
  return here;
}

const EXTREME_NUMBERS = [1e308, -1e308, 1e-300, 0, -1, 0.5, 2 ** 53 + 2, 2 ** 24, 1e9, 1e6];

/** The numbers in a value: the paths of its numeric leaves. */
function numbersOf(value: Json): Path[] {
  return pathsOf(value).filter((path) => typeof path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, value) === "number");
}

const EXTREMES: Json[] = [
  1e308, -1e308, 1e-300, -1e-300, 0, -1, 0.5, 2 ** 53 + 2, 2 ** 24, 1e9, 1e6, -0,
  "", "x", "1e308", "/dev/zero", ".", true, false, null, [], {}, [1e308], { kind: "generated", nodes: 1e9 },
];

const mutation = fc.oneof(
  // Most mutations put an extreme number where a number was: the schema's bounds are the point.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("number" as const), at: fc.nat(), value: fc.constantFrom(...EXTREME_NUMBERS) }) },
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: fc.constantFrom(...EXTREMES) }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    // Unknown keys, prototype names, and fields the schema knows (inserted where they may or may not belong).
    key: fc.constantFrom(
      "extra", "", "__proto__", "constructor", "kind", "file", "params", "seed", "rounds", "roundSeconds", "nodes", "hosts",
      "settlement", "thresholdDollars", "threshold", "packetsPerRound", "payment", "perPacket", "traffic", "ratePerSec", "paths", "k",
    ),
    value: fc.constantFrom(...EXTREMES),
  }),
  fc.record({ kind: fc.constant("nest" as const), at: fc.nat() }),
);

const caseArb = fc.record({
  base: fc.nat({ max: BASES.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  depth: fc.constantFrom(65, 200, 5000),
  bom: fc.boolean(),
});

type Mutation = { kind: "number" | "replace" | "delete" | "insert" | "nest"; at: number; value?: Json; key?: string };

/** The base with each mutation applied at the place `at` picks (modulo the places there are). */
function apply(base: Json, mutations: Mutation[]): Json {
  let value = structuredClone(base);
  for (const m of mutations) {
    const paths = m.kind === "number" ? numbersOf(value) : pathsOf(value);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length]!;
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, value) as Record<string | number, Json>;
    const key = path[path.length - 1]!;
    if (m.kind === "replace" || m.kind === "number") parent[key] = structuredClone(m.value!);
    else if (m.kind === "nest") parent[key] = DEEP;
    else if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else {
      const target = parent[key];
      if (target !== null && typeof target === "object" && !Array.isArray(target)) {
        Object.defineProperty(target, m.key!, { value: structuredClone(m.value!), enumerable: true, writable: true, configurable: true });
      } else value = { ...(value as Record<string, Json>), [m.key!]: structuredClone(m.value!) };
    }
  }
  return value;
}

describe("the scenario loader under fuzzing", () => {
  it("accepts or refuses every mutated scenario with a one-line TollwayError naming a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollway-fuzz-"));
    let n = 0;
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ base, mutations, depth, bom }) => {
        const scenario = apply(BASES[base]!, mutations);
        const nested = '{"a":['.repeat(depth) + "0" + "]}".repeat(depth);
        const text = (bom ? "\uFEFF" : "") + JSON.stringify(scenario).split(JSON.stringify(DEEP)).join(nested);
        const file = join(dir, `case-${n++}.json`);
        writeFileSync(file, text);
        try {
          const loaded = loadScenarioFile(file);
          await buildScenario(loaded);
          outcomes.accepted++;
        } catch (error) {
          if (!(error instanceof TollwayError)) throw new Error(`${file}: not a TollwayError: ${String(error)}`, { cause: error });
          expect(error.place.file, error.message).toBeDefined();
          expect(error.message).not.toMatch(/\n/);
          // The scenario itself, or a file it names (a topology resolved beside it, a device): an absolute path.
          expect(error.place.file === file || error.place.file!.startsWith("/"), error.message).toBe(true);
          outcomes.refused++;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
    // Mutations hit both sides: some scenarios survive (e.g. a changed description), most do not.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(outcomes.accepted);
  });
});
