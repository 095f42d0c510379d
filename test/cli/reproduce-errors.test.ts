import { describe, expect, it } from "vitest";
import { expectCleanError } from "../support/run.js";


describe("tollway reproduce: bad input gets a one-line error", () => {
  it("an unknown --scale names the scales there are", () => {
    expectCleanError(["reproduce", "table1", "--scale", "huge"], /--scale: must be one of small, paper \(got "huge"\)/);
  });

  it("an unreadable --topology names the file and the reason", () => {
    expectCleanError(["reproduce", "table1", "--topology", "test/fixtures/no-such-as-rel.txt"], /no-such-as-rel\.txt: cannot read: no such file or directory/);
  });

  it("a topology file with a bad line names the line", () => {
    expectCleanError(["reproduce", "table1", "--topology", "test/fixtures/bad-as-rel.txt"], /bad-as-rel\.txt:4: .*relationship/);
  });

  it("a bad --load and an empty alpha sweep", () => {
    expectCleanError(["reproduce", "table1", "--load", "lots"], /--load: must be a number \(got "lots"\)/);
    expectCleanError(["reproduce", "alpha-frontier", "--from", "4", "--to", "2"], /--to: must be ≥ --from \(4\) \(got 2\)/);
    expectCleanError(["reproduce", "alpha-frontier", "--to", "12"], /--to: must be ≤ 10, the lowest static link price/);
  });

  it("bad --seeds, --congestion-scale and calibration grids", () => {
    expectCleanError(["reproduce", "table1", "--seeds", "1,1"], /--seeds: must be distinct non-negative integers/);
    expectCleanError(["reproduce", "table1", "--seeds", "1,x"], /--seeds: must be distinct non-negative integers/);
    expectCleanError(["reproduce", "table1", "--congestion-scale", "-1"], /--congestion-scale: must be a number ≥ 0 \(got -1\)/);
    expectCleanError(["reproduce", "calibrate", "--loads", "4,0"], /--loads: every value must be > 0/);
    expectCleanError(["reproduce", "claims-map", "--alphas", "2,12"], /--alphas: every alpha must be from 0 to 10/);
  });
});
