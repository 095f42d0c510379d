#!/usr/bin/env node
// The charts of docs/billpay.md, "Does packet-level routing flexibility cause oscillations?":
// reads the store of scenarios/experiments/billpay-oscillation.json (after `npm run build`),
// prints one markdown row per damping rule (means and 95% CIs over the replications), runs the
// scenario once per picked rule on its own seed to draw how many senders are on the route via Y
// each round, and writes both charts (SVG and PNG).
//   node scripts/billpay-oscillation-chart.mjs <store> <folder>
import { join } from "node:path";
import { ResultStore } from "../dist/src/store/store.js";
import { meanConfidenceInterval } from "../dist/src/metrics/stats.js";
import { lineChart, writeChart } from "../dist/src/report/index.js";
import { loadScenarioFile } from "../dist/src/scenario/load.js";
import { changeScenario } from "../dist/src/scenario/change.js";
import { runScenario } from "../dist/src/scenario/run.js";

const [file, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: billpay-oscillation-chart.mjs <store> <folder>");
  process.exit(2);
}
const SCENARIO = new URL("../scenarios/billpay-oscillation.json", import.meta.url).pathname;
const loaded = loadScenarioFile(SCENARIO);
const senders = loaded.scenario.flows.length;
const seconds = loaded.scenario.rounds * loaded.scenario.roundSeconds;
const bits = loaded.scenario.flows[0].packetBytes * 8;

const store = await ResultStore.open(file, { readOnly: true });
let rows;
try {
  rows = await store.rows(`SELECT p.margin, p.probability, p."minStay" AS stay, r.switches_per_flow_minute AS switches,
      r.isp_revenue AS spent, r.delivered_packets AS delivered, r.drop_share AS lost, r.price_volatility AS volatility, r.dominant_period_sec AS period, r.settle_sec AS settle
    FROM runs r JOIN points p USING (experiment_id, point_id) WHERE r.status = 'ok' ORDER BY p.margin, p.probability DESC, p."minStay"`);
} finally {
  store.close();
}

// One entry per damping rule: each measure's mean and interval over the replications.
const rules = new Map();
for (const r of rows) {
  const key = `h ${Number(r.margin)}, p ${Number(r.probability)}, m ${Number(r.stay)}`;
  if (!rules.has(key)) rules.set(key, { key, margin: Number(r.margin), probability: Number(r.probability), stay: Number(r.stay), runs: [] });
  rules.get(key).runs.push({
    switches: Number(r.switches),
    // The senders' net spend is the ISPs' revenue here (B keeps nothing): per sender, thousand nanodollars.
    spent: Number(r.spent) / senders / 1e3,
    mbps: (Number(r.delivered) * bits) / seconds / senders / 1e6,
    lost: Number(r.lost) * 100,
    volatility: Number(r.volatility),
    period: r.period === null ? null : Number(r.period),
    settle: r.settle === null ? null : Number(r.settle),
  });
}
const ci = (values) => meanConfidenceInterval(values);
const fmt = (m, digits) => (m.high - m.low < 10 ** -digits ? m.mean.toFixed(digits) : `${m.mean.toFixed(digits)} [${m.low.toFixed(digits)}, ${m.high.toFixed(digits)}]`);
console.log("| h | p | m | switches per flow-minute | toll volatility | runs whose tolls settled (±1) | settled by (s) | period of the most volatile toll, unsettled runs (s) | lost (%) | throughput per sender (Mbps) | spend per sender (thousand) |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
const summary = [];
for (const rule of rules.values()) {
  const m = Object.fromEntries(["switches", "spent", "mbps", "lost", "volatility"].map((k) => [k, ci(rule.runs.map((r) => r[k]))]));
  // A period means something only for tolls that kept moving; a settled one has none.
  const periods = rule.runs.filter((r) => r.settle === null && r.period !== null).map((r) => r.period);
  const settled = rule.runs.filter((r) => r.settle !== null).map((r) => r.settle);
  summary.push({ ...rule, m });
  console.log(`| ${rule.margin} | ${rule.probability} | ${rule.stay} | ${fmt(m.switches, 2)} | ${fmt(m.volatility, 2)} | ${settled.length}/${rule.runs.length} | ${settled.length ? fmt(ci(settled), 1) : "–"} | ${periods.length ? fmt(ci(periods), 1) : "–"} | ${fmt(m.lost, 2)} | ${fmt(m.mbps, 3)} | ${fmt(m.spent, 0)} |`);
}

// Spend against the move probability, for a few margins and stays.
const lines = [[0, 0], [0, 3], [4, 0], [10, 0], [30, 0]];
const spendRows = summary
  .filter((r) => lines.some(([h, m]) => r.margin === h && r.stay === m))
  .map((r) => ({ p: r.probability, spent: r.m.spent.mean, rule: `h ${r.margin}, m ${r.stay}` }));
// The time series on the scenario's own seed, for a few rules.
const picked = [
  ["in-step", "undamped", { margin: 0, probability: 1, minStay: 0 }],
  ["in-step", "stay m 3", { margin: 0, probability: 1, minStay: 3 }],
  ["in-step", "margin h 30", { margin: 30, probability: 1, minStay: 0 }],
  ["random", "p 0.5", { margin: 0, probability: 0.5, minStay: 0 }],
  ["random", "p 0.5, h 4", { margin: 4, probability: 0.5, minStay: 0 }],
  ["random", "p 0.05", { margin: 0, probability: 0.05, minStay: 0 }],
];
const series = { "in-step": [], random: [] };
for (const [chart, rule, damping] of picked) {
  const scenario = changeScenario(loaded, (s) => ({ flows: s.flows.map((f) => ({ ...f, params: { ...f.params, ...damping } })) }));
  const observer = {
    onRound(report, simulation) {
      let n = 0;
      simulation.forEachFlow((c, i) => { if (c.lastPath[i] === 0) n++; });
      if (report.round < 40) series[chart].push({ round: report.round, senders: n, rule });
    },
  };
  await runScenario(scenario, { observers: [observer] });
}
const timeChart = (rows, title) => lineChart({
  rows, x: "round", y: "senders", color: "rule", points: true, title,
  xTitle: "Round (1 s)", yTitle: `Senders (of ${senders}) via Y`, colorTitle: "damping", width: 560, height: 240,
});
const written = [
  ...(await writeChart(join(out, "billpay-oscillation-in-step.png"), timeChart(series["in-step"], `Senders who move together: on the route via Y each round (seed ${loaded.scenario.seed})`), { scale: 2 })),
  ...(await writeChart(join(out, "billpay-oscillation-random.png"), timeChart(series.random, `Senders who move at random: on the route via Y each round (seed ${loaded.scenario.seed})`), { scale: 2 })),
  ...(await writeChart(join(out, "billpay-oscillation-damping.png"), lineChart({
    rows: spendRows, x: "p", y: "spent", color: "rule", points: true, xType: "ordinal",
    title: "Net spend per sender over 60 s, by damping rule (means over 10 seeds)",
    xTitle: "Move probability p", yTitle: "Thousand nanodollars", colorTitle: "margin h, stay m", width: 480, height: 280,
  }), { scale: 2 })),
];
console.log(written.join("\n"));
