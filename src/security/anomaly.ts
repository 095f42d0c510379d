/**
 * The secretary's anomaly rule (Bill-Pay §2.4): it refuses to vouch for payments once a host's
 * spending in the current window would pass its budget, which bounds what a hijacked
 * application can leak per window. Fixed windows of `windowSec`, deterministic.
 */
import { TollwayError } from "../errors.js";

/** Parameters of the anomaly rule. */
export interface AnomalyRuleOptions {
  /** Window length in seconds (> 0). */
  windowSec: number;
  /** Most a host may spend per window, in the scenario's integer unit (>= 0). */
  budgetPerWindow: bigint;
}

/** Per-host spending limit per fixed time window. */
export class AnomalyRule {
  private readonly windowSec: number;
  private readonly budget: bigint;
  private readonly spent = new Map<string, { window: number; total: bigint }>();

  /** Checks the options; bad ones get a TollwayError naming the field. */
  constructor(options: AnomalyRuleOptions) {
    if (!(Number.isFinite(options.windowSec) && options.windowSec > 0)) {
      throw new TollwayError("must be a positive number of seconds", { field: "anomaly.windowSec" });
    }
    if (options.budgetPerWindow < 0n) throw new TollwayError("must not be negative", { field: "anomaly.budgetPerWindow" });
    this.windowSec = options.windowSec;
    this.budget = options.budgetPerWindow;
  }

  /**
   * Whether the secretary vouches for `payment` by `host` at time `timeSec`; an approved payment
   * is counted against the host's window, a refused one is not.
   */
  approve(host: string, timeSec: number, payment: bigint): boolean {
    if (payment < 0n) throw new TollwayError("must not be negative", { field: "payment" });
    const window = Math.floor(timeSec / this.windowSec);
    const prior = this.spent.get(host);
    const total = prior !== undefined && prior.window === window ? prior.total : 0n;
    if (total + payment > this.budget) return false;
    this.spent.set(host, { window, total: total + payment });
    return true;
  }
}
