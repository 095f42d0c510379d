/** `tollway/testing`: the conformance kit for strategies. */
export { conformanceChecks, type ConformanceCheck } from "./conformance.js";
/** A seeded generator like the one the engine lends to `decide`, for a strategy's own tests. */
export { createRng, type Rng } from "../engine/random.js";
