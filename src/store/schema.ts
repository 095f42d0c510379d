/**
 * The tables of a results store. Every row of the run-level tables carries the experiment id,
 * point id, replication, seed, the point's scenario hash and the Tollway version that made it,
 * so a row exported alone still says where it came from. Measures are typed columns (no JSON
 * in the main tables), so Parquet and CSV exports load straight into pandas, polars and R.
 */

/** Bumped whenever a table changes shape; a store of another version is refused. */
export const STORE_SCHEMA_VERSION = 3;

/** The columns every run-level row starts with, in order. */
export const KEY_COLUMNS = `
  experiment_id VARCHAR NOT NULL,
  point_id VARCHAR NOT NULL,
  replication INTEGER NOT NULL,
  seed UBIGINT NOT NULL,
  scenario_hash VARCHAR NOT NULL,
  tollway_version VARCHAR NOT NULL`;

/** How many columns {@link KEY_COLUMNS} holds. */
export const KEY_WIDTH = 6;

/** Measures of a run in the runs table: [column, field of RunTotalsRow]. */
export const RUN_MEASURES = [
  ["value", "value"],
  ["user_utility", "userUtility"],
  ["consumer_surplus", "consumerSurplus"],
  ["isp_revenue", "ispRevenue"],
  ["isp_cost", "ispCost"],
  ["isp_profit", "ispProfit"],
  ["welfare", "welfare"],
  ["sent_packets", "sentPackets"],
  ["delivered_packets", "deliveredPackets"],
  ["drop_share", "dropShare"],
  ["switches_per_flow_minute", "switchesPerFlowMinute"],
  ["price_volatility", "priceVolatility"],
  ["settle_sec", "settleSec"],
  ["dominant_period_sec", "dominantPeriodSec"],
  ["period_power", "periodPower"],
] as const;

/** Measures of a round in the round_metrics table: [column, field of RoundRow]. */
export const ROUND_MEASURES = [
  ["value", "value"],
  ["isp_revenue", "ispRevenue"],
  ["isp_cost", "ispCost"],
  ["consumer_surplus", "consumerSurplus"],
  ["producer_surplus", "producerSurplus"],
  ["welfare", "welfare"],
  ["user_utility", "userUtility"],
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["drop_share", "dropShare"],
  ["switches", "switches"],
] as const;

/** Measures of a user agent in the flow_metrics table: [column, field of FlowRow]. */
export const FLOW_MEASURES = [
  ["user_utility", "userUtility"],
  ["sent_packets", "sentPackets"],
  ["delivered_packets", "deliveredPackets"],
  ["loss_share", "lossShare"],
  ["throughput_bps", "throughputBps"],
  ["spent", "spent"],
  ["delay_ms", "delayMs"],
  ["late_share", "lateShare"],
] as const;

/**
 * Measures of a pricing-policy run (`tollway reproduce`: Table I and the α frontier) in the
 * policy_metrics table: [column, field of PolicyOutcome]. Counts are exact as doubles.
 */
export const POLICY_MEASURES = [
  ["avg_bandwidth_mbps", "avgBandwidthMbps"],
  ["unit_price", "unitPrice"],
  ["revenue", "revenue"],
  ["links_under_50_pct", "linksUnder50Pct"],
  ["users_never_switched", "usersNeverSwitched"],
  ["user_utility", "userUtility"],
  ["delivered_pct", "deliveredPct"],
  ["mean_link_price", "meanLinkPrice"],
  ["flows", "flows"],
  ["nodes", "nodes"],
  ["directed_links", "directedLinks"],
  ["rate_per_sec", "ratePerSec"],
  ["seconds", "seconds"],
] as const;

/** The tables that hold one or more rows per run (deleted and rewritten together). */
export const RUN_TABLES = ["runs", "round_metrics", "isp_metrics", "flow_metrics", "policy_metrics", "link_peaks", "path_switch_counts"] as const;

/** Every table, in the order exports write them. */
export const ALL_TABLES = ["store_meta", "experiments", "points", ...RUN_TABLES] as const;

/** The DDL of a fresh store. */
export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS experiments (
  experiment_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  base_file VARCHAR NOT NULL,
  base_hash VARCHAR NOT NULL,
  seed BIGINT NOT NULL,
  replications INTEGER NOT NULL,
  design VARCHAR NOT NULL,
  point_count INTEGER NOT NULL,
  run_count INTEGER NOT NULL,
  factors VARCHAR NOT NULL,
  measures VARCHAR NOT NULL,
  spec_json VARCHAR NOT NULL,
  tollway_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
  experiment_id VARCHAR NOT NULL,
  point_id VARCHAR NOT NULL,
  point_index INTEGER NOT NULL,
  scenario_hash VARCHAR NOT NULL,
  tollway_version VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (${KEY_COLUMNS},
  point_index INTEGER NOT NULL,
  status VARCHAR NOT NULL,
  error VARCHAR,
  wall_seconds DOUBLE NOT NULL,
  shard INTEGER,
  topology_hash VARCHAR,
  ${RUN_MEASURES.map(([c]) => `${c} DOUBLE`).join(",\n  ")}
);
CREATE TABLE IF NOT EXISTS round_metrics (${KEY_COLUMNS},
  round INTEGER NOT NULL,
  ${ROUND_MEASURES.map(([c]) => `${c} DOUBLE NOT NULL`).join(",\n  ")}
);
CREATE TABLE IF NOT EXISTS isp_metrics (${KEY_COLUMNS},
  isp VARCHAR NOT NULL,
  strategy VARCHAR NOT NULL,
  revenue DOUBLE NOT NULL,
  cost DOUBLE NOT NULL,
  profit DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS flow_metrics (${KEY_COLUMNS},
  agent INTEGER NOT NULL,
  flow VARCHAR NOT NULL,
  ${FLOW_MEASURES.map(([c]) => `${c} DOUBLE NOT NULL`).join(",\n  ")}
);
CREATE TABLE IF NOT EXISTS policy_metrics (${KEY_COLUMNS},
  policy VARCHAR NOT NULL,
  scenario VARCHAR NOT NULL,
  alpha DOUBLE,
  ${POLICY_MEASURES.map(([c]) => `${c} DOUBLE NOT NULL`).join(",\n  ")}
);
CREATE TABLE IF NOT EXISTS link_peaks (${KEY_COLUMNS},
  link INTEGER NOT NULL,
  peak_utilization DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS path_switch_counts (${KEY_COLUMNS},
  switches INTEGER NOT NULL,
  users DOUBLE NOT NULL
);
`;

/** Quotes an SQL identifier (factor names may hold dots). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes an SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
