import { afterEach, describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { cellProgress, notebookKernel, show, showTable } from "../../src/report/display.js";
import { lineChart } from "../../src/report/specs.js";

type Global = { __tslab__?: unknown; Deno?: unknown };
const global = globalThis as Global;

/** A stand-in for tslab's module: records what each display call showed. */
function fakeTslab() {
  const shown: { display: number; kind: string; data: string }[] = [];
  let displays = 0;
  const display = (id: number) => ({
    svg: (data: string) => shown.push({ display: id, kind: "svg", data }),
    html: (data: string) => shown.push({ display: id, kind: "html", data }),
    text: (data: string) => shown.push({ display: id, kind: "text", data }),
  });
  const module = { display: display(0), newDisplay: () => display(++displays) };
  global.__tslab__ = { require: (id: string) => (id === "tslab" ? module : undefined) };
  return shown;
}

/** A stand-in for Deno.jupyter: records each bundle and its options. */
function fakeDeno() {
  const shown: { bundle: Record<string, string>; options: unknown }[] = [];
  global.Deno = { jupyter: { display: async (bundle: Record<string, string>, options: unknown) => void shown.push({ bundle, options }) } };
  return shown;
}

afterEach(() => {
  delete global.__tslab__;
  delete global.Deno;
});

const spec = lineChart({ rows: [{ round: 0, n: 1 }, { round: 1, n: 3 }], x: "round", y: "n", title: "Packets", xTitle: "Round", yTitle: "Packets per round" });

describe("notebookKernel", () => {
  it("is null outside a notebook, and names the kernel by what it put in the global scope", () => {
    expect(notebookKernel()).toBeNull();
    fakeTslab();
    expect(notebookKernel()).toBe("tslab");
    delete global.__tslab__;
    fakeDeno();
    expect(notebookKernel()).toBe("deno");
  });
});

describe("show", () => {
  it("renders a spec to SVG and hands it to tslab's display", async () => {
    const shown = fakeTslab();
    await show(spec);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.kind).toBe("svg");
    expect(shown[0]!.data).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(shown[0]!.data).toContain("Packets per round");
  });

  it("under Deno, displays the SVG as a raw image/svg+xml bundle", async () => {
    const shown = fakeDeno();
    await show("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>");
    expect(shown).toEqual([{ bundle: { "image/svg+xml": "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>" }, options: { raw: true } }]);
  });

  it("refuses a string that is not SVG, and says what to do outside a kernel", async () => {
    fakeTslab();
    await expect(show("<p>no</p>")).rejects.toThrow(/show\.chart: a string chart must be an SVG document/);
    delete global.__tslab__;
    const error = await show(spec).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TollwayError);
    expect((error as Error).message).toMatch(/writeChart\(path, spec\)/);
  });
});

describe("showTable", () => {
  const rows = [{ isp: "X", revenue: 1234567, note: "a<b" }, { isp: "Y", revenue: 89, note: null }];

  it("shows an HTML table, numbers right-aligned and formatted, text escaped", async () => {
    const shown = fakeTslab();
    await showTable(rows, [{ key: "isp", title: "ISP" }, { key: "revenue", format: { thousands: true } }, { key: "note" }]);
    const html = shown[0]!.data;
    expect(shown[0]!.kind).toBe("html");
    expect(html).toContain('<th style="text-align:left">ISP</th><th style="text-align:right">revenue</th>');
    expect(html).toContain('<td style="text-align:right">1,234,567</td>');
    expect(html).toContain("<td style=\"text-align:left\">a&lt;b</td>");
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it("prints formatTable's text outside a kernel", async () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => written.push(chunk)) as typeof process.stdout.write;
    try {
      await showTable([{ isp: "X", revenue: 5 }]);
    } finally {
      process.stdout.write = write;
    }
    expect(written.join("")).toBe("isp  revenue\n---  -------\nX          5\n");
  });
});

describe("cellProgress", () => {
  it("writes one display slot, about every 5% and at the end, and starts again with a new count", () => {
    const shown = fakeTslab();
    const progress = cellProgress("rounds");
    for (let done = 1; done <= 40; done++) progress(done, 40);
    const texts = shown.map((s) => s.data);
    // 40 steps of 2.5%: the odd counts 2k+1 are at floor(5k + 2.5) = 5k + 2 percent, each 5 points
    // past the last one shown, so 1, 3, …, 39 are shown (20 lines), then 40 at the end: 21.
    expect(texts[0]).toBe("rounds: 1/40 (2%)");
    expect(texts[1]).toBe("rounds: 3/40 (7%)");
    expect(texts.at(-2)).toBe("rounds: 39/40 (97%)");
    expect(texts.at(-1)).toBe("rounds: 40/40 (100%)");
    expect(texts).toHaveLength(21);
    expect(new Set(shown.map((s) => s.display))).toEqual(new Set([1]));
    progress(1, 10, "alpha=2");
    expect(shown.at(-1)!.data).toBe("rounds: 1/10 (10%) alpha=2");
  });

  it("under Deno, updates one display_id in place", () => {
    const shown = fakeDeno();
    const progress = cellProgress("runs");
    progress(1, 2);
    progress(2, 2);
    const [first, second] = shown as { options: { display_id: string; update: boolean } }[];
    expect(first!.options.update).toBe(false);
    expect(second!.options.update).toBe(true);
    expect(second!.options.display_id).toBe(first!.options.display_id);
  });

  it("reports nothing outside a kernel", () => {
    expect(() => cellProgress("x")(1, 2)).not.toThrow();
  });
});
