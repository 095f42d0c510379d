import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TollwayError } from "../../src/errors.js";
import { cdfChart, lineChart, renderPng, renderSvg, writeChart } from "../../src/report/charts.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const rows = [
  { round: 0, price: 5, isp: "A" },
  { round: 1, price: 7, isp: "A" },
  { round: 2, price: 6, isp: "A" },
];
const spec = lineChart({ rows, x: "round", y: "price", color: "isp", title: "Toll by round", xTitle: "Round", yTitle: "pUSD" });

describe("renderSvg", () => {
  it("gives a namespaced SVG document that carries the title and axis titles", async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("Toll by round");
    expect(svg).toContain("Round");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });

  it("is deterministic and leaves the caller's rows untouched", async () => {
    const before = JSON.stringify(rows);
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
    expect(JSON.stringify(rows)).toBe(before);
    expect(Object.getOwnPropertySymbols(rows[0]!)).toEqual([]);
  });

  it("renders step CDFs", async () => {
    const svg = await renderSvg(cdfChart({ values: { a: [1, 2, 3] }, title: "Spread", xTitle: "x" }));
    expect(svg).toContain("Spread");
  });
});

describe("renderPng", () => {
  it("rasterises an SVG to PNG bytes", async () => {
    const png = renderPng(await renderSvg(spec));
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it("rejects a non-positive scale", () => {
    expect(() => renderPng('<svg xmlns="http://www.w3.org/2000/svg"/>', { scale: 0 })).toThrow("renderPng.scale");
  });
});

describe("writeChart", () => {
  let folder = "";
  afterAll(async () => {
    if (folder !== "") await rm(folder, { recursive: true, force: true });
  });

  it("writes an SVG, or a PNG with its SVG beside it, creating folders", async () => {
    folder = await mkdtemp(join(tmpdir(), "tollway-charts-"));
    const svgOnly = join(folder, "a", "price.svg");
    expect(await writeChart(svgOnly, spec)).toEqual([svgOnly]);
    expect((await readFile(svgOnly, "utf8")).startsWith("<svg")).toBe(true);

    const png = join(folder, "b", "price.png");
    expect(await writeChart(png, spec)).toEqual([join(folder, "b", "price.svg"), png]);
    expect([...(await readFile(png)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(await readFile(join(folder, "b", "price.svg"), "utf8")).toContain("Toll by round");
  });

  it("refuses other extensions, naming the file", async () => {
    await expect(writeChart("out/price.jpg", spec)).rejects.toThrow(TollwayError);
    await expect(writeChart("out/price.jpg", spec)).rejects.toThrow('out/price.jpg: a chart is written as .svg or .png (got ".jpg")');
  });
});
