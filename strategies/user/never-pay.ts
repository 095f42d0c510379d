import { z } from "zod";
import { defineUserStrategy, cheapestPath, cheapestPathOf } from "tollway/strategy";

/** The baseline user of today's Internet: sends what it wants and pays nothing in packets. */
export default defineUserStrategy({
  id: "never-pay",
  name: "Never pay",
  params: z.object({}),
  meta: {
    description: "Sends its whole demand with no nanopayment, on the cheapest offered path.",
    source: "Bill-Pay §3.1 (\"not include nanopayments in packets by default\")",
    memoryDepth: 0,
    stochastic: false,
    cheats: false,
  },
  init: () => null,
  decide: (observation, state) => ({
    state,
    action: { packets: observation.demandPackets, payment: 0, path: cheapestPath(observation.paths) },
  }),
  decideColumns: (columns, _states, _params, actions) => {
    for (let i = 0; i < columns.count; i++) {
      actions.packets[i] = columns.demandPackets[i]!;
      actions.payment[i] = 0;
      actions.path[i] = cheapestPathOf(columns, i);
    }
  },
});
