/**
 * The CLI on hostile strategies (test/fixtures/strategies/hostile/users.ts): a named one-line
 * error and a non-zero exit for each, and Ctrl-C (a real SIGINT to a real child process) stops
 * a run in the main thread, in a stuck strategy, and in stuck workers.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../support/run.js";

const USERS = ROOT + "test/fixtures/strategies/hostile/users.ts";
const dir = mkdtempSync(join(tmpdir(), "tollway-hostile-"));

/** Writes a Figure 1 scenario whose `flows` A->B (and copies A->B 1, ...) play `name` of users.ts. */
function scenarioFile(name: string, { flows = 1, rounds = 4 } = {}): string {
  const file = join(dir, `${name}-${flows}-${rounds}.json`);
  writeFileSync(file, JSON.stringify({
    name: `hostile-${name}`, rounds, topology: { kind: "figure1" },
    isps: { default: { strategy: "fixed-toll", params: { perPacket: 1 } }, byNode: {} },
    flows: Array.from({ length: flows }, (_, i) => ({ id: i === 0 ? "A->B" : `A->B ${i}`, from: "A", to: "B", strategy: `${USERS}#${name}`, params: {}, packetsPerRound: 1 })),
  }));
  return file;
}

/** Runs the CLI and expects a one-line named error and exit code 1. */
function expectNamedFailure(args: string[], pattern: RegExp): void {
  const { status, stdout, stderr } = cli(...args);
  expect(status, stderr).toBe(1);
  expect(stdout).toBe("");
  // Off a terminal, a run that takes a few seconds (a loaded machine) also prints plain progress lines.
  const lines = stderr.trim().split("\n").filter((line) => !/^tollway: [^:]+: \d+\/\d+ rounds \(\d+%\)$/.test(line));
  expect(lines).toHaveLength(1);
  expect(stderr).toMatch(pattern);
}

describe("a hostile strategy ends `tollway run` with a named error and exit code 1", () => {
  const cases: [string, RegExp][] = [
    ["neverReturns", /^tollway: strategy "never-returns" \(user A->B\) did not return within 0\.2 s in round 2/],
    ["mathRandom", /^tollway: strategy "math-random" \(user A->B\) called Math\.random\(\) in round 2: draw random numbers from the `rng`/],
    ["returnsUndefined", /^tollway: strategy "returns-undefined" \(user A->B\) returned undefined in round 2/],
    ["throwsString", /^tollway: strategy "throws-string" \(user A->B\) threw in round 2: "out of budget" \(not an Error\)/],
    ["truncatesPaths", /^tollway: strategy "truncates-paths" \(user A->B\) threw in round 2: Cannot assign to read only property 'length'/],
    ["hugePayment", /^tollway: strategy "huge-payment" \(user A->B\) in round 2 chose payment 1e\+30: must be at most 16777215 units/],
    ["exits", /^tollway: strategy "exits" \(user A->B\) called process\.exit\(\) in round 2/],
  ];
  it.each(cases)("%s, in the main thread", (name, pattern) => {
    expectNamedFailure(["run", scenarioFile(name), "--strategy-timeout", "200ms"], pattern);
  });

  it("process.exit(0) in workers (256 flows)", () => {
    expectNamedFailure(["run", scenarioFile("exits", { flows: 256 }), "--workers", "2"],
      /^tollway: worker for shard 0 failed in round 2 \(building the paying leg\): strategy "exits" \(user A->B\) called process\.exit\(\) in round 2/);
  });

  it("process.exit(0) from outside a strategy call, while the command runs, is a failure too", () => {
    const { status, stdout, stderr } = cli("run", scenarioFile("exitsLater", { rounds: 100_000 }));
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^tollway: the process was ended before the command finished \(something called process\.exit\); its results are incomplete$/m);
  });

  it("a bad --strategy-timeout is refused", () => {
    const { status, stderr } = cli("run", "scenarios/billpay-figure1.json", "--strategy-timeout", "soon");
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--strategy-timeout must be a duration such as 5s or 500ms, or 0 for none \(got "soon"\)/);
  });
});

/**
 * Starts the CLI, sends SIGINT once stderr shows `ready` (and `settleMs` later), and resolves with
 * its exit code and stderr.
 */
function interruptWhen(ready: string, args: string[], settleMs = 0): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [ROOT + "bin/tollway.js", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let sent = false;
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
    if (!sent && stderr.includes(ready)) {
      sent = true;
      setTimeout(() => child.kill("SIGINT"), settleMs);
    }
  });
  child.stdout.resume();
  // "close", not "exit": the child's last lines may still be in the pipe when it exits.
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

describe("Ctrl-C stops every run", () => {
  it("a long run of small rounds in the main thread (exit code 130)", async () => {
    const { code, stderr } = await interruptWhen("round 2 reached", ["run", scenarioFile("announces", { rounds: 100_000 })]);
    expect(code).toBe(130);
    expect(stderr).toMatch(/^tollway: interrupted after \d+ of 100000 rounds$/m);
  });

  it("a strategy that never returns, in the main thread, with no time budget", async () => {
    // The strategy says "spinning" as its call begins. Node's breakOnSigint swaps the SIGINT handlers
    // around the call, and under load a signal sent in that instant meets Node's default handler
    // (exit 130, no message); a user's Ctrl-C comes long after, so the test lets the loop start.
    const { code, stderr } = await interruptWhen("spinning", ["run", scenarioFile("announcesThenSpins"), "--strategy-timeout", "0"], 300);
    expect(code).toBe(130);
    expect(stderr).toMatch(/^tollway: interrupted in round 2, in strategy "announces-then-spins" \(user A->B\)$/m);
  });

  it("strategies that never return in two workers, with no time budget", async () => {
    const { code, stderr } = await interruptWhen("spinning", ["run", scenarioFile("announcesThenSpins", { flows: 256 }), "--workers", "2", "--strategy-timeout", "0"]);
    expect(code).toBe(130);
    expect(stderr).toMatch(/^tollway: interrupted after 2 of 4 rounds$/m);
  });
});
