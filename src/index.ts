/**
 * Tollway's public API, grouped by topic. Notebooks and scripts import from "tollway"; strategy
 * files import from "tollway/strategy".
 */

// Scenarios and runs
export { loadScenarioFile, parseScenario, scenarioHash, type LoadedScenario } from "./scenario/load.js";
export { scenarioSchema, MONEY_UNITS, type Scenario, type ScenarioInput, type MoneyUnit } from "./scenario/schema.js";
export { buildScenario, type BuildOptions, type BuiltScenario } from "./scenario/build.js";
export { runScenario, type RunOptions, type RunResult } from "./scenario/run.js";
export type { RunSummary, LedgerEntry, FlowSummary } from "./metrics/summary.js";
export { TollwayError } from "./errors.js";
export { VERSION } from "./version.js";

// Topology and paths
export { compileTopology, createTopologyGraph, type CompiledTopology, type TopologyGraph } from "./model/topology.js";
export { figure1Topology } from "./model/figure1.js";
export { generateInternetTopology, type InternetTopologyOptions } from "./model/generator.js";
export { parseAsRelationships, loadAsRelationshipsFile } from "./model/loaders/caida.js";
export { asnsOfCountry, loadAsnsOfCountryFile } from "./model/loaders/rir.js";
export { topologyFromJson, topologyToJson, loadTopologyJsonFile } from "./model/loaders/json.js";
export { PathTable, isValleyFree, shortestValleyFreePath, type OfferedPath } from "./model/paths.js";

// The Bill-Pay header, tolls and accounting
export { encodeHeader, decodeHeader, headerSize, MAX_PAYMENT, type BillPayHeader, type IspOad, type UserOad } from "./model/header.js";
export { ispOadsAlong, arrivalHeader, type IspOadEcho } from "./model/oads.js";
export { fixedToll, congestionOutcome, FREE_TARIFF, type Tariff } from "./mechanisms/billpay/tolls.js";
export { BilateralLedger, type Settlement } from "./mechanisms/billpay/ledger.js";

// Path-based dynamic pricing
export * from "./mechanisms/pricing/price.js";
export { PAPER_TRAFFIC, sampleFlow, generateArrivals, packetShareAbove } from "./mechanisms/pricing/traffic.js";
export { arrivalCount, CounterArrivals, type TrafficSpec } from "./mechanisms/pricing/counter-arrivals.js";

// Engine
export { Simulation, type SimulationObserver, type RoundReport, type FlowRecord } from "./engine/simulation.js";
export { createRng, deriveSeed, type Rng } from "./engine/random.js";
export { ExactSum } from "./engine/exact-sum.js";
export type { EndedFlowTotals } from "./engine/flow-totals.js";
export { ShardedFlows, WorkerFlowShards } from "./parallel/supervisor.js";

// Strategies
export * from "./agents/index.js";
export { ISP_STRATEGIES, USER_STRATEGIES, BUILT_IN_STRATEGIES } from "./agents/registry.js";
export { loadStrategy } from "./agents/loader.js";

// Analysis, metrics and reports
export { meanConfidenceInterval, dominantPeriod, timeToSettle, volatility, ecdf } from "./metrics/stats.js";
export { deviationStudy } from "./analysis/deviation.js";
export { tournament } from "./analysis/tournament.js";
export { regrets, epsilonNash, bestResponseDynamics, priceOfAnarchy } from "./analysis/equilibria.js";
export { oscillationStudy } from "./analysis/oscillation-study.js";
export { reproduceTable1 } from "./reproduce/table1.js";
export * from "./report/index.js";
