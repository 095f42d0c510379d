import { describe, expect, it } from "vitest";
import { figure1Topology } from "../../src/model/figure1.js";
import { compileTopology } from "../../src/model/topology.js";
import { PathTable } from "../../src/model/paths.js";
import { arrivalHeader, ispOadsAlong } from "../../src/model/oads.js";
import { decodeHeader, encodeHeader } from "../../src/model/header.js";

const topology = compileTopology(figure1Topology());
const paths = new PathTable(topology, { k: 4 });
const node = (id: string) => topology.nodeIndex.get(id)!;
const route = (...ids: string[]) => Int32Array.from(ids, node);

describe("ISP-OADs along a path (Bill-Pay §2.2, the Figure 1 walk-through)", () => {
  it("the first packet A-X-Y-B acquires two ISP-OADs, from X and from Y; X marks choice 1 of 2", () => {
    expect(ispOadsAlong(topology, paths, route("A", "X", "Y", "B"))).toEqual([
      { isp: "X", alternatives: 0b11, choice: 1 },
      { isp: "Y", alternatives: 0b1, choice: 1 },
    ]);
  });

  it("steering through Z shows up as choice 2 at X", () => {
    expect(ispOadsAlong(topology, paths, route("A", "X", "Z", "B"))[0]).toEqual({ isp: "X", alternatives: 0b11, choice: 2 });
  });

  it("the header reaching B, with 9 nanodollars left, is 8 bytes and round-trips", () => {
    const header = arrivalHeader(9, ispOadsAlong(topology, paths, route("A", "X", "Y", "B")));
    const bytes = encodeHeader(header);
    expect(Array.from(bytes)).toEqual([0x50, 0x00, 0x00, 0x09, 0x03, 0x01, 0x01, 0x01]);
    expect(decodeHeader(bytes)).toEqual(header);
  });
});
