import { describe, expect, it } from "vitest";
import { ArrivalBuffer, FlowTable, type FlowInit } from "../../src/engine/flows.js";

const flow = (payer: number, endTime: number): FlowInit => ({
  payer, payee: payer + 1, agent: 0, startTime: 0, endTime, demandBps: 1000 * payer, payingLegBits: 8000, returnLegBits: 0,
  dataLeg: 0, keepPerPacket: 0, keepFraction: 0, returnPath: 0, state: undefined,
});

describe("ArrivalBuffer", () => {
  it("hands over its arrivals in order and refills the same shared memory next round", () => {
    const buffer = new ArrivalBuffer();
    for (let uid = 0; uid < 100; uid++) buffer.push(flow(uid, 5), uid);
    const first = buffer.take();
    expect(first.count).toBe(100);
    expect(first.numbers.buffer).toBeInstanceOf(SharedArrayBuffer);
    buffer.push(flow(7, 5), 100);
    const second = buffer.take();
    expect(second.count).toBe(1);
    expect(second.numbers.buffer).toBe(first.numbers.buffer);
  });

  it("sized by `reserve`, it is not regrown while the expected arrivals come", () => {
    const buffer = new ArrivalBuffer();
    buffer.reserve(10_000);
    buffer.push(flow(0, 1), 0);
    const memory = buffer.take().numbers.buffer;
    for (let uid = 0; uid < 10_000; uid++) buffer.push(flow(uid, 1), uid);
    expect(buffer.take().numbers.buffer).toBe(memory);
  });
});

describe("FlowTable", () => {
  it("adds a list of arrivals under their uids, then removes the ended flows keeping the order of the rest", () => {
    const buffer = new ArrivalBuffer();
    for (let uid = 0; uid < 1000; uid++) buffer.push({ ...flow(uid, uid % 3 === 0 ? 1 : 9), name: uid === 4 ? "four" : undefined }, uid);
    const table = new FlowTable(64);
    expect(table.addArrivals(buffer.take())).toBe(0);
    expect(table.count).toBe(1000);
    expect(table.columns.lastPath[999]).toBe(-1);
    const end = table.columns.endTime;
    table.compact((i) => end[i]! > 1);
    expect(table.count).toBe(666);
    const uids = Array.from(table.columns.uid.subarray(0, table.count));
    expect(uids).toEqual(Array.from({ length: 1000 }, (_, u) => u).filter((u) => u % 3 !== 0));
    expect(Array.from(table.columns.demandBps.subarray(0, 3))).toEqual([1000, 2000, 4000]);
    expect(table.names[uids.indexOf(4)]).toBe("four");
  });
});
