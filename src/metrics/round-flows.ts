/**
 * What each flow got in the round just played, read from the flow table's last-round columns.
 * Shared by the pricing reporters (revenue, unit price, user utility), which run it from
 * `onRound`: then every row of the table took part in the round (flows join in the round they
 * start and leave at the end of the round they end), and a row without a report never sent
 * (no offered path), so it is skipped.
 */
import type { Simulation } from "../engine/simulation.js";

/** Calls `visit(row, deliveredPackets, paymentPerPacket, packetBits)` for each flow that sent this round. */
export function forEachFlowOfRound(
  simulation: Simulation,
  agent: number | undefined,
  visit: (row: number, delivered: number, payment: number, packetBits: number) => void,
): void {
  const { flows } = simulation;
  const c = flows.columns;
  for (let i = 0; i < flows.count; i++) {
    if (c.hasReport[i] !== 1 || (agent !== undefined && c.agent[i] !== agent)) continue;
    // The data leg's packet size: the paying leg's unless the receiver pays.
    const bits = c.dataLeg[i] === 0 ? c.payingLegBits[i]! : c.returnLegBits[i]!;
    visit(i, c.lastDelivered[i]!, c.lastPayment[i]!, bits);
  }
}
