/**
 * The scenario's `security.beacons` and `security.inPathUpdates` as the engine plays them
 * (engine/types.ts SecurityPlan). `security.payments` is planned elsewhere.
 */
import { TollwayError } from "../errors.js";
import type { SecurityPlan } from "../engine/types.js";
import type { FlowInit } from "../engine/flows.js";
import type { Scenario } from "./schema.js";

/**
 * The plan, or undefined when the scenario plays neither beacons nor in-path updates. Beacons
 * price one packet size: the generated traffic's, else the named flows' (all the same).
 *
 * @throws TollwayError naming `security.inPathUpdates` when it is on without beacons (the
 *   alternatives to a flow's current path are priced by beacons), or `security.beacons` when the
 *   flows send packets of different sizes.
 */
export function securityPlan(scenario: Scenario, flows: readonly FlowInit[], file: string): SecurityPlan | undefined {
  const security = scenario.security;
  if (security?.inPathUpdates !== undefined && security.beacons === undefined) {
    throw new TollwayError("needs security.beacons too: a flow's other offered paths are priced by beacons", { file, field: "security.inPathUpdates" });
  }
  if (security?.beacons === undefined) return undefined;
  const sizes = new Set(flows.map((f) => f.payingLegBits));
  if (scenario.traffic !== undefined) sizes.add(scenario.traffic.packetBits);
  if (sizes.size > 1) {
    throw new TollwayError(`beacons price one packet size, but the flows send ${[...sizes].sort((a, b) => a - b).join(", ")}-bit packets`, { file, field: "security.beacons" });
  }
  const packetBits = sizes.size === 1 ? [...sizes][0]! : 1500 * 8;
  const inPath = security.inPathUpdates;
  return {
    beacons: { intervalSeconds: security.beacons.intervalSeconds, perLink: security.beacons.perLink },
    shards: { packetBits, ...(inPath ? { inPathValiditySeconds: inPath.validitySeconds } : {}) },
  };
}
