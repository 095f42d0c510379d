/**
 * The column form of user decisions in a flow shard: flows whose strategy has `decideColumns`
 * are grouped by strategy and parameters, their observations written into one set of columns
 * per group, and each group decided in one call (see UserColumns in agents/strategy.ts).
 * Flows of strategies without a column form are decided one by one by the shard as before.
 */
import { UserColumnBuffer, type ColumnLookups, type FilledColumn } from "../agents/columns.js";
import type { UserStrategy } from "../agents/strategy.js";
import type { Rng } from "./random.js";
import { strategyError } from "./strategy-calls.js";
import type { UserAgent } from "./types.js";

/** The flows of one strategy with one set of parameters, decided together. */
interface Group {
  strategy: UserStrategy;
  params: unknown;
  columns: UserColumnBuffer;
  /** Flow-table row of each column row. */
  rows: Int32Array;
}

/** A group's memory, kept for the next run in the same thread (see ColumnDecisions' `spares`). */
export type GroupMemory = Pick<Group, "columns" | "rows">;

/** What a group's decision gives each of its flows, in column-row order. */
export type ColumnOutcome = (row: number, packets: number, payment: number, path: number, state: unknown, group: number, at: number, oads: unknown, duplicate: unknown, payments: unknown) => void;

/** A shard's user agents whose strategies have the column form, grouped, with their columns for the round. */
export class ColumnDecisions {
  /** Group of each user agent, or -1 when its strategy has no column form. */
  readonly groupOf: Int32Array;
  private readonly groups: Group[] = [];
  private current = 0;

  /**
   * @param k most paths offered per pair.
   * @param lookups the rarely read parts of a flow, by flow-table row.
   */
  /** `spares`: the groups' memory of an earlier run in this thread (`memory()`), which the groups take over. */
  constructor(userAgents: readonly UserAgent[], k: number, lookups: ColumnLookups, spares: readonly GroupMemory[] = []) {
    this.groupOf = new Int32Array(userAgents.length).fill(-1);
    // Every listed flow is an agent of its own; those of one strategy with equal params share a group.
    const byKey = new Map<UserStrategy, Map<string, number>>();
    userAgents.forEach((agent, a) => {
      if (!agent.strategy.decideColumns) return;
      let keys = byKey.get(agent.strategy);
      if (!keys) byKey.set(agent.strategy, (keys = new Map()));
      const key = JSON.stringify(agent.params) ?? "";
      let g = keys.get(key);
      if (g === undefined) {
        g = this.groups.length;
        keys.set(key, g);
        const group: Group = { strategy: agent.strategy, params: agent.params, columns: null as unknown as UserColumnBuffer, rows: new Int32Array(64) };
        group.columns = new UserColumnBuffer(k, {
          latencyMs: (i, p) => lookups.latencyMs(group.rows[i]!, p),
          nodes: (i, p) => lookups.nodes(group.rows[i]!, p),
          user: (i) => lookups.user(group.rows[i]!),
          lastIspOads: (i) => lookups.lastIspOads(group.rows[i]!),
        });
        const spare = spares[this.groups.length];
        if (spare) {
          group.columns.adopt(spare.columns);
          group.rows = spare.rows;
        }
        this.groups.push(group);
      }
      this.groupOf[a] = g;
    });
  }

  /** The strategy of group `g`. */
  /** The groups' column buffers and row lists (for the next run in this thread to take over). */
  memory(): GroupMemory[] {
    return this.groups.map(({ columns, rows }) => ({ columns, rows }));
  }

  strategyOf(g: number): UserStrategy {
    return this.groups[g]!.strategy;
  }

  /** Whether any agent decides in column form. */
  get any(): boolean {
    return this.groups.length > 0;
  }

  /** Empties every group for a round (their observation columns are written by `fill`). */
  reset(round: number, roundSeconds: number): void {
    for (const group of this.groups) group.columns.reset(round, roundSeconds, true);
  }

  /**
   * After `reset`: makes room in each group for the flows whose agents are in it (rows 0 to
   * `count` of `agents`, the flow table's agent column), `room(n)` rows for n flows, so that
   * `add` does not grow a group row by row (doubling, to up to twice its flows, and leaving
   * each smaller buffer to the garbage collector).
   */
  reserve(agents: Int32Array, count: number, room: (rows: number) => number): void {
    const flows = new Int32Array(this.groups.length);
    for (let i = 0; i < count; i++) {
      const g = this.groupOf[agents[i]!]!;
      if (g >= 0) flows[g]!++;
    }
    this.groups.forEach((group, g) => {
      const n = flows[g]!;
      if (group.rows.length < n) group.rows = new Int32Array(room(n));
      group.columns.reserve(n, room(n));
    });
  }

  /** Group `g`'s columns (for `add`'s caller to fill). */
  columnsOf(g: number): UserColumnBuffer {
    return this.groups[g]!.columns;
  }

  /** A column row for flow-table row `row` in group `g`, its state taken in: returns the index to fill in `columnsOf(g)`. */
  add(g: number, row: number, state: unknown): number {
    const group = this.groups[g]!;
    const at = group.columns.add();
    if (at >= group.rows.length) {
      const rows = new Int32Array(2 * group.rows.length);
      rows.set(group.rows);
      group.rows = rows;
    }
    group.rows[at] = row;
    group.columns.states[at] = state;
    return at;
  }

  /** The user name of column row `i` of group `g` (for errors). */
  user(g: number, i: number): string {
    return this.groups[g]!.columns.user(i);
  }

  /**
   * Once the decision pass has added every row: arms each group's buffer so that its observation
   * columns are written by `fillColumn` (for the group's flow-table rows) as its strategy reads
   * them, a column nobody reads never.
   */
  fill(fillColumn: (columns: UserColumnBuffer, rows: Int32Array, column: FilledColumn) => void): void {
    for (const group of this.groups) {
      if (group.columns.count > 0) group.columns.arm((columns, column) => fillColumn(columns, group.rows, column));
    }
  }

  /**
   * Decides the groups from `from` on in one call each (`rngOf(row)`: the flow's generator), and
   * hands each flow its action and new state through `outcome`. Returns -1 when done, or the
   * group to go on from when `due()` says the pass should hand back (see StrategyGuard.run).
   */
  decide(round: number, rngOf: (row: number) => Rng, outcome: ColumnOutcome, from = 0, due: () => boolean = () => false): number {
    for (let g = from; g < this.groups.length; g++) {
      if (g !== from && due()) return g;
      const group = this.groups[g]!;
      const { columns, rows, strategy } = group;
      if (columns.count === 0) continue;
      this.current = g;
      try {
        strategy.decideColumns!(columns, columns.states, group.params, columns.actions, (i) => rngOf(rows[i]!));
      } catch (error) {
        throw strategyError(error, strategy, this.agentOf(g), round);
      }
      const { packets, payment, path, oads, duplicate, payments } = columns.actions;
      for (let i = 0; i < columns.count; i++) {
        outcome(rows[i]!, packets[i]!, payment[i]!, path[i]!, columns.states[i], g, i, oads[i], duplicate[i], payments[i]);
      }
    }
    return -1;
  }

  /** The group whose `decideColumns` the last `decide` called (for errors). */
  get currentGroup(): number {
    return this.current;
  }

  /** How errors name group `g`'s flows. */
  agentOf(g: number): string {
    const columns = this.groups[g]!.columns;
    return `users ${columns.user(0)} and ${columns.count - 1} more, in column form`;
  }
}
