/** `tollway/testing`: the conformance kit for strategies, and behaviour scripts with their observation builders. */
export { conformanceChecks, type ConformanceCheck } from "./conformance.js";
export { versusTest, type ScriptStep } from "./versus.js";
export { acked, isp, ispLink, priced, pricedWithLatency, user } from "./observations.js";
/** A seeded generator like the one the engine lends to `decide`, for a strategy's own tests. */
export { createRng, type Rng } from "../engine/random.js";
