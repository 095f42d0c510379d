#!/usr/bin/env node
// The table of docs/billpay.md, "Copies on an independent path": reads the store of
// scenarios/experiments/billpay-time-sensitive-copies.json (after `npm run build`) and prints,
// per user and share copied, the game flow's loss and spend (means, 95% CIs over the
// replications) and the paired change against the same user without copies (replication r of
// every point has the same seed, so the change is taken seed by seed).
//   node scripts/billpay-copies-table.mjs <store>
import { ResultStore } from "../dist/src/store/store.js";
import { meanConfidenceInterval } from "../dist/src/metrics/stats.js";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: billpay-copies-table.mjs <store>");
  process.exit(2);
}
const store = await ResultStore.open(file, { readOnly: true });
let rows;
try {
  rows = await store.rows(`SELECT p."user" AS user, p."duplicateShare" AS share, r.replication, f.loss_share AS loss, f.spent
    FROM flow_metrics f JOIN points p USING (experiment_id, point_id) JOIN runs r USING (experiment_id, point_id, replication)
    WHERE f.flow = 'game' AND r.status = 'ok' ORDER BY user, share, r.replication`);
} finally {
  store.close();
}
const runs = rows.map((r) => ({ user: r.user, share: Number(r.share), rep: Number(r.replication), loss: Number(r.loss) * 100, spent: Number(r.spent) / 1e3 }));
const ci = (values, digits) => {
  const m = meanConfidenceInterval(values);
  return `${m.mean.toFixed(digits)} [${m.low.toFixed(digits)}, ${m.high.toFixed(digits)}]`;
};
console.log("| user | share copied | lost (%) | spend (thousand) | lost, change against no copies (points) | spend, change (thousand) |");
console.log("|---|---|---|---|---|---|");
for (const user of [...new Set(runs.map((r) => r.user))]) {
  const base = runs.filter((r) => r.user === user && r.share === 0);
  for (const share of [...new Set(runs.filter((r) => r.user === user).map((r) => r.share))]) {
    const at = runs.filter((r) => r.user === user && r.share === share);
    const paired = (key) => at.map((r) => r[key] - base.find((b) => b.rep === r.rep)[key]);
    const change = share === 0 ? "– | –" : `${ci(paired("loss"), 2)} | ${ci(paired("spent"), 1)}`;
    console.log(`| ${user} | ${share} | ${ci(at.map((r) => r.loss), 2)} | ${ci(at.map((r) => r.spent), 1)} | ${change} |`);
  }
}
