/**
 * Runs a pass of strategy calls (every ISP's decision, every flow's decision or init) so that a
 * strategy that misbehaves is stopped with an error naming it, its agent and the round:
 *
 * - **Time.** A pass of strategy code loaded from a file runs inside `node:vm` with a timeout: V8
 *   terminates the running JavaScript when it expires, even in a call that never returns, in
 *   the main thread and in a worker alike (synchronous code cannot be stopped by a timer). A
 *   pass checks the clock every few hundred calls and hands back early, so each part of a long
 *   pass gets a fresh budget: a call is stopped after at most the budget, and no pass of fast
 *   calls is stopped however many it makes. With no budget (0), Ctrl-C stops such a pass in the
 *   main thread; with one, Ctrl-C takes effect once the watchdog has ended the call.
 *   Built-in strategies (reviewed, and checked by the conformance kit) run without the watchdog,
 *   which costs a fraction of a millisecond per pass (V8 starts a watchdog thread for each):
 *   0.1–0.15 ms of CPU and up to 0.5 ms of wall time per pass on a busy 2-core machine.
 * - **Noise and clocks.** During every pass, `Math.random`, `crypto.getRandomValues`,
 *   `crypto.randomUUID`, `Date.now`, `new Date()`, `performance.now` and `process.hrtime` throw:
 *   a decision may depend only on its observation, state, params and `rng`, or a seed would not
 *   give one result. A strategy that catches that error is stopped all the same.
 * - **Exits.** `process.exit` and `process.abort` throw during a pass: a strategy that ends the
 *   process would end a run with no output and, maybe, exit code 0.
 *
 * The guard is installed once per pass, not per call: a pass makes millions of calls. The
 * caller says, only when something went wrong, which agent was being called (`Blame`).
 * Strategy code runs in the engine's own realm, so these guards catch mistakes, not attacks.
 */
import { isMainThread } from "node:worker_threads";
import vm from "node:vm";
import { TollwayError } from "../errors.js";

/** Who was being called when a pass failed. */
export interface Blame {
  strategy: { id: string };
  /** e.g. `user A->B`, `isp AS3`. */
  agent: string;
  round: number;
}

/** The default budget of a strategy call, in milliseconds (`--strategy-timeout`). */
export const DEFAULT_STRATEGY_TIMEOUT_MS = 5000;

/** Calls between two looks at the clock in a watched pass (see `StrategyGuard.due`). */
export const CALLS_PER_CLOCK_CHECK = 256;

// The engine's own clock, taken before any guard replaces `performance.now`.
const clock = performance.now.bind(performance);

/** One guard per pass runner (a simulation's ISPs, a flow shard). */
export class StrategyGuard {
  private readonly timeoutMs: number;
  /** Until when the current part of a watched pass may run before it hands back (ms, engine clock). */
  private dueAt = Infinity;
  private blame: (() => Blame) | null = null;
  private violation: TollwayError | null = null;

  /**
   * `timeoutMs`: budget of one strategy call; 0 turns the watchdog off. `now`: the clock that
   * decides when a part of a pass hands back (ms; tests pass their own).
   */
  constructor(timeoutMs: number = DEFAULT_STRATEGY_TIMEOUT_MS, private readonly now: () => number = clock) {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new TollwayError(`the strategy timeout must be a number of milliseconds ≥ 0 (got ${String(timeoutMs)})`);
    this.timeoutMs = Math.ceil(timeoutMs);
  }

  /**
   * Runs `pass(from)`, which calls strategies for the items from `from` on and returns -1 when
   * done, or the item to go on from when `due()` said so. `watched`: whether the pass runs
   * strategy code that is not built in (then under the watchdog). `blame` is read only when the
   * pass fails. Errors that are not the strategy's (an engine bug) pass through unchanged.
   */
  run(watched: boolean, pass: (from: number) => number, blame: () => Blame): void {
    const timeout = watched ? this.timeoutMs : 0;
    // Without a budget, Ctrl-C is the only way out of a call that never returns in this thread.
    // Not otherwise: Node swaps the SIGINT handlers around each such call, and a signal that
    // comes in between is lost or kills the process (the run's own Ctrl-C handler is then
    // bypassed); with a budget, the watchdog ends such a call and the handler runs after it.
    const breakOnSigint = watched && timeout === 0 && isMainThread;
    this.blame = blame;
    this.violation = null;
    const restore = installGlobalGuards(this);
    try {
      let at = 0;
      if (timeout === 0 && !breakOnSigint) {
        this.dueAt = Infinity;
        while (at >= 0) at = pass(at);
      } else {
        const options = { timeout: timeout === 0 ? undefined : timeout, breakOnSigint, displayErrors: false };
        while (at >= 0) {
          this.dueAt = timeout === 0 ? Infinity : this.now() + timeout / 2;
          at = runInWatchdog(pass, at, options);
        }
      }
    } catch (error) {
      throw this.failure(error, blame);
    } finally {
      restore();
      this.dueAt = Infinity;
      this.blame = null;
    }
    if (this.violation) throw this.violation;
  }

  /** Whether a watched pass should return now (call it every `CALLS_PER_CLOCK_CHECK` calls). */
  due(): boolean {
    return this.dueAt !== Infinity && this.now() > this.dueAt;
  }

  /** Called by a global guard: records what the strategy reached for, and stops it. */
  forbid(what: string, advice: string): never {
    const { strategy, agent, round } = this.blame!();
    this.violation ??= new TollwayError(`strategy "${strategy.id}" (${agent}) called ${what} in round ${round}: ${advice}`);
    throw new Error(this.violation.reason);
  }

  private failure(error: unknown, blame: () => Blame): unknown {
    if (this.violation) return this.violation;
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== "ERR_SCRIPT_EXECUTION_TIMEOUT" && code !== "ERR_SCRIPT_EXECUTION_INTERRUPTED") return error;
    const { strategy, agent, round } = blame();
    if (code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
      return new TollwayError(`interrupted in round ${round}, in strategy "${strategy.id}" (${agent})`);
    }
    return new TollwayError(
      `strategy "${strategy.id}" (${agent}) did not return within ${this.timeoutMs / 1000} s in round ${round} (a call must return its decision; --strategy-timeout sets the budget)`,
    );
  }
}

let watchdogContext: vm.Context | null = null;
let watchdogScript: vm.Script | null = null;

/** Runs `pass(from)` from a script in a context of its own, so that `vm` can stop it. */
function runInWatchdog(pass: (from: number) => number, from: number, options: vm.RunningScriptOptions): number {
  watchdogContext ??= vm.createContext({ pass: null, from: 0 });
  watchdogScript ??= new vm.Script("pass(from)", { filename: "tollway:strategy-pass" });
  watchdogContext.pass = pass;
  watchdogContext.from = from;
  try {
    return watchdogScript.runInContext(watchdogContext, options) as number;
  } finally {
    watchdogContext.pass = null;
  }
}

const USE_RNG = "draw random numbers from the `rng` argument of decide (the same seed must give the same run)";
const NO_CLOCK = "a decision may not depend on the clock (use observation.round and roundSeconds for time; `rng` for noise)";
const NO_EXIT = "a strategy must return its decision, not end the process";

/**
 * Replaces the globals a strategy must not use with functions that stop it; returns the undo.
 * Own properties are put back as they were, inherited ones (performance.now) are uncovered again.
 */
function installGlobalGuards(guard: StrategyGuard): () => void {
  const undo: (() => void)[] = [];
  const patch = (target: object, key: string, value: unknown): void => {
    const own = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
    undo.push(() => (own ? Object.defineProperty(target, key, own) : delete (target as Record<string, unknown>)[key]));
  };
  const RealDate = Date;
  patch(Math, "random", () => guard.forbid("Math.random()", USE_RNG));
  patch(Date, "now", () => guard.forbid("Date.now()", NO_CLOCK));
  patch(globalThis, "Date", new Proxy(RealDate, {
    construct: (target, args, newTarget) => (args.length === 0 ? guard.forbid("new Date()", NO_CLOCK) : Reflect.construct(target, args, newTarget)),
    apply: () => guard.forbid("Date()", NO_CLOCK),
  }));
  patch(performance, "now", () => guard.forbid("performance.now()", NO_CLOCK));
  const hrtime = Object.assign(() => guard.forbid("process.hrtime()", NO_CLOCK), { bigint: () => guard.forbid("process.hrtime.bigint()", NO_CLOCK) });
  patch(process, "hrtime", hrtime);
  const webCrypto = (globalThis as { crypto?: object }).crypto;
  if (webCrypto) {
    patch(webCrypto, "getRandomValues", () => guard.forbid("crypto.getRandomValues()", USE_RNG));
    patch(webCrypto, "randomUUID", () => guard.forbid("crypto.randomUUID()", USE_RNG));
  }
  patch(process, "exit", () => guard.forbid("process.exit()", NO_EXIT));
  patch(process, "abort", () => guard.forbid("process.abort()", NO_EXIT));
  return () => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
}
