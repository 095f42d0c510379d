import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, expectCleanError } from "../support/run.js";


describe("bad input gets a one-line error", () => {
  it("a malformed scenario names the file, the field and the reason", () => {
    expectCleanError(["run", "test/fixtures/bad-field.json"], /bad-field\.json: flows\.0\.packetsPerRound: .*>=\s*0/);
  });

  it("an unknown field is named", () => {
    expectCleanError(["validate", "test/fixtures/unknown-field.json"], /unknown-field\.json: flows\.0: unknown field "colour"/);
  });

  it("invalid JSON names the line", () => {
    expectCleanError(["run", "test/fixtures/invalid-json.json"], /invalid-json\.json: invalid JSON: .*line 3/);
  });

  it("a missing file", () => {
    expectCleanError(["run", "test/fixtures/nope.json"], /nope\.json: cannot read: no such file or directory/);
  });

  it("an unknown strategy id lists the known ones", () => {
    expectCleanError(["run", "test/fixtures/unknown-strategy.json"], /flows\.0\.strategy: unknown user strategy "no-such-strategy" \(built-in: never-pay, fixed-payment/);
  });

  it("a strategy parameter of the wrong type is named", () => {
    expectCleanError(["validate", "test/fixtures/bad-strategy-param.json"], /isps\.byNode\.Y\.params\.perPacket: .*number/);
  });

  it("a strategy that throws is reported with its name and round", () => {
    expectCleanError(["run", "test/fixtures/throwing-strategy.json"], /strategy "throws-in-round-2" \(user A->B\) threw in round 2: budget table is empty/);
  });

  it("a negative payment is refused with the strategy and round", () => {
    expectCleanError(["run", "test/fixtures/negative-payment.json"], /strategy "negative-payment" \(user A->B\) in round 0 chose payment -3: must be a finite number ≥ 0/);
  });

  it("a topology file with a bad line names the line number", () => {
    expectCleanError(["run", "test/fixtures/bad-topology.json"], /bad-as-rel\.txt:4: .*relationship/);
  });

  it("a settlement threshold no money unit can hold (1e308 dollars) is refused, not an internal error", () => {
    expectCleanError(["run", "test/fixtures/huge-threshold.json"], /huge-threshold\.json: settlement\.thresholdDollars: Too big: expected number to be <=1000000000000$/);
  });

  it("a scenario nested 5,000 deep names the file and field, not the call stack", () => {
    const deep = join(mkdtempSync(join(tmpdir(), "tollway-cli-")), "deep.json");
    writeFileSync(deep, `{"name": "deep", "topology": {"kind": "figure1"}, "description": ${'{"x":'.repeat(5000)}1${"}".repeat(5000)}}`);
    expectCleanError(["validate", deep], /deep\.json: description\.x\.x\.x\.x\.x\.x\.x\.…: nested more than 64 levels deep$/);
  });

  it("a topology file that is a device is refused before it is read", () => {
    expectCleanError(["validate", "test/fixtures/device-topology.json"], /^tollway: \/dev\/zero: not a regular file \(a character device\); a topology file must be a regular file$/);
  });

  it("validate checks the fields the studies read: an unknown player is named as tournament would", () => {
    expectCleanError(["validate", "test/fixtures/unknown-player.json"], /unknown-player\.json: players\.1: no ISP "W" in the scenario \(ISPs: X, Y, Z\)$/);
  });

  it("a bad option value", () => {
    const { status, stderr } = cli("run", "scenarios/billpay-figure1.json", "--rounds", "0");
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--rounds must be a positive integer/);
  });

  it("--debug adds the stack", () => {
    const { stderr } = cli("run", "test/fixtures/throwing-strategy.json", "--debug");
    expect(stderr).toMatch(/\n\s+at /);
  });
});

describe("the other commands", () => {
  it("validate accepts a scenario that starts with a UTF-8 byte-order mark", () => {
    const { status, stdout } = cli("validate", "test/fixtures/bom-scenario.json");
    expect(status).toBe(0);
    expect(stdout).toMatch(/ok — "bom-scenario", 3 ISPs, 2 hosts, 5 links, 1 flows/);
  });

  it("validate reports a good scenario", () => {
    const { status, stdout } = cli("validate", "scenarios/billpay-figure1.json");
    expect(status).toBe(0);
    expect(stdout).toMatch(/ok — "billpay-figure1", 3 ISPs, 2 hosts, 5 links, 1 flows/);
  });

  it("strategies lists every built-in with its metadata", () => {
    const { status, stdout } = cli("strategies", "--json");
    expect(status).toBe(0);
    const list = JSON.parse(stdout) as { id: string; kind: string; cheats: boolean; params: unknown }[];
    expect(list.map((s) => s.id)).toEqual(expect.arrayContaining(["fixed-toll", "honest-congestion", "fake-congestion", "keep-and-drop", "regulated-cap", "never-pay", "fixed-payment", "bulk-transfer", "time-sensitive"]));
    expect(list.find((s) => s.id === "fake-congestion")!.cheats).toBe(true);
  });
});
