/**
 * The reproduction of Table I of the pricing paper (section IV): static pricing and dynamic
 * pricing with α = 2, 4, 6, run on the same topology, the same generated traffic and the same
 * seed, each measured by the pricing reporters of src/metrics/. Every run is an ordinary
 * scenario (`policyScenario`), so what is measured here can also be run with `tollway run`.
 *
 * Scale: the paper's network carries 4.26 million new flows per second on 500 Gbps links. A
 * smaller scale divides both the link capacity and the arrival rate by the same factor, which
 * keeps every link's expected load, and so the prices, the same; what changes is the noise (a
 * link carries fewer flows). Parameters and the reasons for them: docs/pricing-model.md §5–6.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedTopologyFile } from "../data/topology.js";
import { inFile, TollwayError } from "../errors.js";
import { FlowBandwidthReporter } from "../metrics/flow-bandwidth.js";
import { IspRevenueReporter } from "../metrics/isp-revenue.js";
import { LinkUtilizationReporter } from "../metrics/link-utilization.js";
import { PathSwitchReporter } from "../metrics/path-switches.js";
import { PricingUtilityReporter } from "../metrics/pricing-utility.js";
import { UnitPriceReporter } from "../metrics/unit-price.js";
import { PAPER_PRICING } from "../mechanisms/pricing/price.js";
import { PAPER_TRAFFIC } from "../mechanisms/pricing/traffic.js";
import type { SimulationObserver } from "../engine/simulation.js";
import { defaultWorkerCount, WorkerPool } from "../parallel/supervisor.js";
import { checkScenario } from "../scenario/build.js";
import { parseScenario, type LoadedScenario } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import type { ScenarioInput } from "../scenario/schema.js";
import { beatsStatic, checkClaims, mutualWindow, probeAlpha, type ClaimResult } from "./claims.js";
import type { PolicyOutcome } from "./outcome.js";
import { applyVariant, type ScenarioVariant } from "./variant.js";

export type { PolicyOutcome } from "./outcome.js";

/** How big a reproduction is. */
export interface ReproductionScale {
  /** Name shown in the output. */
  name: string;
  /** Share of the paper's link capacity and arrival rate (1 at paper scale). */
  factor: number;
  /** Rounds (seconds of simulated time) per policy. */
  rounds: number;
  /** Bits one simulated packet stands for. */
  packetBits: number;
}

/**
 * The scales `tollway reproduce` knows. `paper`: 4.26 M flows/s on 500 Gbps links for 60 s.
 * `small`: 1/100 of that for 20 s, about a minute for the four policies on two cores. `test`:
 * 1/1000 for 10 s, a few seconds, for the golden test.
 */
export const SCALES = {
  small: { name: "small", factor: 1 / 100, rounds: 20, packetBits: 1e6 },
  paper: { name: "paper", factor: 1, rounds: 60, packetBits: 1e6 },
  test: { name: "test", factor: 1 / 1000, rounds: 10, packetBits: 1e6 },
} as const satisfies Record<string, ReproductionScale>;

/** A scale name `tollway reproduce --scale` accepts. */
export type ScaleName = keyof typeof SCALES;

/**
 * The scale called `name`.
 *
 * @throws TollwayError (`--scale`) naming the scales there are.
 */
export function scaleNamed(name: string): ReproductionScale {
  if (!Object.hasOwn(SCALES, name)) {
    throw new TollwayError(`must be one of ${Object.keys(SCALES).filter((s) => s !== "test").join(", ")} (got "${name}")`, { field: "--scale" });
  }
  return SCALES[name as ScaleName];
}

/**
 * Offered load relative to the paper's arrival rate: 4/3, the top of the paper's own range.
 * The survey behind λ counts 10,000–20,000 flows per /16 per 5 s; the paper takes the middle,
 * 15,000 (4.26 M flows/s). With our duration law and valley-free routes on the JP graph, the
 * middle loads so few links past the 50% threshold that dynamic prices stay below static ones
 * even at α = 2; the top, 20,000 (5.68 M flows/s), is where the reproduction runs
 * (docs/pricing-model.md §5 gives the runs at other loads). `--load` changes it.
 */
export const DEFAULT_LOAD = PAPER_TRAFFIC.flowsPerSlash16[1] / ((PAPER_TRAFFIC.flowsPerSlash16[0] + PAPER_TRAFFIC.flowsPerSlash16[1]) / 2);

/** A pricing policy: static prices, or dynamic ones with base-price discount α. */
export type Policy = { kind: "static" } | { kind: "dynamic"; alpha: number };

/** Everything that defines a reproduction run but the policy. */
export interface ReproductionOptions {
  scale: ReproductionScale;
  seed: number;
  /** A CAIDA AS-relationship file; the built-in generator at 550 ASes when left out. */
  topologyFile?: string;
  /** Offered load relative to the paper's λ (default `DEFAULT_LOAD`). */
  load?: number;
  /** Routes offered per source and destination (default 4). */
  offeredPaths?: number;
  /** Seconds of flow left above which users switch to a cheaper path (paper: 2). */
  switchAfterSec?: number;
  /**
   * A change to the scenario each policy runs (the calibration and the "why" runs of
   * src/reproduce/calibration.ts: flow law, round length, source ASes, congestion scale), applied
   * to every policy alike by `policyScenario`. Plain data, so it travels to workers and SLURM tasks.
   */
  variant?: ScenarioVariant | undefined;
  /**
   * Worker threads each policy's flows are sharded across, as `tollway run --workers` does
   * (default: one per core). The results are the same for any number.
   */
  workers?: number;
  /** Observers added to each policy's own (the memory probe, bench/paper-probe.ts, counts live rows with one). */
  observers?: readonly SimulationObserver[];
  /** Called after each round of each policy. */
  onProgress?: (policy: string, round: number, rounds: number) => void;
  /** Stops the reproduction at the end of the current round (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Called once every policy's scenario has been checked and before the first one runs (the CLI
   * opens its output folder here, so bad input never touches an older run's results).
   */
  beforeRun?: () => Promise<void>;
}

/** Money units per price unit: the runs count in milli-price-units. */
export const MONEY_PER_PU = 1000;

/** Name of a policy in tables and JSON: "static" or "alpha=4". */
export function policyName(policy: Policy): string {
  return policy.kind === "static" ? "static" : `alpha=${policy.alpha}`;
}

/**
 * The default topology file: the JP subgraph of CAIDA's 2015-08-01 AS relationships, at
 * `../shared/data/jp-as-rel.txt` beside the repository, else the copy `tollway data fetch` derived
 * in the per-user data folder, or undefined when neither exists.
 */
export function defaultTopologyFile(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return cachedTopologyFile();
    dir = parent;
  }
  const file = resolve(dir, "../shared/data/jp-as-rel.txt");
  return existsSync(file) ? file : cachedTopologyFile();
}

/** The scenario one policy runs: see the module comment and docs/pricing-model.md §5–6. */
export function policyScenario(policy: Policy, options: ReproductionOptions): ScenarioInput {
  const { scale, seed } = options;
  const capacityBps = PAPER_PRICING.capacityBps * scale.factor;
  const isp = policy.kind === "static"
    ? { strategy: "static-price", params: { priceSeed: seed, moneyPerPU: MONEY_PER_PU } }
    : { strategy: "dynamic-price", params: { alpha: policy.alpha, priceSeed: seed, moneyPerPU: MONEY_PER_PU } };
  const scenario: ScenarioInput = {
    name: `table1-${policyName(policy)}`,
    description: "Pricing paper, Table I: one pricing policy on the shared topology, traffic and seed",
    unit: "milli-price-unit",
    seed,
    rounds: scale.rounds,
    roundSeconds: 1,
    topology: options.topologyFile !== undefined
      ? { kind: "caida", file: resolve(options.topologyFile), capacityBps }
      : { kind: "generated", nodes: 550, capacityBps },
    paths: { k: options.offeredPaths ?? 4 },
    isps: { default: isp },
    traffic: {
      ratePerSec: PAPER_TRAFFIC.ratePerSec * scale.factor * (options.load ?? DEFAULT_LOAD),
      packetBits: scale.packetBits,
      user: { strategy: "cheapest-path", params: { switchAfterSec: options.switchAfterSec ?? 2 } },
    },
    // Money stays in the per-link ledger; settlement plays no part in the paper's evaluation.
    settlement: { threshold: Number.MAX_SAFE_INTEGER },
  };
  return options.variant !== undefined ? applyVariant(scenario, options.variant) : scenario;
}

/** The scenario one policy runs, validated; named `<static>`, `<alpha=4>`, ... in errors. */
function loadPolicy(policy: Policy, options: ReproductionOptions): LoadedScenario {
  return parseScenario(policyScenario(policy, options), `<${policyName(policy)}>`);
}

/**
 * Runs one policy and measures it, through `runScenario` like any scenario, with its flows
 * sharded across `options.workers` worker threads: those of `pool` when given (kept for the
 * next policy), else threads of its own (shut down when it ends, however it ends).
 */
export async function runPolicy(policy: Policy, options: ReproductionOptions, pool?: WorkerPool): Promise<PolicyOutcome> {
  const started = performance.now();
  const name = policyName(policy);
  const loaded = loadPolicy(policy, options);
  const bandwidth = new FlowBandwidthReporter();
  const revenue = new IspRevenueReporter();
  const price = new UnitPriceReporter(MONEY_PER_PU);
  const roundSeconds = loaded.scenario.roundSeconds;
  const utility = new PricingUtilityReporter(roundSeconds, MONEY_PER_PU);
  const links = new LinkUtilizationReporter(roundSeconds);
  const switches = new PathSwitchReporter();
  // An interruption or a failed worker names the policy: "<alpha=4>: interrupted after 3 of 20 rounds".
  const { built } = await runScenario(loaded, {
    parallel: pool ? { pool } : { workers: options.workers ?? defaultWorkerCount() },
    observers: [bandwidth, revenue, price, utility, links, switches, ...(options.observers ?? [])],
    // Millions of generated flows: the summary keeps their totals, not a line each.
    flowSummaries: false,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => options.onProgress?.(name, done, total),
  }).catch((error: unknown) => inFile(loaded.file, error));
  const { topology } = built;
  const b = bandwidth.result();
  const u = links.result();
  const s = switches.result();
  return {
    policy: name,
    scenario: loaded.scenario.name,
    scenarioHash: loaded.hash,
    seed: loaded.scenario.seed,
    alpha: policy.kind === "static" ? null : policy.alpha,
    avgBandwidthMbps: b.meanMbps,
    unitPrice: price.result().pathPricePerMbit,
    revenue: Number(revenue.result().revenue) / MONEY_PER_PU,
    linksUnder50Pct: 100 * u.shareUnderThreshold,
    usersNeverSwitched: 100 * s.neverSwitched,
    userUtility: utility.result().utility,
    deliveredPct: 100 * b.deliveredShare,
    meanLinkPrice: price.result().meanLinkPrice,
    flows: b.flows,
    peaks: u.peaks,
    switchCounts: s.counts,
    nodes: topology.nodeIds.length,
    directedLinks: topology.linkCount,
    ratePerSec: loaded.scenario.traffic!.ratePerSec,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Runs the policies on the same topology, traffic and seed, one after the other (each sharded
 * across `options.workers` threads, the same threads for every policy; one policy's flows in
 * memory at a time), and returns their outcomes in the order of `policies`.
 */
export async function runPolicies(policies: readonly Policy[], options: ReproductionOptions, pool?: WorkerPool): Promise<PolicyOutcome[]> {
  return withPool(options, pool, async (threads) => {
    // The threads start and load their modules on the other cores while this one checks the policies.
    threads.start();
    // Bad input (an unreadable topology, a bad α) fails here, before the first policy has run for minutes.
    for (const policy of policies) await checkScenario(loadPolicy(policy, options));
    await options.beforeRun?.();
    const outcomes: PolicyOutcome[] = [];
    for (const policy of policies) outcomes.push(await runPolicy(policy, options, threads));
    return outcomes;
  });
}

/** Runs `work` with `pool`, or with a pool of `options.workers` threads made for it and closed after. */
async function withPool<T>(options: ReproductionOptions, pool: WorkerPool | undefined, work: (pool: WorkerPool) => Promise<T>): Promise<T> {
  if (pool) return work(pool);
  const own = new WorkerPool({ workers: options.workers ?? defaultWorkerCount() });
  try {
    return await work(own);
  } finally {
    await own.close();
  }
}

/** Table I's policies: static, then α = 2, 4, 6. */
export const TABLE1_POLICIES: readonly Policy[] = [
  { kind: "static" },
  ...PAPER_PRICING.alphas.map((alpha): Policy => ({ kind: "dynamic", alpha })),
];

/** A reproduction of Table I: our outcomes and the claims checked on them. */
export interface Table1Result {
  scale: ReproductionScale;
  seed: number;
  load: number;
  /** The CAIDA file used, or null for the generated topology. */
  topologyFile: string | null;
  outcomes: PolicyOutcome[];
  /**
   * When none of α = 2, 4, 6 beats static pricing on both revenue and unit price: a run at the
   * middle of the α interval where interpolation says one would (see `mutualWindow`).
   */
  probe: PolicyOutcome | null;
  claims: ClaimResult[];
}

/** Runs static pricing and α = 2, 4, 6 and checks the paper's claims on them. */
export async function reproduceTable1(options: ReproductionOptions): Promise<Table1Result> {
  const { outcomes, probe } = await withPool(options, undefined, async (pool) => {
    const outcomes = await runPolicies(TABLE1_POLICIES, options, pool);
    const stat = outcomes[0]!;
    const dynamic = outcomes.slice(1);
    const alpha = probeAlpha(mutualWindow(stat, dynamic), PAPER_PRICING.staticRange[0]);
    const probe = !dynamic.some((o) => beatsStatic(o, stat)) && alpha !== null ? await runPolicy({ kind: "dynamic", alpha }, options, pool) : null;
    return { outcomes, probe };
  });
  return {
    scale: options.scale, seed: options.seed, load: options.load ?? DEFAULT_LOAD,
    topologyFile: options.topologyFile ?? null, outcomes, probe, claims: checkClaims(outcomes, probe ?? undefined),
  };
}

/** The `--json` shape: the five Table I columns per policy, and the claims. */
export function table1Json(result: Table1Result): {
  rows: { policy: string; avgBandwidthMbps: number; unitPrice: number; revenue: number; linksUnder50Pct: number; usersNeverSwitched: number }[];
  claims: { id: string; holds: boolean; detail: string }[];
} {
  return {
    rows: result.outcomes.map((o) => ({
      policy: o.policy, avgBandwidthMbps: o.avgBandwidthMbps, unitPrice: o.unitPrice, revenue: o.revenue,
      linksUnder50Pct: o.linksUnder50Pct, usersNeverSwitched: o.usersNeverSwitched,
    })),
    claims: result.claims.map((c) => ({ id: c.id, holds: c.holds, detail: c.detail })),
  };
}
