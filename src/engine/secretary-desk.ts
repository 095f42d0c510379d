/**
 * The coordinator's side of the digital secretaries (Bill-Pay §2.3): before each round it shares
 * each host's remaining budget among the host's governed flows that send in the round (one
 * allowance per flow, `shareBudget`); after it, it books what the shards report (who kept what of
 * each governed flow's payments) into the host's `DigitalSecretary`. The shards apply the cap
 * itself (`authorisedPayment`, engine/flow-shard.ts).
 *
 * Allowances depend only on the exact spend booked so far and on the flows' fixed order, and
 * bookings are BigInt sums, so the result is the same for any number of shards.
 */
import { TollwayError } from "../errors.js";
import { DigitalSecretary, shareBudget, type Cap } from "../mechanisms/billpay/secretary.js";
import type { ShardBilling } from "./types.js";

/** A listed flow a secretary governs: its user agent, its paying host and its application class. */
export interface GovernedFlow {
  agent: number;
  /** Node index of the paying host. */
  host: number;
  application: string;
  /** Simulated seconds: the flow sends in a round that overlaps [startTime, endTime). */
  startTime: number;
  endTime: number;
}

/** What a run's secretaries are built from (scenario/build.ts makes it from the scenario). */
export interface SecretaryPlan {
  /** Per user agent: the willingness to pay per packet of its flow's class, -1 where none governs it. */
  willingness: Float64Array;
  /** The governed flows, in ascending agent order. */
  flows: readonly GovernedFlow[];
  /** Each host's secretary, by node index. */
  secretaries: ReadonlyMap<number, DigitalSecretary>;
}

const CAPS: readonly Cap[] = [null, "willingness", "budget"];

export class SecretaryDesk {
  readonly plan: SecretaryPlan;
  private readonly byHost = new Map<number, GovernedFlow[]>();
  private readonly flowOf = new Map<number, GovernedFlow>();
  private readonly nodeIds: readonly string[];

  constructor(plan: SecretaryPlan, nodeIds: readonly string[]) {
    this.plan = plan;
    this.nodeIds = nodeIds;
    for (const flow of plan.flows) {
      if (!plan.secretaries.has(flow.host)) throw new Error(`SecretaryDesk: no secretary for host ${nodeIds[flow.host]}`);
      const list = this.byHost.get(flow.host) ?? [];
      list.push(flow);
      this.byHost.set(flow.host, list);
      this.flowOf.set(flow.agent, flow);
    }
  }

  /** Per user agent: what its flow may spend in the round [time, end) (Infinity: no budget; 0 when it does not send). */
  allowances(time: number, end: number): Float64Array {
    const out = new Float64Array(this.plan.willingness.length);
    for (const [host, flows] of this.byHost) {
      const active = flows.filter((f) => Math.min(end, f.endTime) > Math.max(time, f.startTime));
      const remaining = this.plan.secretaries.get(host)!.remaining;
      if (remaining === null) {
        for (const f of active) out[f.agent] = Infinity;
        continue;
      }
      const shares = shareBudget(remaining, active.length);
      active.forEach((f, k) => (out[f.agent] = Number(shares[k]!)));
    }
    return out;
  }

  /** Books one round of the shards' billing into the hosts' secretaries. */
  book(billing: ShardBilling | undefined): void {
    if (!billing) return;
    const { kept, flows } = billing;
    for (let at = 0; at < kept.length; at += 3) {
      const flow = this.flow(kept[at]!);
      const amount = kept[at + 2]!;
      if (!Number.isSafeInteger(amount)) throw new TollwayError(`a billing amount of ${amount} is not a safe integer; use a smaller money unit`);
      this.plan.secretaries.get(flow.host)!.book(flow.application, this.nodeIds[kept[at + 1]!]!, BigInt(amount));
    }
    for (let at = 0; at < flows.length; at += 3) {
      const flow = this.flow(flows[at]!);
      this.plan.secretaries.get(flow.host)!.note(flow.application, flows[at + 1]!, CAPS[flows[at + 2]!] ?? null);
    }
  }

  /** The hosts' secretaries, by host id (ascending). */
  secretaries(): DigitalSecretary[] {
    return [...this.plan.secretaries.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  private flow(agent: number): GovernedFlow {
    const flow = this.flowOf.get(agent);
    if (!flow) throw new Error(`SecretaryDesk: agent ${agent} is not governed`);
    return flow;
  }
}
