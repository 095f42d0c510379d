/**
 * What each flow got in the round just played, read from the flow table's last-round columns.
 * Shared by the pricing reporters (revenue, unit price, user utility), which run it from
 * `onRound`: then every row of the table took part in the round (flows join in the round they
 * start and leave at the end of the round they end), and a row without a report never sent
 * (no offered path), so it is skipped.
 */
import { dataLegBits, type FlowColumns, type FlowColumnsView } from "../engine/flows.js";
import type { Simulation } from "../engine/simulation.js";

/**
 * Calls `visit(columns, row, deliveredPackets, paymentPerPacket, packetBits, table)` for each flow
 * that sent this round, in ascending flow uid whatever the number of shards (so sums are the same).
 */
export function forEachFlowOfRound(
  simulation: Simulation,
  agent: number | undefined,
  visit: (columns: FlowColumns, row: number, delivered: number, payment: number, packetBits: number, table: FlowColumnsView) => void,
): void {
  simulation.forEachFlow((c, i, table) => {
    if (c.hasReport[i] !== 1 || (agent !== undefined && c.agent[i] !== agent)) return;
    visit(c, i, c.lastDelivered[i]!, c.lastPayment[i]!, dataLegBits(c.classes, c.flowClass[i]!), table);
  });
}
