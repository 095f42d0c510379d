/**
 * The built-in strategies, by id. Every file under strategies/ must be listed here (a test checks
 * it), so `tollway strategies` and scenarios see the same set.
 */
import type { AnyStrategy, IspStrategy, UserStrategy } from "./strategy.js";
import fixedToll from "../../strategies/isp/fixed-toll.js";
import honestCongestion from "../../strategies/isp/honest-congestion.js";
import fakeCongestion from "../../strategies/isp/fake-congestion.js";
import keepAndDrop from "../../strategies/isp/keep-and-drop.js";
import regulatedCap from "../../strategies/isp/regulated-cap.js";
import staticPrice from "../../strategies/isp/static-price.js";
import dynamicPrice from "../../strategies/isp/dynamic-price.js";
import undercut from "../../strategies/isp/undercut.js";
import honoursOads from "../../strategies/isp/honours-oads.js";
import ignoresOads from "../../strategies/isp/ignores-oads.js";
import honoursWhenPaid from "../../strategies/isp/honours-when-paid.js";
import neverPay from "../../strategies/user/never-pay.js";
import fixedPayment from "../../strategies/user/fixed-payment.js";
import bulkTransfer from "../../strategies/user/bulk-transfer.js";
import timeSensitive from "../../strategies/user/time-sensitive.js";
import cheapestPath from "../../strategies/user/cheapest-path.js";
import modulatedBulk from "../../strategies/user/modulated-bulk.js";
import congestionQuantile from "../../strategies/user/congestion-quantile.js";
import oadSteer from "../../strategies/user/oad-steer.js";
import dampedSteer from "../../strategies/user/damped-steer.js";
import forgePayment from "../../strategies/user/forge-payment.js";
import replayPayment from "../../strategies/user/replay-payment.js";
import alterPayment from "../../strategies/user/alter-payment.js";

export const ISP_STRATEGIES: readonly IspStrategy[] = [fixedToll, honestCongestion, fakeCongestion, keepAndDrop, regulatedCap, staticPrice, dynamicPrice, undercut, honoursOads, ignoresOads, honoursWhenPaid];

export const USER_STRATEGIES: readonly UserStrategy[] = [neverPay, fixedPayment, bulkTransfer, timeSensitive, cheapestPath, modulatedBulk, congestionQuantile, oadSteer, dampedSteer, forgePayment, replayPayment, alterPayment];

export const BUILT_IN_STRATEGIES: readonly AnyStrategy[] = [...ISP_STRATEGIES, ...USER_STRATEGIES];

/** The file each built-in comes from, relative to strategies/, for the registry test. */
export function builtInStrategy(kind: "isp" | "user", id: string): AnyStrategy | undefined {
  return (kind === "isp" ? ISP_STRATEGIES : USER_STRATEGIES).find((s) => s.id === id);
}

/** Whether `strategy` is one of the built-ins (the engine runs strategies from files under a watchdog). */
export function isBuiltInStrategy(strategy: object): boolean {
  return (BUILT_IN_STRATEGIES as readonly object[]).includes(strategy);
}
