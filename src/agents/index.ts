/** `tollway/strategy`: everything needed to write a strategy in its own file. */
export { defineIspStrategy, defineUserStrategy } from "./strategy.js";
export type {
  StrategyMeta, Decision, IspStrategy, UserStrategy, AnyStrategy,
  IspObservation, IspLinkObservation, IspAction, UserObservation, UserAction, PaymentTamper, OfferedPathView, AckReport,
  UserColumns, UserActionColumns, DecideColumns, DuplicateRequest,
  IspColumnObservation, IspLinkColumns, IspActionColumns, TariffColumns, DecideIspColumns,
  NeighbourPrices, RouteQuote, LinkRivals,
} from "./strategy.js";
export { cheapestPathOf, findPathOf, payCheapestOf } from "./columns.js";
export { cheapestPath, findPath, payCheapest, sharesIspLink } from "./paths.js";

// The economics a strategy may compute with (the built-in strategies use these, as yours may).
export { congestionTollParams, honestCongestionToll, isCongested, type CongestionPricing } from "../mechanisms/billpay/congestion.js";
export { perByteToll, staticLinkPrice, linkPriceOfToll, pricePerMbit, BITS_PER_BANDWIDTH_UNIT } from "../mechanisms/pricing/link-tariff.js";
export { staticPrice, dynamicPrice, smoothedPrice, basePrice, congestionPrice, PAPER_PRICING, MAX_PRICE_PU, MAX_STEEPNESS } from "../mechanisms/pricing/price.js";
/** The largest payment a packet's header carries; bound payment parameters by it. */
export { MAX_PAYMENT } from "../model/header.js";
export type { Tariff } from "../mechanisms/billpay/tolls.js";
export { announcedToll, announcedRoutePrice } from "../mechanisms/billpay/tolls.js";
export type { Rng } from "../engine/random.js";
/** OAD steering (Bill-Pay §2.2): the user-OADs a strategy sends, and the digital cartographer that picks them. */
export type { UserOadRequest } from "../model/steering.js";
export type { IspOadEcho } from "../model/oads.js";
export { Cartographer, emptyCartographerData, isAdequate, routeName, type CartographerData, type RouteKnowledge, type AckObservation } from "../mechanisms/billpay/cartographer.js";
