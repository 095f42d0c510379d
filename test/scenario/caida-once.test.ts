/**
 * A build parses a CAIDA file once per process while the file holds the same bytes
 * (`caidaGraphOnce` in scenario/build.ts): a file rewritten in place with another content of the
 * same size and the same mtime is parsed again, and a bad rewrite fails with the parser's error.
 */
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PAPER_PRICING } from "../../src/mechanisms/pricing/price.js";
import { parseAsRelationships } from "../../src/model/loaders/caida.js";
import { compileTopology } from "../../src/model/topology.js";
import { topologyHash } from "../../src/model/topology-hash.js";
import { policyScenario, SCALES } from "../../src/reproduce/table1.js";
import { checkScenario } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";

const dir = mkdtempSync(join(tmpdir(), "tollway-caida-once-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "as-rel.txt");
const T = 1_700_000_000;
const A = "1|2|-1\n1|3|-1\n2|3|0\n3|4|-1\n";
const B = "1|2|-1\n1|3|-1\n2|3|0\n3|4| 0\n"; // same length: 3 and 4 now peer
const C = "1|2|-1\n1|3|-1\n2|3|0\n3|4|-2\n";
const hashOf = (text: string) => topologyHash(compileTopology(parseAsRelationships(text, { capacityBps: PAPER_PRICING.capacityBps * SCALES.test.factor })));
const checked = async () => (await checkScenario(parseScenario(policyScenario({ kind: "static" }, { scale: SCALES.test, seed: 1, topologyFile: file }), "<static>"))).topologyHash;

describe("a CAIDA topology file in a build", () => {
  it("gives the network of the bytes it holds now, however its size and mtime look", async () => {
    expect(hashOf(A)).not.toBe(hashOf(B));
    // Every write gets the same whole-second mtime (exact in mtimeMs), and B has A's size.
    const write = (text: string) => { writeFileSync(file, text); utimesSync(file, T, T); };
    write(A);
    const { mtimeMs, size } = statSync(file);
    expect(mtimeMs).toBe(T * 1000);
    expect(await checked()).toBe(hashOf(A));
    expect(await checked()).toBe(hashOf(A));
    write(B);
    expect(statSync(file).size).toBe(size);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(await checked()).toBe(hashOf(B));
    write(C);
    await expect(checked()).rejects.toThrow(/relationship must be -1 or 0/);
    write(A);
    expect(await checked()).toBe(hashOf(A));
  });
});
