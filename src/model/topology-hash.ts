/**
 * A fingerprint of a compiled network: which nodes (ids and kinds), which directed links, their
 * relationships, capacities and latencies. Two runs with the same fingerprint played on the same
 * graph, node for node and link for link; results carry it so that a study can show that its
 * replications compared like with like.
 */
import { createHash } from "node:crypto";
import type { CompiledTopology } from "./topology.js";

/**
 * The first 16 hex digits of a SHA-256 over the topology's nodes and links, in engine order.
 *
 * @example
 * topologyHash(compileTopology(figure1Topology())) === topologyHash(compileTopology(figure1Topology())); // true
 */
export function topologyHash(topology: CompiledTopology): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(topology.nodeIds));
  for (const column of [topology.nodeKind, topology.linkFrom, topology.linkTo, topology.linkRelation, topology.linkCapacityBps, topology.linkLatencyMs]) {
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  }
  return hash.digest("hex").slice(0, 16);
}
