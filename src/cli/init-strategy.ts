/**
 * `tollway init-strategy <id> --kind isp|user [--dir DIR]`: the first of two steps to a strategy
 * of your own, anywhere on disk. It writes the strategy file, a conformance test, a scenario that
 * uses the strategy and (unless the folder has one) a package.json with `"type": "module"` and
 * the dependencies; the second step is `npm install` in that folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { TollwayError } from "../errors.js";
import { PACKAGE_ROOT, VERSION } from "../version.js";

interface InitOptions {
  kind: string;
  dir?: string;
  tollway?: string;
}

export function registerInitStrategy(program: Command): void {
  program
    .command("init-strategy")
    .description("start a strategy of your own in a folder of its own: the strategy, a conformance test, a scenario and a package.json")
    .argument("<id>", "the strategy's id: lower-case words joined by dashes, e.g. my-toll")
    .requiredOption("--kind <kind>", "isp (sets tariffs on an ISP's links) or user (chooses packets, payment and path for a flow)")
    .option("--dir <dir>", "folder to write into (default: ./<id>); an existing package.json there is kept and must say \"type\": \"module\"")
    .option("--tollway <spec>", "how the new package.json depends on tollway (default: this tollway's folder, as a file: path)")
    .action((id: string, options: InitOptions) => {
      const dir = resolve(options.dir ?? id);
      for (const line of initStrategy(id, options.kind, dir, options.tollway)) process.stdout.write(`${line}\n`);
      const cd = relative(process.cwd(), dir) || ".";
      process.stdout.write(`\nnext: cd ${cd} && npm install && npx tollway run scenario-${id}.json && npm test\n`);
    });
}

/**
 * Writes the files for strategy `id` of `kind` into `dir` and returns one line per file written.
 * Refuses to overwrite a file, and a package.json that does not make `.ts` files ES modules.
 */
export function initStrategy(id: string, kind: string, dir: string, tollwaySpec?: string): string[] {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new TollwayError(`strategy id "${id}" must be lower-case letters, digits and dashes, e.g. my-toll`);
  if (kind !== "isp" && kind !== "user") throw new TollwayError(`--kind must be isp or user (got "${kind}")`);
  const files: Record<string, string> = {
    [`${id}.ts`]: kind === "isp" ? ispTemplate(id) : userTemplate(id),
    [`${id}.test.ts`]: testTemplate(id, kind),
    [`scenario-${id}.json`]: `${JSON.stringify(scenarioTemplate(id, kind), null, 2)}\n`,
  };
  for (const name of Object.keys(files)) {
    if (existsSync(join(dir, name))) throw new TollwayError("already exists; choose another id or --dir", { file: join(dir, name) });
  }
  const pkgFile = join(dir, "package.json");
  const written: string[] = [];
  if (existsSync(pkgFile)) {
    const type = (JSON.parse(readFileSync(pkgFile, "utf8")) as { type?: unknown }).type;
    if (type !== "module") throw new TollwayError(`does not say "type": "module", which strategy files need (they are ES modules); add it, or choose another --dir`, { file: pkgFile });
  } else {
    files["package.json"] = `${JSON.stringify(packageTemplate(id, tollwaySpec ?? defaultTollwaySpec()), null, 2)}\n`;
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { flag: "wx" });
    written.push(`wrote ${join(dir, name)}`);
  }
  return written;
}

/**
 * Tollway is not on the npm registry: a new project depends on the folder this tollway runs from
 * (npm links it), unless that folder is itself an installed copy inside node_modules.
 */
function defaultTollwaySpec(): string {
  if (PACKAGE_ROOT !== undefined && !/[\\/]node_modules[\\/]/.test(PACKAGE_ROOT)) return `file:${PACKAGE_ROOT}`;
  return `^${VERSION}`;
}

/** The version ranges this tollway was built and tested with, for zod and vitest. */
function ownRange(name: string, fallback: string): string {
  if (PACKAGE_ROOT === undefined) return fallback;
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? fallback;
}

function packageTemplate(id: string, tollway: string): object {
  return {
    name: id,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: { test: "vitest run", start: `tollway run scenario-${id}.json` },
    dependencies: { tollway, zod: ownRange("zod", "^4.0.0") },
    devDependencies: { vitest: ownRange("vitest", "^4.0.0") },
  };
}

function title(id: string): string {
  const words = id.split("-").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ispTemplate(id: string): string {
  return `/**
 * ${id}: an ISP strategy (a template to edit). Every round it sets one tariff per outgoing link
 * from what it saw on that link last round. Keep \`decide\` pure: use only its arguments, draw
 * randomness only from \`rng\`, and return the new state as plain data.
 */
import { z } from "zod";
import { defineIspStrategy } from "tollway/strategy";

export default defineIspStrategy({
  id: "${id}",
  name: "${title(id)}",
  // Parameters are strict: a scenario that misspells one is refused with the closest name.
  params: z.object({
    /** Units kept per packet on every link. */
    perPacket: z.number().int().min(0).default(1),
    /** Congestion toll per packet for each tenth of load above the link's capacity. */
    perTenthOver: z.number().int().min(0).default(2),
  }),
  meta: {
    description: "A fixed toll on every link, plus a congestion toll that grows with last round's load above capacity.",
    memoryDepth: 1,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => ({
    state,
    action: {
      tariffs: observation.links.map((link) => ({
        perPacket: params.perPacket,
        congestion: link.load > 1 ? params.perTenthOver * Math.ceil((link.load - 1) * 10) : 0,
      })),
    },
  }),
});
`;
}

function userTemplate(id: string): string {
  return `/**
 * ${id}: a user strategy (a template to edit). Every round it chooses, for its flow, how many
 * packets to send, the payment in each and one of the paths its access ISP offers. Keep
 * \`decide\` pure: use only its arguments, draw randomness only from \`rng\`, and return the new
 * state as plain data.
 */
import { z } from "zod";
import { cheapestPath, defineUserStrategy } from "tollway/strategy";

export default defineUserStrategy({
  id: "${id}",
  name: "${title(id)}",
  // Parameters are strict: a scenario that misspells one is refused with the closest name.
  params: z.object({
    /** Units paid per packet above the cheapest path's announced price. */
    margin: z.number().int().min(0).default(2),
  }),
  meta: {
    description: "Sends its whole demand on the cheapest offered path, paying its announced price plus a margin.",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state, params) => {
    const path = cheapestPath(observation.paths);
    return { state, action: { packets: observation.demandPackets, payment: observation.paths[path]!.price + params.margin, path } };
  },
});
`;
}

function testTemplate(id: string, kind: "isp" | "user"): string {
  const behaviour = kind === "isp"
    ? `  it("keeps the fixed toll on a free link and adds the congestion toll per tenth over capacity", () => {
    const params = strategy.params.parse({ perPacket: 1, perTenthOver: 2 });
    const observation = isp([ispLink({ load: 0.5 }), ispLink({ link: 1, load: 1.25 })], { round: 1 });
    const { action } = strategy.decide(observation, null, params, createRng(1));
    // 1.25 is 0.25 over capacity: 3 started tenths, 2 units each.
    expect(action.tariffs).toEqual([{ perPacket: 1, congestion: 0 }, { perPacket: 1, congestion: 6 }]);
  });`
    : `  it("sends on the cheapest path and pays its price plus the margin", () => {
    const params = strategy.params.parse({ margin: 3 });
    const observation = user({ demandPackets: 100, paths: priced(11, 4) });
    const { action } = strategy.decide(observation, null, params, createRng(1));
    expect(action).toEqual({ packets: 100, payment: 7, path: 1 });
  });`;
  return `/** The conformance kit every strategy must pass, and a behaviour test to extend: \`npm test\`. */
import { describe, expect, it } from "vitest";
import { conformanceChecks, createRng, ${kind === "isp" ? "isp, ispLink" : "priced, user"} } from "tollway/testing";
import strategy from "./${id}.js";

describe("${id} passes the conformance kit", () => {
  for (const check of conformanceChecks(strategy)) it(check.name, check.run);
});

describe("${id} behaves as written", () => {
${behaviour}

  it("refuses a misspelt parameter", () => {
    expect(strategy.params.safeParse({ ${kind === "isp" ? "perPackets" : "margins"}: 1 }).success).toBe(false);
  });
});
`;
}

/** A small run on the Bill-Pay paper's Figure 1 network (hosts A and B, ISPs X, Y and Z). */
function scenarioTemplate(id: string, kind: "isp" | "user"): object {
  const mine = { strategy: `./${id}.ts`, params: {} };
  return {
    name: `${id}-figure1`,
    description: kind === "isp"
      ? `Every ISP of the Bill-Pay Figure 1 network runs ${id}; one flow from A to B pays 20 per packet on the cheapest offered path.`
      : `One flow from A to B runs ${id} on the Bill-Pay Figure 1 network, whose ISPs keep a fixed toll of 1 per packet.`,
    unit: "nanodollar",
    seed: 1,
    rounds: 10,
    topology: { kind: "figure1" },
    isps: { default: kind === "isp" ? mine : { strategy: "fixed-toll", params: { perPacket: 1 } } },
    flows: [{
      id: "A->B", from: "A", to: "B",
      ...(kind === "user" ? mine : { strategy: "fixed-payment", params: { payment: 20 } }),
      packetsPerRound: 100, packetBytes: 1500, ackBytes: 40,
    }],
  };
}
