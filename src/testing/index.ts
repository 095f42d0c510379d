/** `tollway/testing`: the conformance kit for strategies. */
export { conformanceChecks, type ConformanceCheck } from "./conformance.js";
