/**
 * Each point's mean and 95% confidence interval of chosen measures over its replications, read
 * from a store (the Student t interval of src/metrics/stats.ts, as every study reports): measures
 * of whole runs (the runs table), or of one listed flow (the flow_metrics table, `flow`).
 */
import { TollwayError } from "../errors.js";
import { meanConfidenceInterval } from "../metrics/stats.js";
import { FLOW_MEASURES, quoteIdent, quoteLiteral, RUN_MEASURES } from "./schema.js";
import type { ResultStore } from "./store.js";

/** Measures summarized when neither the caller nor the experiment names any. */
export const DEFAULT_MEASURES = ["welfare", "isp_revenue", "user_utility"];

/** One point of one experiment. */
export interface PointSummary {
  experimentId: string;
  pointIndex: number;
  pointId: string;
  /** Factor values by factor name. */
  factors: Record<string, unknown>;
  /** Runs stored ok / failed. */
  ok: number;
  failed: number;
  /** Mean and 95% CI by measure (null mean and bounds when no run is ok). */
  measures: Record<string, { mean: number | null; low: number | null; high: number | null }>;
}

/**
 * Summarizes every point of every experiment in the store (or of one experiment).
 * @throws TollwayError when a measure is not a column of the runs table.
 */
export async function summarizeStore(store: ResultStore, options: { measures?: string[] | undefined; experimentId?: string | undefined; flow?: string | undefined } = {}): Promise<PointSummary[]> {
  const flow = options.flow;
  const known = (flow === undefined ? RUN_MEASURES : FLOW_MEASURES).map(([c]) => c as string);
  const experiments = await store.rows<{ experiment_id: string; factors: string; measures: string }>(
    `SELECT experiment_id, factors, measures FROM experiments${options.experimentId ? ` WHERE experiment_id = ${quoteLiteral(options.experimentId)}` : ""} ORDER BY experiment_id`,
  );
  if (options.experimentId && experiments.length === 0) throw new TollwayError(`no experiment "${options.experimentId}" in the store`, { file: store.path, field: "--experiment" });
  const out: PointSummary[] = [];
  for (const e of experiments) {
    const measures = options.measures ?? (flow !== undefined ? known : e.measures ? e.measures.split(",") : DEFAULT_MEASURES);
    for (const m of measures) {
      if (!known.includes(m)) throw new TollwayError(`unknown ${flow === undefined ? "" : "flow "}measure "${m}" (measures: ${known.join(", ")})`, { file: store.path, field: "--measures" });
    }
    const factors = e.factors === "" ? [] : e.factors.split(",");
    const points = await store.rows<Record<string, unknown>>(
      `SELECT point_index, point_id${factors.map((f) => `, ${quoteIdent(f)}`).join("")} FROM points WHERE experiment_id = ${quoteLiteral(e.experiment_id)} ORDER BY point_index`,
    );
    const runs = flow === undefined
      ? await store.rows<Record<string, unknown>>(
        `SELECT point_id, status${measures.map((m) => `, ${m}`).join("")} FROM runs WHERE experiment_id = ${quoteLiteral(e.experiment_id)} ORDER BY point_index, replication`,
      )
      : await flowRuns(store, e.experiment_id, flow, measures);
    for (const p of points) {
      const mine = runs.filter((r) => r.point_id === p.point_id);
      const ok = mine.filter((r) => r.status === "ok");
      const summary: PointSummary = {
        experimentId: e.experiment_id, pointIndex: p.point_index as number, pointId: p.point_id as string,
        factors: Object.fromEntries(factors.map((f) => [f, p[f]])), ok: ok.length, failed: mine.length - ok.length, measures: {},
      };
      for (const m of measures) {
        const values = ok.map((r) => r[m]).filter((v): v is number => typeof v === "number");
        if (values.length === 0) summary.measures[m] = { mean: null, low: null, high: null };
        else {
          const ci = meanConfidenceInterval(values);
          summary.measures[m] = { mean: ci.mean, low: ci.low, high: ci.high };
        }
      }
      out.push(summary);
    }
  }
  return out;
}

/**
 * Each run of an experiment with one flow's measures (null where the run failed).
 * @throws TollwayError when no run of the experiment has a flow of that name.
 */
async function flowRuns(store: ResultStore, experimentId: string, flow: string, measures: readonly string[]): Promise<Record<string, unknown>[]> {
  const rows = await store.rows<Record<string, unknown>>(
    `SELECT r.point_id, r.status, f.flow${measures.map((m) => `, f.${m}`).join("")} FROM runs r LEFT JOIN flow_metrics f
      ON f.experiment_id = r.experiment_id AND f.point_id = r.point_id AND f.replication = r.replication AND f.flow = ${quoteLiteral(flow)}
      WHERE r.experiment_id = ${quoteLiteral(experimentId)} ORDER BY r.point_index, r.replication`,
  );
  if (!rows.some((r) => r.flow === flow)) {
    const names = await store.rows<{ flow: string }>(`SELECT DISTINCT flow FROM flow_metrics WHERE experiment_id = ${quoteLiteral(experimentId)} ORDER BY flow`);
    throw new TollwayError(`no flow "${flow}" in experiment "${experimentId}" (flows: ${names.map((n) => n.flow).join(", ") || "none"})`, { file: store.path, field: "--flow" });
  }
  return rows;
}
