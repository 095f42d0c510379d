import { describe, expect, it } from "vitest";
import type { Rng } from "../../src/engine/random.js";
import { createRng } from "../../src/engine/random.js";
import { ATTACKERS, impersonation, manInTheMiddle } from "../../src/security/attackers/index.js";
import { decodeHostFrame, encodeHostFrame, type HostFrame } from "../../src/security/host-frame.js";

/** An Rng that returns the scripted uniforms in order and `int(n)` = 0xab mod n. */
function scripted(...uniforms: number[]): Rng {
  return {
    random: () => {
      const u = uniforms.shift();
      if (u === undefined) throw new Error("script ran out of uniforms");
      return u;
    },
    int: (n) => 0xab % n,
    state: () => [],
  };
}

const mac = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const honest: HostFrame = { mac, seq: 5, destination: "198.51.100.10", header: { version: 1, payment: 20, ispOads: [], userOads: [] } };
const honestBytes = encodeHostFrame(honest);
const mitmDefaults = manInTheMiddle.params.parse({});

describe("impersonation, as a script", () => {
  const defaults = impersonation.params.parse({});

  it("asks for the hijacked application's willingness at the attacker's address, after an exponential gap", () => {
    const { action } = impersonation.decide({ timeSec: 0, lastRefused: null, willingness: 50 }, null, defaults, scripted(0.5));
    // gap = -ln(1 - 0.5) / 50 = ln 2 / 50 = 0.0138629…
    expect(action.waitSec).toBeCloseTo(Math.LN2 / 50, 12);
    expect(action).toMatchObject({ payment: 50, destination: "203.0.113.66" });
  });

  it("a cautious one waits backoffSec longer after a refusal, and only then", () => {
    const cautious = impersonation.params.parse({ backoffSec: 60, payment: 7 });
    const refused = impersonation.decide({ timeSec: 3, lastRefused: true, willingness: 50 }, null, cautious, scripted(0.5)).action;
    const approved = impersonation.decide({ timeSec: 3, lastRefused: false, willingness: 50 }, null, cautious, scripted(0.5)).action;
    expect(refused.waitSec).toBeCloseTo(60 + Math.LN2 / 50, 12);
    expect(approved.waitSec).toBeCloseTo(Math.LN2 / 50, 12);
    expect(refused.payment).toBe(7);
  });
});

describe("man in the middle, as a script (draws: pick, replay, inject)", () => {
  const act = (state: { last: string | null }, ...uniforms: number[]) =>
    manInTheMiddle.decide({ timeSec: 1, frame: honestBytes }, state, mitmDefaults, scripted(...uniforms));

  it("pick < 0.25 redirects: only the destination changes, the secretary's MAC stays", () => {
    const { action, state } = act({ last: null }, 0.1, 0.9, 0.9);
    expect(action.frames).toHaveLength(1);
    expect(decodeHostFrame(action.frames[0]!)).toEqual({ ...honest, destination: "203.0.113.66" });
    expect(state.last).toBe(Buffer.from(honestBytes).toString("hex"));
  });

  it("0.25 <= pick < 0.5 inflates the payment to 1000; pick >= 0.5 passes the bytes untouched", () => {
    expect(decodeHostFrame(act({ last: null }, 0.3, 0.9, 0.9).action.frames[0]!).header.payment).toBe(1000);
    expect(Buffer.from(act({ last: null }, 0.6, 0.9, 0.9).action.frames[0]!).equals(Buffer.from(honestBytes))).toBe(true);
    // Inflation never lowers a payment: a frame already paying 5000 passes as it is.
    const rich = encodeHostFrame({ ...honest, header: { ...honest.header, payment: 5000 } });
    const out = manInTheMiddle.decide({ timeSec: 1, frame: rich }, { last: null }, mitmDefaults, scripted(0.3, 0.9, 0.9)).action.frames[0]!;
    expect(Buffer.from(out).equals(Buffer.from(rich))).toBe(true);
  });

  it("replay < 0.1 sends the previous frame again, verbatim, after this one (none before the first)", () => {
    const previous = encodeHostFrame({ ...honest, seq: 4 });
    const { action } = act({ last: Buffer.from(previous).toString("hex") }, 0.9, 0.05, 0.9);
    expect(action.frames.map((f) => Buffer.from(f).toString("hex"))).toEqual([Buffer.from(honestBytes).toString("hex"), Buffer.from(previous).toString("hex")]);
    expect(act({ last: null }, 0.9, 0.05, 0.9).action.frames).toHaveLength(1);
  });

  it("inject < 0.1 adds a forged frame: next seq, attacker's address, 1000, a MAC of random bytes", () => {
    const { action } = act({ last: null }, 0.9, 0.9, 0.05);
    expect(action.frames).toHaveLength(2);
    const forged = decodeHostFrame(action.frames[1]!);
    expect(forged).toEqual({ mac: new Uint8Array(16).fill(0xab), seq: 6, destination: "203.0.113.66", header: { version: 1, payment: 1000, ispOads: [], userOads: [] } });
  });

  it("refuses shares that do not fit in one draw", () => {
    expect(() => manInTheMiddle.params.parse({ redirectShare: 0.6, inflateShare: 0.6 })).toThrow(/at most 1/);
    expect(() => manInTheMiddle.params.parse({ colour: "red" })).toThrow();
  });
});

describe("every attacker declares itself like a strategy", () => {
  for (const attacker of ATTACKERS) {
    it(`${attacker.id}: defaults validate, it cheats, and the same seed gives the same play`, () => {
      const params = attacker.params.parse({});
      expect(attacker.meta.cheats).toBe(true);
      expect(attacker.meta.stochastic).toBe(true);
      const play = (seed: number) => {
        const rng = createRng(seed);
        let state = attacker.init(params as never) as unknown;
        const out: string[] = [];
        for (let i = 0; i < 20; i++) {
          const d = attacker.kind === "impersonation"
            ? attacker.decide({ timeSec: i, lastRefused: i % 2 === 0, willingness: 50 }, state, params as never, rng)
            : attacker.decide({ timeSec: i, frame: encodeHostFrame({ ...honest, seq: i }) }, state, params as never, rng);
          state = JSON.parse(JSON.stringify(d.state)); // state survives serialisation
          out.push(JSON.stringify(d.action, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v)));
        }
        return out;
      };
      expect(play(3)).toEqual(play(3));
      expect(play(3)).not.toEqual(play(4));
    });
  }
});
