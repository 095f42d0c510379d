/** `tollway/strategy`: everything needed to write a strategy in its own file. */
export { defineIspStrategy, defineUserStrategy } from "./strategy.js";
export type {
  StrategyMeta, Decision, IspStrategy, UserStrategy, AnyStrategy,
  IspObservation, IspLinkObservation, IspAction, UserObservation, UserAction, OfferedPathView, AckReport,
  NeighbourPrices, RouteQuote, LinkRivals,
} from "./strategy.js";
export { cheapestPath, findPath } from "./paths.js";
export { congestionTollParams, honestCongestionToll, isCongested, type CongestionPricing } from "../mechanisms/billpay/congestion.js";
/** The largest payment a packet's header carries; bound payment parameters by it. */
export { MAX_PAYMENT } from "../model/header.js";
export type { Tariff } from "../mechanisms/billpay/tolls.js";
export { announcedToll, announcedRoutePrice } from "../mechanisms/billpay/tolls.js";
export type { Rng } from "../engine/random.js";
