/** `tollway/testing`: the conformance kit for strategies, and behaviour scripts with their observation builders. */
export { conformanceChecks, type ConformanceCheck } from "./conformance.js";
export { versusTest, type ScriptStep } from "./versus.js";
export { acked, isp, ispLink, priced, pricedWithLatency, user } from "./observations.js";
