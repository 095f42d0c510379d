/**
 * Tollway's public API, grouped by topic: what a notebook cell or a script imports from
 * "tollway". Strategy files import from "tollway/strategy", the conformance kit is
 * "tollway/testing". docs/notebook-api.md shows each function with an example.
 *
 * The one way to do each thing: load a scenario (`loadScenarioFile`, `parseScenario`), change it
 * (`changeScenario`), run it once (`runScenario` for the money summary, `runMatch` for the
 * game-theory measures), run many points (`expandPoints` + `runPoints`, or a study), turn
 * results into tidy rows (`summaryRows`, `metricsRows`), and show them (`show`, `showTable`).
 */

// Scenarios: load, check, change
export { loadScenarioFile, parseScenario, scenarioHash, type LoadedScenario } from "./scenario/load.js";
export { changeScenario } from "./scenario/change.js";
export { scenarioSchema, MONEY_UNITS, type Scenario, type ScenarioInput, type MoneyUnit, type StrategyChoice } from "./scenario/schema.js";
export { TollwayError } from "./errors.js";
export { VERSION } from "./version.js";

// Running: one run, one match, many points
export { runScenario, type RunOptions, type RunResult } from "./scenario/run.js";
export { buildScenario, type BuildOptions, type BuiltScenario } from "./scenario/build.js";
export { runMatch, type MatchSpec, type MatchResult, type PlayedStrategy } from "./analysis/match.js";
export {
  expandPoints, runPoints, replicationSeed, serialPointRunner,
  type Point, type PointRunner, type RunPointsOptions, type RowProvenance, type StudyProvenance,
} from "./analysis/points.js";
export { defaultWorkerCount } from "./parallel/supervisor.js";
export type { SimulationObserver, RoundReport, FlowRecord } from "./engine/simulation.js";

// Sweeps: an experiment's runs into a DuckDB store, then SQL
export { loadSweepPlan } from "./analysis/plan-file.js";
export type { SweepPlan, SweepPoint } from "./analysis/sweep-plan.js";
export { runSweepLocal, SweepPool, type LocalSweepOptions, type SweepOutcome, type SweepProgress } from "./cluster/local.js";
export { ResultStore } from "./store/store.js";
export { summarizeStore, type PointSummary } from "./store/summarize.js";
export { runStudy, studyPlan, type StudyLevel, type StudyPlanSpec, type StudyRun, type StudyRunOptions } from "./analysis/study-runs.js";

// Results: the run summary and the game-theory measures
export type { RunSummary, LedgerEntry, FlowSummary } from "./metrics/summary.js";
export type { BillingSummary, BillingApplication, BillingLineSummary } from "./metrics/billing.js";
export { GameMetrics, resolveEconomics, type RunMetrics, type RunTotals, type RoundMetrics, type ResolvedEconomics } from "./metrics/game-metrics.js";
export type { IspTotals, CostModel } from "./metrics/isp-profit.js";
export { valueOfDelivery, DEFAULT_UTILITY, type UtilityParams } from "./metrics/net-utility.js";
export { consumerSurplus, socialWelfare, type WelfareRound } from "./metrics/welfare.js";
export { dropShare } from "./metrics/drop-share.js";
export { switchesPerFlowMinute } from "./metrics/path-flapping.js";
export { seriesOscillation, type LinkOscillation, type PriceOscillation } from "./metrics/price-oscillation.js";
export {
  meanConfidenceInterval, bootstrapMeanInterval, wilsonInterval, dominantPeriod, timeToSettle, volatility, ecdf,
  type MeanInterval, type ConfidenceInterval, type BootstrapOptions, type Periodicity, type EcdfPoint,
} from "./metrics/stats.js";

// Studies: deviation incentives, tournaments and equilibria, oscillation sweeps
export { deviationStudy, type DeviationOptions, type DeviationResult, type DeviationRow } from "./analysis/deviation.js";
export { auditDeviations, type AuditOptions, type AuditResult, type AuditRow } from "./analysis/audit.js";
export {
  tournament, type TournamentOptions, type TournamentResult, type PayoffKind, type RankingRow, type PayoffRow, type MatchRow, type EquilibriumReport,
} from "./analysis/tournament.js";
export { regrets, epsilonNash, bestResponseDynamics, priceOfAnarchy, type PayoffTable, type ProfileRegret, type AnarchyReport } from "./analysis/equilibria.js";
export { oscillationStudy, sweepGrid, type OscillationOptions, type OscillationResult, type OscillationRow, type OscillationPoint } from "./analysis/oscillation-study.js";

// The pricing paper's Table I and Figures 4–6
export { reproduceTable1, scaleNamed, SCALES, TABLE1_POLICIES, DEFAULT_LOAD, defaultTopologyFile, policyName, type Table1Result, type PolicyOutcome, type ReproductionOptions, type ReproductionScale } from "./reproduce/table1.js";
export { PAPER_TABLE1, type ClaimResult } from "./reproduce/claims.js";
export { formatTable1 } from "./reproduce/text.js";
export { table1Charts, figure4Rows, figure5Rows, figure6Rows, table1CsvRows } from "./reproduce/figures.js";

// Reports: tidy rows, tables, charts, and showing them in a notebook
export { summaryRows, metricsRows, type SummaryRows, type MetricsRows, type RunRowProvenance } from "./report/rows.js";
export { formatTable, toCsv, formatNumber, cellText, formatCell, type TableColumn, type CsvColumn, type CsvOptions, type NumberFormat, type CellFormat } from "./report/table.js";
export { formatSummary } from "./report/summary-text.js";
export {
  lineChart, cdfChart, histogramChart, scatterChart,
  type Row, type ChartFrame, type LineChartOptions, type CdfChartOptions, type HistogramChartOptions, type ScatterChartOptions,
} from "./report/specs.js";
export { intervalChart, pairedBarChart, sweepChart, type IntervalChartOptions, type PairedBarChartOptions, type SweepChartOptions } from "./report/game-specs.js";
export { welfareChart, deviationChart, deviationGainChart, oscillationChart, oscillationPointRows, rankingChart } from "./report/study-charts.js";
export { writeOutputs, prepareOutputDir, readManifest, type OutputFiles, type OutputRun, type Manifest } from "./report/outputs.js";
export { runProvenance, studyProvenance, stampRows, stampJson, type Provenance } from "./report/provenance.js";
export { renderSvg, renderPng, writeChart, type PngOptions } from "./report/charts.js";
export { show, showTable, cellProgress, notebookKernel, type KernelName } from "./report/display.js";

// Strategies: the built-ins, loading a file, and writing one (also "tollway/strategy")
export * from "./agents/index.js";
export { ISP_STRATEGIES, USER_STRATEGIES, BUILT_IN_STRATEGIES } from "./agents/registry.js";
export { loadStrategy } from "./agents/loader.js";
export { createRng, deriveSeed } from "./engine/random.js";

// The model: topologies, paths, the Bill-Pay header, tolls and the ledger
export { compileTopology, createTopologyGraph, type CompiledTopology, type TopologyGraph } from "./model/topology.js";
export { figure1Topology } from "./model/figure1.js";
export { generateInternetTopology, type InternetTopologyOptions } from "./model/generator.js";
export { parseAsRelationships, loadAsRelationshipsFile } from "./model/loaders/caida.js";
export { asnsOfCountry, loadAsnsOfCountryFile } from "./model/loaders/rir.js";
export { topologyFromJson, topologyToJson, loadTopologyJsonFile } from "./model/loaders/json.js";
export { PathTable, isValleyFree, shortestValleyFreePath, type OfferedPath } from "./model/paths.js";
export { encodeHeader, decodeHeader, headerSize, MAX_PAYMENT, type BillPayHeader, type IspOad, type UserOad } from "./model/header.js";
export { ispOadsAlong, arrivalHeader, alternativesAt, type IspOadEcho } from "./model/oads.js";
export { steerRoute, requestedChoice, type UserOadRequest } from "./model/steering.js";
export { Cartographer, CampusCartographer, routeName } from "./mechanisms/billpay/cartographer.js";
export { explorationStudy, steerableRoutes, type ExplorationStudy, type ExplorationStudyOptions } from "./analysis/oad-exploration.js";
export { fixedToll, congestionOutcome, FREE_TARIFF } from "./mechanisms/billpay/tolls.js";
export { BilateralLedger, type Settlement } from "./mechanisms/billpay/ledger.js";
export { elicitWillingness, refineWillingness, authorisedPayment, shareBudget, DigitalSecretary, statementTotals, type BillingLine } from "./mechanisms/billpay/secretary.js";

// Path-based dynamic pricing: the paper's formulas
export {
  staticPrice, basePrice, congestionPrice, dynamicPrice, smoothedPrice, crossingUtilization, logUtility, preferredBandwidth,
  userUtility, ispRevenue, PAPER_PRICING, DEFAULT_CONGESTION, type CongestionParams, type DynamicPriceInput,
} from "./mechanisms/pricing/price.js";
export { PAPER_TRAFFIC, sampleFlow, generateArrivals, packetShareAbove } from "./mechanisms/pricing/traffic.js";
export { arrivalCount, CounterArrivals, type TrafficSpec } from "./mechanisms/pricing/counter-arrivals.js";
export { ExactSum } from "./engine/exact-sum.js";
export type { EndedFlowTotals } from "./engine/flow-totals.js";
