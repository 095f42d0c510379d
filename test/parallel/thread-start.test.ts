import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

/** Runs the fixture in a process of its own: a V8 fatal error would take the test runner down with it. */
function openAndClose(times: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ROOT + "test/fixtures/workers/open-close.mjs", String(times)], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("worker threads closed while they start", () => {
  // On Node 20.19+ piscina's require() of an ES worker module, cut short by the thread's
  // termination, aborted the process ("IsGraphAsync must be used on an instantiated module"):
  // the fixture hit it on every try before the CommonJS thread entry (src/parallel/thread-entry.cts).
  it("a shard pool and a sweep pool closed 0–149 ms after they open: the process lives and says so", async () => {
    const { code, output } = await openAndClose(150);
    expect(output).not.toMatch(/FATAL/);
    expect(output.trim()).toBe("closed 150");
    expect(code).toBe(0);
  });
});
