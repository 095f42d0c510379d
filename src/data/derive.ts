/**
 * Derives the paper's topology, `jp-as-rel.txt`: the subgraph of CAIDA's as-rel file induced on
 * the JP ASNs of the APNIC delegation file, restricted to its largest connected component, lines
 * copied unchanged in the CAIDA file's order (the recipe of ../shared/data/README.md).
 */
import { asnsOfCountry } from "../model/loaders/rir.js";

/** sha256 of ../shared/data/jp-as-rel.txt: a derivation from the cached files must reproduce it. */
export const JP_AS_REL_SHA256 = "f7f32cd5c99913d2edae0a177cac28111b3edb4624e4331ebff70f4fdcbfcac7";

/** The text of jp-as-rel.txt from the texts of the CAIDA and APNIC files. */
export function deriveJpAsRel(caidaText: string, apnicText: string, names: { caida: string; apnic: string }): string {
  const jp = asnsOfCountry(apnicText, "JP", { file: names.apnic });
  const lines: { line: string; a: number; b: number; peer: boolean }[] = [];
  for (const line of caidaText.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [a, b, rel] = line.split("|");
    const x = Number(a), y = Number(b);
    if (jp.has(x) && jp.has(y)) lines.push({ line, a: x, b: y, peer: rel === "0" });
  }
  const parent = new Map<number, number>();
  const root = (v: number): number => {
    let r = v;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(v) !== r) { const next = parent.get(v)!; parent.set(v, r); v = next; }
    return r;
  };
  for (const { a, b } of lines) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(root(a), root(b));
  }
  const size = new Map<number, number>();
  for (const v of parent.keys()) size.set(root(v), (size.get(root(v)) ?? 0) + 1);
  let best = -1, bestSize = 0;
  for (const [r, n] of size) if (n > bestSize || (n === bestSize && r < best)) { best = r; bestSize = n; }
  const kept = lines.filter((l) => root(l.a) === best);
  const peers = kept.filter((l) => l.peer).length;
  const header = [
    `# Derived: subgraph of CAIDA serial-1 ${names.caida} induced on the JP ASNs of ${names.apnic.replace("delegated-apnic-", "jp-asns-apnic-")},`,
    "# restricted to its largest connected component. Lines are copied unchanged from the CAIDA file, in its order.",
    "# Format: <provider-as>|<customer-as>|-1  or  <peer-as>|<peer-as>|0",
    `# nodes: ${bestSize}  links: ${kept.length}  (provider-customer: ${kept.length - peers}, peer: ${peers})`,
  ];
  return [...header, ...kept.map((l) => l.line)].join("\n") + "\n";
}
