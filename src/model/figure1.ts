/**
 * The example network of Figure 1 of the Bill-Pay paper: host A reaches host B through ISPs,
 * and B's acknowledgements may come back by another route.
 */
import { createTopologyGraph, type TopologyGraph } from "./topology.js";

const CAPACITY_BPS = 10e9;
const LATENCY_MS = 5;

/**
 * Hosts A and B and ISPs X, Y, Z: X is A's provider and peers with Y and with Z; Y and Z are
 * both B's providers. So data can go A-X-Y-B while the ack returns B-Z-X-A, and both routes are
 * valley-free (up to X or to Z, across one peering link, down to the host). Every link carries
 * 10 Gbps with 5 ms latency. Nodes are in the order A, B, X, Y, Z.
 */
export function figure1Topology(): TopologyGraph {
  const graph = createTopologyGraph();
  graph.addNode("A", { kind: "host" });
  graph.addNode("B", { kind: "host" });
  for (const isp of ["X", "Y", "Z"]) graph.addNode(isp, { kind: "isp" });

  const link = { capacityBps: CAPACITY_BPS, latencyMs: LATENCY_MS };
  const providerOf = (provider: string, customer: string): void => {
    graph.addEdge(provider, customer, { relation: "provider-customer", provider, ...link });
  };
  providerOf("X", "A");
  graph.addEdge("X", "Y", { relation: "peer", ...link });
  graph.addEdge("X", "Z", { relation: "peer", ...link });
  providerOf("Y", "B");
  providerOf("Z", "B");
  return graph;
}
