/**
 * Columns of an ISP's link observations (the column form of the ISP contract, see
 * IspLinkColumns in strategy.ts): the arrays the engine refills every round for an ISP whose
 * strategy has `decideColumns`, the same built from a per-link observation (the conformance kit
 * compares the two forms with it), and the action columns the strategy writes.
 */
import { TARIFF_KEYS } from "../mechanisms/billpay/tolls.js";
import type { IspActionColumns, IspColumnObservation, IspLinkColumns, IspLinkObservation, IspObservation, TariffColumns } from "./strategy.js";

function tariffColumns(count: number): TariffColumns {
  return Object.freeze(Object.fromEntries(TARIFF_KEYS.map((key) => [key, new Float64Array(count)]))) as unknown as TariffColumns;
}

/** Link columns for `link.length` rows: the link indices, far ends and relations are given, the rest is 0 until filled. */
export function ispLinkColumns(link: readonly number[], to: readonly string[], relation: IspLinkColumns["relation"]): IspLinkColumns {
  const count = link.length;
  const column = () => new Float64Array(count);
  return Object.freeze({
    count, link: Int32Array.from(link), to: Object.freeze([...to]), relation: Object.freeze([...relation]),
    capacityBitsPerRound: column(), offeredBits: column(), carriedBits: column(), carriedPackets: column(), droppedPackets: column(),
    utilization: column(), load: column(), revenue: column(), tariff: tariffColumns(count),
  });
}

/** Action columns for `count` links. */
export function ispActionColumns(count: number): IspActionColumns {
  return { tariffs: tariffColumns(count), honourOadsFrom: Infinity };
}

/** Sets the actions to what a strategy that writes nothing means: free tariffs, user-OADs ignored. */
export function resetIspActions(actions: IspActionColumns): void {
  for (const key of TARIFF_KEYS) actions.tariffs[key].fill(0);
  actions.honourOadsFrom = Infinity;
}

/** Row j of `columns` as one link's observation (a fresh object: the per-link form may keep it). */
export function linkObservationOf(columns: IspLinkColumns, j: number): IspLinkObservation {
  const { tariff } = columns;
  return {
    link: columns.link[j]!, to: columns.to[j]!, relation: columns.relation[j]!,
    capacityBitsPerRound: columns.capacityBitsPerRound[j]!, offeredBits: columns.offeredBits[j]!, carriedBits: columns.carriedBits[j]!,
    carriedPackets: columns.carriedPackets[j]!, droppedPackets: columns.droppedPackets[j]!,
    utilization: columns.utilization[j]!, load: columns.load[j]!, revenue: columns.revenue[j]!,
    tariff: {
      perPacket: tariff.perPacket[j]!, perByte: tariff.perByte[j]!, proportional: tariff.proportional[j]!,
      congestion: tariff.congestion[j]!, dropShare: tariff.dropShare[j]!,
    },
  };
}

/** The column form of a per-link observation (its neighbours and rivals read from it when read). */
export function ispColumnsOf(observation: IspObservation): IspColumnObservation {
  const { links } = observation;
  const columns = ispLinkColumns(links.map((l) => l.link), links.map((l) => l.to), links.map((l) => l.relation));
  links.forEach((l, j) => {
    columns.capacityBitsPerRound[j] = l.capacityBitsPerRound;
    columns.offeredBits[j] = l.offeredBits;
    columns.carriedBits[j] = l.carriedBits;
    columns.carriedPackets[j] = l.carriedPackets;
    columns.droppedPackets[j] = l.droppedPackets;
    columns.utilization[j] = l.utilization;
    columns.load[j] = l.load;
    columns.revenue[j] = l.revenue;
    for (const key of TARIFF_KEYS) columns.tariff[key][j] = l.tariff[key];
  });
  return {
    round: observation.round, isp: observation.isp, roundSeconds: observation.roundSeconds, links: columns,
    revenue: observation.revenue, cumulativeRevenue: observation.cumulativeRevenue,
    get neighbours() {
      return observation.neighbours;
    },
    get rivals() {
      return observation.rivals;
    },
  };
}
