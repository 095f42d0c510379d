#!/usr/bin/env node
// The chart of docs/billpay.md, "Does OAD steering make overcharging unprofitable?": reads the
// store of scenarios/experiments/billpay-overcharging.json (after `npm run build`), prints Y's
// revenue per toll with and without OAD steering, and writes the chart (SVG and PNG).
//   node scripts/billpay-overcharging-chart.mjs <store> <folder>
import { join } from "node:path";
import { ResultStore } from "../dist/src/store/store.js";
import { lineChart, writeChart } from "../dist/src/report/index.js";

const [file, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: billpay-overcharging-chart.mjs <store> <folder>");
  process.exit(2);
}
const store = await ResultStore.open(file, { readOnly: true });
let rows;
try {
  rows = await store.rows(`SELECT p."yToll" AS toll, p."xHonoursOads" AS x, i.revenue
    FROM isp_metrics i JOIN points p USING (experiment_id, point_id) WHERE i.isp = 'Y' ORDER BY x, toll`);
} finally {
  store.close();
}
const series = (x) => (x === "honours" ? "steer (X honours)" : "cannot (X ignores)");
const data = rows.map((r) => ({ toll: Number(r.toll), revenue: Number(r.revenue), users: series(r.x) }));
for (const r of data) console.log(`${r.users}\t${r.toll}\t${r.revenue}`);
const written = await writeChart(join(out, "billpay-overcharging.png"), lineChart({
  rows: data, x: "toll", y: "revenue", color: "users", points: true,
  title: "Y's revenue against its toll, 10 senders over 10 rounds",
  xTitle: "Y's toll per packet (nanodollars)", yTitle: "Y's revenue (nanodollars)", colorTitle: "senders",
}), { scale: 2 });
console.log(written.join("\n"));
