/** Checks a user action's payment-field attack (`UserAction.payments`, agents/strategy.ts). */
import type { PaymentTamper } from "../agents/strategy.js";

/** Why `tamper` is not a valid PaymentTamper, or null when it is. */
export function paymentTamperProblem(tamper: unknown): string | null {
  if (tamper === null || typeof tamper !== "object") return "payments must be an object with a kind";
  const t = tamper as Partial<Record<string, unknown>>;
  switch (t.kind as PaymentTamper["kind"]) {
    case "forge":
      if (typeof t.ownFactor !== "number" || !(t.ownFactor >= 0) || !Number.isFinite(t.ownFactor)) return `payments.ownFactor must be a finite number ≥ 0 (got ${String(t.ownFactor)})`;
      if (typeof t.validMac !== "boolean") return `payments.validMac must be true or false (got ${String(t.validMac)})`;
      return null;
    case "replay":
      if (typeof t.round !== "number" || !Number.isInteger(t.round) || t.round < 0) return `payments.round must be an integer ≥ 0 (got ${String(t.round)})`;
      return null;
    case "alter":
      if (typeof t.asIndex !== "number" || !Number.isInteger(t.asIndex) || t.asIndex < 0) return `payments.asIndex must be an integer ≥ 0 (got ${String(t.asIndex)})`;
      if (typeof t.delta !== "number" || !Number.isInteger(t.delta)) return `payments.delta must be an integer (got ${String(t.delta)})`;
      return null;
    default:
      return `payments.kind must be "forge", "replay" or "alter" (got ${String(t.kind)})`;
  }
}
