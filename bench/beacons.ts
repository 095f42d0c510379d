/**
 * `node dist/bench/beacons.js [--json] [--intervals N] [--per-link K]`: price dissemination by
 * signed beacons (src/security/dissemination.ts) on the Table I topology (the JP graph when
 * present, else the generator at 550 ASes), with real ed25519 signatures: per 15-s interval, the
 * beacons, signatures, checks and bytes, the wall time of one interval, and how old the path
 * prices the ASes hold are (the staleness in-path updates remove). Figures, never assertions.
 */
import { performance } from "node:perf_hooks";
import { loadAsRelationshipsFile } from "../src/model/loaders/caida.js";
import { generateInternetTopology } from "../src/model/generator.js";
import { compileTopology } from "../src/model/topology.js";
import { defaultTopologyFile } from "../src/reproduce/table1.js";
import { Beaconing, type IntervalStats } from "../src/security/dissemination.js";
import { buildKeyRing } from "../src/security/keys.js";
import { formatTable } from "../src/report/table.js";
import { quantileSorted } from "simple-statistics";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const intervals = flag("--intervals", 40);
const perLink = flag("--per-link", 5);

const file = defaultTopologyFile();
const topology = compileTopology(file !== undefined ? loadAsRelationshipsFile(file) : generateInternetTopology({ nodes: 550, seed: 1 }));
const ring = buildKeyRing(1, topology.nodeIds);
/** Static link prices 10–15 per link, as Table I's static pricing draws them (here by link index, fixed). */
const linkPrice = (link: number) => BigInt(10 + ((link * 7919) % 6));
const beaconing = new Beaconing(topology, { ring, linkPrice, perLink });

const steady: (IntervalStats & { wallSec: number })[] = [];
for (let i = 0; i < intervals; i++) {
  const start = performance.now();
  const stats = beaconing.step();
  // The first intervals fill the network (paths 1, 2, … hops long); count from the second half.
  if (i >= intervals / 2) steady.push({ ...stats, wallSec: (performance.now() - start) / 1000 });
}
const ages = beaconing.ages().sort((a, b) => a - b);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const figures = {
  topology: file ?? "generated, 550 ASes",
  ases: topology.nodeIds.length,
  links: topology.linkCount / 2,
  intervals,
  perLink,
  beaconsPerInterval: Math.round(mean(steady.map((s) => s.sent))),
  signaturesPerInterval: Math.round(mean(steady.map((s) => s.signatures))),
  verificationsPerInterval: Math.round(mean(steady.map((s) => s.verifications))),
  kBytesPerInterval: Math.round(mean(steady.map((s) => s.bytes)) / 1000),
  wallSecPerInterval: Number(mean(steady.map((s) => s.wallSec)).toFixed(2)),
  pathsHeld: ages.length,
  ageMedianSec: quantileSorted(ages, 0.5),
  ageP90Sec: quantileSorted(ages, 0.9),
  ageMaxSec: ages[ages.length - 1]!,
};
if (argv.includes("--json")) process.stdout.write(JSON.stringify(figures, null, 2) + "\n");
else process.stdout.write(formatTable(Object.entries(figures).map(([figure, value]) => ({ figure, value }))) + "\n");
