#!/usr/bin/env node
// The charts of docs/billpay.md, "Payment modulation": reads the stores of the three experiments
// (after `npm run build`), writes SVG and PNG into a folder, and prints the bulk transfer's net
// value v × delivered Mbit − spend (mean and 95% CI over replications) for a few values v per Mbit.
//   node scripts/billpay-modulation-charts.mjs <bulk-transfer store> <bulk-modulation store> <time-sensitive store> <folder>
import { join } from "node:path";
import { ResultStore } from "../dist/src/store/store.js";
import { summarizeStore } from "../dist/src/store/summarize.js";
import { meanConfidenceInterval } from "../dist/src/metrics/stats.js";
import { tradeoffChart, writeChart } from "../dist/src/report/index.js";

const [bulkStore, familyStore, timeStore, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: billpay-modulation-charts.mjs <bulk-transfer store> <bulk-modulation store> <time-sensitive store> <folder>");
  process.exit(2);
}

async function points(file, flow) {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    return await summarizeStore(store, { flow });
  } finally {
    store.close();
  }
}

/** A chart row: the point's mean and interval of two measures, scaled. */
function row(p, series, label, x, xScale, y, yScale) {
  const m = (name, scale) => ({ mean: p.measures[name].mean * scale, low: p.measures[name].low * scale, high: p.measures[name].high * scale });
  const a = m(x, xScale);
  const b = m(y, yScale);
  return { series, label, x: a.mean, xLow: a.low, xHigh: a.high, y: b.mean, yLow: b.low, yHigh: b.high };
}

const axes = (xTitle, yTitle) => ({ x: { mean: "x", low: "xLow", high: "xHigh", title: xTitle }, y: { mean: "y", low: "yLow", high: "yHigh", title: yTitle } });
const bulkRows = [
  ...(await points(familyStore, "bulk")).map((p) => row(p, `step ${p.factors.step}`, `${p.factors.targetBps / 1e6}`, "spent", 1e-3, "throughput_bps", 1e-6)),
  ...(await points(bulkStore, "bulk")).filter((p) => p.factors.user !== "modulated-bulk").map((p) => row(p, "reference", p.factors.user, "spent", 1e-3, "throughput_bps", 1e-6)),
];
const timeRows = (await points(timeStore, "game")).map((p) => {
  const user = p.factors.user;
  const series = user.startsWith("quantile") ? "congestion-quantile" : user === "time-sensitive" ? "time-sensitive (reads beacons)" : "fixed payment (0 = never pay)";
  return row(p, series, user, "spent", 1e-3, "loss_share", 100);
});
const written = [
  ...(await writeChart(join(out, "billpay-bulk-modulation.png"), tradeoffChart({
    rows: bulkRows, series: "series", seriesTitle: "modulated-bulk rule", label: "label",
    colors: ["#9ecae1", "#4292c6", "#2171b5", "#08306b", "#d94801"],
    title: "Bulk transfer: throughput against spend (means, 95% CIs; blue labels: target, Mbps)",
    ...axes("Net spend over the 60 s run (thousand nanodollars)", "Throughput (Mbps)"),
  }), { scale: 2 })),
  ...(await writeChart(join(out, "billpay-time-sensitive.png"), tradeoffChart({
    rows: timeRows, series: "series", seriesTitle: "user", label: "label", colors: ["#d94801", "#2171b5", "#238b45"],
    title: "Time-sensitive packets: loss against spend (means, 95% CIs)",
    ...axes("Net spend over the 60 s run (thousand nanodollars)", "Packets lost (%)"),
  }), { scale: 2 })),
];
console.log(written.join("\n"));

// Net value per run, v per delivered Mbit (a download is worth what it brings), then its mean and CI per rule.
const perRun = [];
for (const [file, name] of [[familyStore, (p) => `modulated-bulk step ${p.step}, target ${p.targetBps / 1e6} Mbps`], [bulkStore, (p) => p.user]]) {
  const store = await ResultStore.open(file, { readOnly: true });
  try {
    const rows = await store.rows("SELECT p.*, f.throughput_bps, f.spent FROM flow_metrics f JOIN points p USING (experiment_id, point_id) JOIN runs r USING (experiment_id, point_id, replication) WHERE f.flow = 'bulk' AND r.status = 'ok'");
    for (const r of rows) perRun.push({ rule: name(r), mbit: (r.throughput_bps * 60) / 1e6, spent: r.spent });
  } finally {
    store.close();
  }
}
const rules = [...new Set(perRun.map((r) => r.rule))];
for (const v of [500, 1000, 2000, 4000]) {
  const ranked = rules
    .map((rule) => ({ rule, ...meanConfidenceInterval(perRun.filter((r) => r.rule === rule).map((r) => v * r.mbit - r.spent)) }))
    .sort((a, b) => b.mean - a.mean);
  const k = (x) => Math.round(x / 1000);
  const best = ranked.find((r) => r.rule.startsWith("modulated-bulk step"));
  console.log(`v = ${v} per Mbit: best family rule ${best.rule} ${k(best.mean)}k [${k(best.low)}k, ${k(best.high)}k]; others: ${ranked.filter((r) => !r.rule.startsWith("modulated-bulk step")).map((r) => `${r.rule} ${k(r.mean)}k [${k(r.low)}k, ${k(r.high)}k]`).join(", ")}`);
}
