/** `tollway summarize <store>`: each point's mean and 95% CI of chosen measures over its replications. */
import type { Command } from "commander";
import { ResultStore } from "../store/store.js";
import { summarizeStore, type PointSummary } from "../store/summarize.js";
import { formatTable } from "../report/table.js";

/** Adds `tollway summarize` to the program. */
export function registerSummarize(program: Command): void {
  program
    .command("summarize")
    .description("each point's mean and 95% confidence interval of chosen measures, from a results store")
    .argument("<store>", "DuckDB results store")
    .option("--measures <list>", "comma-separated columns of the runs table (default: the experiment's measures, else welfare,isp_revenue,user_utility)")
    .option("--experiment <id>", "only this experiment")
    .option("--flow <id>", "measures of this listed flow (its id) from the flow_metrics table: user_utility, sent_packets, delivered_packets, loss_share, throughput_bps, spent, delay_ms, late_share")
    .option("--json", "print the summaries as JSON")
    .action(async (file: string, options: { measures?: string; experiment?: string; flow?: string; json?: boolean }) => {
      const store = await ResultStore.open(file, { readOnly: true });
      let points: PointSummary[];
      try {
        points = await summarizeStore(store, { measures: options.measures?.split(",").map((m) => m.trim()), experimentId: options.experiment, flow: options.flow });
      } finally {
        store.close();
      }
      if (options.json) {
        process.stdout.write(JSON.stringify(points, null, 2) + "\n");
        return;
      }
      const byExperiment = new Map<string, PointSummary[]>();
      for (const p of points) byExperiment.set(p.experimentId, [...(byExperiment.get(p.experimentId) ?? []), p]);
      for (const [id, list] of byExperiment) {
        const factors = Object.keys(list[0]!.factors);
        const measures = Object.keys(list[0]!.measures);
        const fmt = (v: number | null): string => (v === null ? "-" : Number(v.toPrecision(6)).toString());
        const rows = list.map((p) => ({
          point: p.pointIndex, ...p.factors, ok: `${p.ok}/${p.ok + p.failed}`,
          ...Object.fromEntries(measures.map((m) => { const s = p.measures[m]!; return [`m:${m}`, `${fmt(s.mean)} [${fmt(s.low)}, ${fmt(s.high)}]`]; })),
        }));
        process.stdout.write(`experiment ${id}${options.flow === undefined ? "" : `, flow ${options.flow}`}: mean [95% CI] over replications\n`);
        const columns = [{ key: "point" }, ...factors.map((f) => ({ key: f })), { key: "ok", align: "right" as const }, ...measures.map((m) => ({ key: `m:${m}`, title: m, align: "right" as const }))];
        process.stdout.write(formatTable(rows, columns) + "\n");
      }
    });
}
