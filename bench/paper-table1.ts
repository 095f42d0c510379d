/**
 * The paper-scale Table I run of `npm run bench -- --paper`, in a process of its own so that its
 * peak memory is its own: `reproduce table1 --scale paper --load 1` (the 4.26 M flows/s,
 * 500 Gbps links, 60 simulated seconds), with progress on stderr and one JSON line on stdout.
 */
import { performance } from "node:perf_hooks";
import { defaultTopologyFile, reproduceTable1, SCALES, table1Json } from "../src/reproduce/table1.js";

const started = performance.now();
let rounds = 0;
const topologyFile = defaultTopologyFile();
const result = await reproduceTable1({
  scale: SCALES.paper, seed: 1, load: 1,
  ...(topologyFile !== undefined ? { topologyFile } : {}),
  onProgress: (policy, round, total) => {
    rounds++;
    process.stderr.write(`${policy} ${round}/${total} ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  },
});
process.stdout.write(JSON.stringify({
  wallSec: (performance.now() - started) / 1000,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  rounds,
  table: table1Json(result),
}) + "\n");
