/**
 * The engine's column buffers are filled column by column as a strategy reads them
 * (UserColumnBuffer.arm): a column no strategy reads is never written.
 */
import { describe, expect, it } from "vitest";
import { UserColumnBuffer, type FilledColumn } from "../../src/agents/columns.js";

const lookups = { latencyMs: () => 0, nodes: () => [], user: (i: number) => `u${i}`, lastIspOads: () => [] };

describe("UserColumnBuffer filled on read", () => {
  it("asks the filler once per column read in a round, and never for the others", () => {
    const columns = new UserColumnBuffer(2, lookups);
    columns.reset(3, 1);
    for (let i = 0; i < 3; i++) columns.add();
    const asked: FilledColumn[] = [];
    columns.arm((buffer, column) => {
      asked.push(column);
      // Row i demands 10 i packets; row i's path p costs 100 i + p.
      if (column === "demandPackets") for (let i = 0; i < buffer.count; i++) buffer.demandPackets[i] = 10 * i;
      if (column === "pathPrice") for (let i = 0; i < buffer.count; i++) buffer.pathPrice.set([100 * i, 100 * i + 1], i * buffer.k);
    });
    expect([...columns.demandPackets.subarray(0, 3)]).toEqual([0, 10, 20]);
    expect(columns.pathPrice[2 * 2 + 1]).toBe(201);
    // Read again (a strategy reads a column in every row): not refilled.
    void columns.demandPackets;
    void columns.pathPrice;
    // hasLast and every last* column come together, once.
    void columns.hasLast;
    void columns.lastSent;
    void columns.lastPath;
    expect(asked).toEqual(["demandPackets", "pathPrice", "last"]);
    // A new round: nothing is filled until armed again, and then only what is read.
    columns.reset(4, 1);
    columns.add();
    void columns.age;
    expect(asked).toHaveLength(3);
    columns.arm((_buffer, column) => asked.push(column));
    void columns.age;
    void columns.age;
    expect(asked.slice(3)).toEqual(["age"]);
  });

  it("written row by row when never armed (the conformance kit's columnsOf), with no filler", () => {
    const columns = new UserColumnBuffer(1, lookups);
    columns.reset(0, 1);
    const i = columns.add();
    columns.remainingSeconds[i] = 7;
    columns.hasLast[i] = 1;
    expect(columns.remainingSeconds[i]).toBe(7);
    expect(columns.hasLast[i]).toBe(1);
  });
});
