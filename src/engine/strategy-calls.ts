/**
 * Calling strategy code from the engine: errors it throws are reported with the strategy, the
 * agent and the round, and each call gets a random generator keyed by (seed, stream, agent,
 * round), so a decision is the same whichever thread makes it.
 */
import { TollwayError } from "../errors.js";
import { createRng, deriveSeed, type Rng } from "./random.js";

/** Calls strategy code; anything it throws is reported with the strategy, agent and round. */
export function callStrategy<T>(strategy: { id: string }, agent: string, round: number, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw strategyError(error, strategy, agent, round);
  }
}

/** The error for something a strategy threw: `strategy "id" (agent) threw in round R: message`. */
export function strategyError(error: unknown, strategy: { id: string }, agent: string, round: number): TollwayError {
  if (error instanceof TollwayError) return error;
  const message = error instanceof Error ? error.message : `${describeValue(error)} (not an Error)`;
  return new TollwayError(`strategy "${strategy.id}" (${agent}) threw in round ${round}: ${message}`, {}, { cause: error });
}

/**
 * Checks that a strategy's `decide` returned a `{ state, action }` object and returns it; the
 * action itself is checked by the caller, against the engine's own tables.
 */
export function checkDecision<D>(decision: D, strategy: { id: string }, agent: string, round: number): D & object {
  if (decision !== null && typeof decision === "object") return decision;
  throw new TollwayError(`strategy "${strategy.id}" (${agent}) returned ${describeValue(decision)} in round ${round}, expected { state, action }`);
}

/** A short, safe description of any value a strategy gave (it may be an object without a prototype, or a symbol). */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? value.slice(0, 80) + "…" : value);
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") return "a function";
  return Array.isArray(value) ? "an array" : "an object";
}

/** An Rng for (seed, stream, agent, round), seeded only if the strategy draws from it. */
export class LazyRng implements Rng {
  private rng: Rng | undefined;
  constructor(private readonly seed: number, private readonly stream: number, private agent: number, private round: number) {}
  /** Aims the generator at another (agent, round): a fresh stream, as from a new LazyRng. */
  reset(agent: number, round: number): void {
    this.agent = agent;
    this.round = round;
    this.rng = undefined;
  }
  private get generator(): Rng {
    return (this.rng ??= createRng(deriveSeed(this.seed, this.stream, this.agent, this.round)));
  }
  random(): number {
    return this.generator.random();
  }
  int(n: number): number {
    return this.generator.int(n);
  }
  state(): number[] {
    return this.generator.state();
  }
}
