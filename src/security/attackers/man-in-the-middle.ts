import { z } from "zod";
import { MAX_PAYMENT, withPayment } from "../../model/header.js";
import { TollwayError } from "../../errors.js";
import { HOST_MAC_BYTES } from "../host-mac.js";
import { decodeHostFrame, encodeHostFrame } from "../host-frame.js";
import { defineMitm } from "../attacker.js";

/**
 * Bill-Pay §2.4, man in the middle: code on the hijacked host between the digital secretary and
 * the edge router rewrites frames on their way out. Each frame is, by one draw, redirected (its
 * destination becomes the attacker's), inflated (its payment raised to `inflateTo`) or passed as
 * it is; then, by two more draws, the previous frame is replayed verbatim after it, and a forged
 * frame (the attacker's destination, `injectPayment`, the next sequence number and a MAC of random
 * bytes, as the attacker lacks the key) is added. It never learns the secretary's key.
 */
export default defineMitm({
  id: "man-in-the-middle",
  name: "Man in the middle (rewrites frames)",
  params: z
    .object({
      /** Share of frames whose destination is rewritten to the attacker's. */
      redirectShare: z.number().min(0).max(1).default(0.25),
      /** Share of frames whose payment is raised to `inflateTo` (never lowered). */
      inflateShare: z.number().min(0).max(1).default(0.25),
      /** Payment an inflated frame carries. */
      inflateTo: z.number().int().min(0).max(MAX_PAYMENT).default(1000),
      /** Chance, per frame, of replaying the previous frame verbatim after it. */
      replayShare: z.number().min(0).max(1).default(0.1),
      /** Chance, per frame, of adding a forged frame after it. */
      injectShare: z.number().min(0).max(1).default(0.1),
      /** Payment a forged frame carries. */
      injectPayment: z.number().int().min(0).max(MAX_PAYMENT).default(1000),
      /** The attacker's address that redirected and forged payments go to. */
      destination: z.string().min(1).max(255).default("203.0.113.66"),
    })
    .refine((p) => p.redirectShare + p.inflateShare <= 1, { message: "redirectShare + inflateShare must be at most 1", path: ["inflateShare"] }),
  meta: {
    description: "Rewrites the destination or payment of frames between the secretary and the edge router, replays old frames and forges new ones.",
    source: "Bill-Pay §2.4, man-in-the-middle attacks",
    memoryDepth: 1,
    stochastic: true,
    cheats: true,
  },
  init: () => ({ last: null as string | null }),
  decide: (observation, state, params, rng) => {
    const bytes = observation.frame;
    const frame = decodeHostFrame(bytes);
    const pick = rng.random();
    const replay = rng.random() < params.replayShare;
    const inject = rng.random() < params.injectShare;
    let out = bytes;
    if (pick < params.redirectShare) {
      out = encodeHostFrame({ ...frame, destination: params.destination });
    } else if (pick < params.redirectShare + params.inflateShare && params.inflateTo > frame.header.payment) {
      out = encodeHostFrame({ ...frame, header: withPayment(frame.header, params.inflateTo) });
    }
    const frames: Uint8Array[] = [Uint8Array.from(out)];
    if (replay && state.last !== null) frames.push(Uint8Array.from(Buffer.from(state.last, "hex")));
    if (inject) {
      if (frame.seq === 0xffffffff) throw new TollwayError("no sequence number left to forge", { field: "seq" });
      const mac = Uint8Array.from({ length: HOST_MAC_BYTES }, () => rng.int(256));
      frames.push(encodeHostFrame({ mac, seq: frame.seq + 1, destination: params.destination, header: withPayment(frame.header, params.injectPayment) }));
    }
    return { state: { last: Buffer.from(bytes).toString("hex") }, action: { frames } };
  },
});
