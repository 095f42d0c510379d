/**
 * Consumer surplus and social welfare, from users' value of bandwidth and ISPs' revenue and
 * costs. Money only moves between parties, so it cancels in the sum:
 *
 *   consumer surplus  CS(t) = Σ_flows Δt · F(x_i(t)) − Σ_ISPs revenue_n(t)
 *   social welfare    W(t)  = CS(t) + Σ_ISPs profit_n(t) = Σ_flows Δt · F(x_i(t)) − Σ_ISPs cost_n(t)
 *
 * CS counts all end hosts together: what payers lose beyond the tolls (a payee's share, refunds
 * lost with dropped acknowledgments) stays among users, so only what ISPs kept leaves them. It
 * differs from the users' utility of Eq. 1 (payers only) by what payees kept.
 */

/** One round's welfare accounting. */
export interface WelfareRound {
  round: number;
  /** Σ Δt · F(x): what the delivered data was worth to users. */
  value: number;
  /** Σ units ISPs kept. */
  ispRevenue: number;
  /** Σ ISP costs. */
  ispCost: number;
  /** value − ispRevenue. */
  consumerSurplus: number;
  /** ispRevenue − ispCost. */
  producerSurplus: number;
  /** consumerSurplus + producerSurplus = value − ispCost. */
  welfare: number;
}

/**
 * Consumer surplus: users' value of what was delivered minus what ISPs kept of their money.
 *
 * @example consumerSurplus(2500, 700) // 1800
 */
export function consumerSurplus(value: number, ispRevenue: number): number {
  return value - ispRevenue;
}

/**
 * Social welfare: consumer surplus plus ISPs' profit; payments cancel, leaving value − costs.
 *
 * @example socialWelfare(1800, 700, 200) // 1800 + (700 − 200) = 2300
 */
export function socialWelfare(consumerSurplusValue: number, ispRevenue: number, ispCost: number): number {
  return consumerSurplusValue + ispRevenue - ispCost;
}

/**
 * Welfare per round from the users' value series and the ISPs' revenue and cost series, matched
 * by round (a round missing from one side counts as 0 there).
 */
export function welfareSeries(
  users: readonly { round: number; value: number }[],
  isps: readonly { round: number; revenue: number; cost: number }[],
): WelfareRound[] {
  const byRound = new Map<number, WelfareRound>();
  const row = (round: number): WelfareRound => {
    let r = byRound.get(round);
    if (!r) byRound.set(round, (r = { round, value: 0, ispRevenue: 0, ispCost: 0, consumerSurplus: 0, producerSurplus: 0, welfare: 0 }));
    return r;
  };
  for (const u of users) row(u.round).value += u.value;
  for (const i of isps) {
    const r = row(i.round);
    r.ispRevenue += i.revenue;
    r.ispCost += i.cost;
  }
  const rows = [...byRound.values()].sort((a, b) => a.round - b.round);
  for (const r of rows) {
    r.consumerSurplus = consumerSurplus(r.value, r.ispRevenue);
    r.producerSurplus = r.ispRevenue - r.ispCost;
    r.welfare = socialWelfare(r.consumerSurplus, r.ispRevenue, r.ispCost);
  }
  return rows;
}
