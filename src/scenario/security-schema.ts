/**
 * The scenario's `security` section: which of the pricing paper's §III protocols a run plays
 * with real bytes and real cryptography. Off by default, so studies that leave it out keep their
 * speed; each sub-section switches one protocol on.
 *
 * - `beacons`: users learn offered paths and their prices only from signed price beacons that
 *   verify (Eq. 7), sent every `intervalSeconds`, at most `perLink` per link per interval.
 * - `inPathUpdates`: packets collect each AS's current link price with a validity time and a MAC
 *   (Eq. 8–9); the source uses only the authentic, current ones.
 * - `payments`: the source MACs P_rcv and P_own for every AS of the path (Eq. 10); each AS checks
 *   its field, drops the packet when it fails and settles only authentic P_own per neighbour.
 */
import { z } from "zod";

export const beaconSecuritySchema = z.strictObject({
  /** Seconds between beacon rounds (the paper's 15). */
  intervalSeconds: z.number().positive().default(15),
  /** Most beacons an AS forwards per link per interval (the paper's 5). */
  perLink: z.number().int().min(1).default(5),
});

export const inPathSecuritySchema = z.strictObject({
  /** Seconds an AS's in-path price update stays valid after it is stamped. */
  validitySeconds: z.number().positive().default(2),
});

export const paymentSecuritySchema = z.strictObject({
  /**
   * Seconds a payment field stays valid after the source stamps it (t_i − now). At most a day:
   * t_i travels as 32-bit seconds.
   */
  expirySeconds: z.number().positive().max(86_400).default(2),
});

export const securitySchema = z.strictObject({
  beacons: beaconSecuritySchema.optional(),
  inPathUpdates: inPathSecuritySchema.optional(),
  payments: paymentSecuritySchema.optional(),
});
export type SecurityConfig = z.infer<typeof securitySchema>;
