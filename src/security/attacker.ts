/**
 * The two attackers of Bill-Pay §2.4 on a hijacked end host, declared like the lab's other
 * strategies (id, name, strict zod params with defaults, Axelrod-style `meta`, `init`, a pure
 * `decide` on plain-data state and a seeded `rng`):
 *
 * - **impersonation**: a hijacked application asks the (trusted, uncompromised) digital secretary
 *   for payments the user never wanted. It is asked what to do next after each request, and is
 *   told whether the secretary refused the last one.
 * - **man in the middle**: code on the host's operating system between the secretary and the
 *   edge router. It sees each frame the secretary emits, as bytes (host-frame.ts), and puts on the
 *   wire whatever it likes in its place: the frame, a rewritten one, nothing, or more frames.
 *
 * The simulation that runs them is hijack-sim.ts.
 */
import type { z } from "zod";
import type { Rng } from "../engine/random.js";
import { strictParams, type StrategyDefinition } from "../agents/strategy.js";

/** What the hijacked application knows before its next request. */
export interface ImpersonationObservation {
  /** Time of the previous request, seconds from the start (0 before the first). */
  timeSec: number;
  /** Whether the secretary refused the previous request; null before the first. */
  lastRefused: boolean | null;
  /** The most the secretary pays per packet for the application it hijacked (its willingness). */
  willingness: number;
}

/** The hijacked application's next payment request. */
export interface ImpersonationAction {
  /** Seconds to wait after the previous request (> 0). */
  waitSec: number;
  /** Nanopayment asked for, in the scenario's money unit. */
  payment: number;
  /** Where the payment should go: an address the attacker controls. */
  destination: string;
}

/** What the man in the middle sees: one frame on its way from the secretary to the router. */
export interface MitmObservation {
  /** Time the secretary emitted the frame, seconds from the start. */
  timeSec: number;
  /** The frame's bytes (host-frame.ts); valid only during the call. */
  frame: Uint8Array;
}

/** What the man in the middle puts on the wire instead. */
export interface MitmAction {
  /** Frames to forward in order: `[]` drops it, `[frame]` passes it, more add replays or forgeries. */
  frames: Uint8Array[];
}

/** An attacker's definition: the strategy definition of src/agents, with an attacker's observation and action; `meta.cheats` is true for every attacker. */
type AttackerDefinition<Kind extends string, Params extends z.ZodType, State, Observation, Action> = StrategyDefinition<Kind, Params, State, Observation, Action>;

/** A hijacked application misleading the secretary (Bill-Pay §2.4, "impersonation attacks"). */
export type ImpersonationStrategy<Params extends z.ZodType = z.ZodType, State = unknown> =
  AttackerDefinition<"impersonation", Params, State, ImpersonationObservation, ImpersonationAction> & { kind: "impersonation" };

/** Code between the secretary and the edge router (Bill-Pay §2.4, "man-in-the-middle attacks"). */
export type MitmStrategy<Params extends z.ZodType = z.ZodType, State = unknown> =
  AttackerDefinition<"man-in-the-middle", Params, State, MitmObservation, MitmAction> & { kind: "man-in-the-middle" };

/** Either attacker. */
export type AttackerStrategy = ImpersonationStrategy | MitmStrategy;

/** Declares an impersonation attacker: metadata, strict parameters and `decide`. */
export function defineImpersonation<Params extends z.ZodType, State>(
  definition: AttackerDefinition<"impersonation", Params, State, ImpersonationObservation, ImpersonationAction>,
): ImpersonationStrategy<Params, State> {
  return { ...definition, params: strictParams(definition.params), kind: "impersonation" };
}

/** Declares a man-in-the-middle attacker: metadata, strict parameters and `decide`. */
export function defineMitm<Params extends z.ZodType, State>(
  definition: AttackerDefinition<"man-in-the-middle", Params, State, MitmObservation, MitmAction>,
): MitmStrategy<Params, State> {
  return { ...definition, params: strictParams(definition.params), kind: "man-in-the-middle" };
}

/** An exponential waiting time with mean `1 / ratePerSec` (the gap of a Poisson stream). */
export function exponentialWait(rng: Rng, ratePerSec: number): number {
  return -Math.log(1 - rng.random()) / ratePerSec;
}
