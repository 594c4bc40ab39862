// Manhattan, QQ, histogram and heatmap figures on seeded synthetic results: the SVG elements that
// must be there (points, lines, labels, band), thinning bounds and size, escaping, input shapes,
// and save(). Expected counts come from the synthetic data's definition.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { heatmap, histogram, manhattan, qq, readAssociationResults, thinPoints } from "../../dist/plot/index.js";
import { MIME_BUNDLE } from "../../dist/display/index.js";
import { Random } from "../../dist/sim/random.js";
import { dom } from "../display/dom.js";
import { expectSnapshot } from "../display/snapshot.js";

const svgDom = dom;
const tmp = mkdtempSync(path.join(os.tmpdir(), "glowts-plot-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** n null variants on `chromosomes` chromosomes (seeded), plus hits at given indices. */
function nullResults(n: number, chromosomes: number, seed: number, hits: Record<number, { p: number; id: string }> = {}) {
  const rng = new Random(seed);
  const per = Math.ceil(n / chromosomes);
  const contigName: string[] = new Array(n);
  const start = new Float64Array(n);
  const pvalue = new Float64Array(n);
  const names: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    contigName[i] = String(1 + Math.floor(i / per));
    start[i] = 1000 + (i % per) * 150;
    pvalue[i] = rng.uniform();
    names[i] = [`rs${i}`];
  }
  for (const [k, h] of Object.entries(hits)) { pvalue[Number(k)] = h.p; names[Number(k)] = [h.id]; }
  return { contigName, start, pvalue, names };
}

describe("manhattan", () => {
  it("draws a million variants in a few hundred KB: all points above −log10 p = 3 kept, the rest thinned", () => {
    const n = 1_000_000;
    const r = nullResults(n, 22, 5, { 100: { p: 1e-12, id: "hitA" }, 700_000: { p: 3e-20, id: "<script>x</script>" } });
    const fig = manhattan(r);
    let above = 0;
    for (let i = 0; i < n; i++) if (-Math.log10(r.pvalue[i]!) >= 3) above++;
    expect(fig.details["variants"]).toBe(n);
    expect(fig.details["above"]).toBe(above);
    // drawn ≤ kept-above + one per grid cell (300 × 24)
    expect(fig.details["drawn"] as number).toBeLessThanOrEqual(above + 300 * 24);
    expect(fig.svg.length).toBeLessThan(500_000);
    const d = svgDom(fig.svg);
    // two point layers (alternating chromosomes) + the ring around labelled hits
    const circles = d.querySelectorAll("circle").length;
    expect(circles).toBe((fig.details["drawn"] as number) + d.querySelectorAll('g[aria-label="text"] text').length);
    // lines at 1e-5 (dashed) and 5e-8
    expect(d.querySelectorAll('g[stroke-dasharray="5 3"] line').length).toBe(1);
    expect(d.querySelectorAll('g[stroke="#d62728"] line').length).toBe(1);
    // chromosome bands: 11 of 22 shaded
    expect(d.querySelectorAll('g[fill="#eef1f6"] rect').length).toBe(11);
    // top hit labelled, escaped
    expect(fig.details["topHit"]).toBe("<script>x</script>");
    expect(fig.svg).not.toContain("<script>");
    expect(fig.svg).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(fig.svg).toContain("hitA");
  }, 30_000);

  it("matches its snapshot on a small seeded input (numbers normalised)", () => {
    const r = nullResults(300, 3, 21, { 150: { p: 2e-9, id: "rsHit" } });
    const fig = manhattan(r, { title: "small" });
    expectSnapshot("manhattan-small", fig.html);
    expectSnapshot("qq-small", qq(r).html);
  });

  it("thinning is deterministic", () => {
    const r = nullResults(50_000, 3, 9);
    expect(manhattan(r).svg).toBe(manhattan(r).svg);
  });

  it("reads rows, a danfo-like frame, a VariantBatch, log10pvalue and one phenotype of several", () => {
    const rows = [
      { contigName: "2", start: 10, pvalue: 0.5, phenotype: "a" },
      { contigName: "1", start: 20, pvalue: 1e-9, phenotype: "a" },
      { contigName: "1", start: 30, pvalue: 0.2, phenotype: "b" },
    ];
    const r = readAssociationResults(rows, {}, "test", true);
    expect(r.phenotype).toBe("a");
    expect(r.n).toBe(2);
    expect(r.contig).toEqual(["2", "1"]);
    const b = readAssociationResults(rows, { phenotype: "b" }, "test", true);
    expect(Array.from(b.pvalue)).toEqual([0.2]);
    // log10pvalue is preferred for −log10 p (it keeps p-values below 1e-308)
    const tiny = readAssociationResults({ contigName: ["1"], start: [5], pvalue: [0], log10pvalue: [-400] }, {}, "test", true);
    expect(tiny.mlog10p[0]).toBe(400);
    // VariantBatch with Glow's names list
    const batch = {
      numRows: 2,
      columns: {
        contigName: { type: "string", values: ["1", "1"] },
        start: { type: "long", values: new Float64Array([1, 2]) },
        names: { type: "list", child: { type: "string", values: ["rsA", "rsB"] }, offsets: new Int32Array([0, 1, 2]) },
        pvalue: { type: "double", values: new Float64Array([0.1, 0.01]) },
      },
    };
    expect(readAssociationResults(batch, {}, "test", true).label).toEqual(["rsA", "rsB"]);
    // danfo-shaped
    const fake = { columns: ["CHROM", "POS", "P"], shape: [1, 3], column: (n: string) => ({ values: ({ CHROM: ["X"], POS: [7], P: [0.3] } as Record<string, unknown[]>)[n]! }) };
    const f = readAssociationResults(fake, {}, "test", true);
    expect(f.contig).toEqual(["X"]);
    expect(Array.from(f.position!)).toEqual([7]);
  });

  it("says which columns it looked for when none is found", () => {
    expect(() => manhattan([{ chromosome: "1", where: 3, p: 0.1 }])).toThrow(/no position column \(looked for start, pos/);
    expect(() => manhattan([{ contigName: "1", start: 3 }])).toThrow(/no p-value column/);
  });

  it("orders chromosomes 1..22, X, Y, MT", () => {
    const contigName = ["X", "10", "2", "chr1", "MT"];
    const fig = manhattan({ contigName, start: [1, 1, 1, 1, 1], pvalue: [0.1, 0.2, 0.3, 0.4, 0.5] });
    const ticks = [...svgDom(fig.svg).querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(["chr1", "2", "10", "X", "MT"]);
  });
});

describe("qq", () => {
  it("draws the band, the diagonal and λGC, thinning overlapping points", () => {
    const r = nullResults(200_000, 2, 13);
    const fig = qq(r);
    const d = svgDom(fig.svg);
    expect(d.querySelectorAll('g[aria-label="area"] path').length).toBe(1);
    expect(d.querySelectorAll('g[aria-label="line"] path').length).toBe(1);
    expect(fig.details["variants"]).toBe(200_000);
    expect(fig.details["drawn"] as number).toBeLessThan(5000);
    expect(d.querySelectorAll("circle").length).toBe(fig.details["drawn"]);
    expect(Math.abs((fig.details["lambdaGc"] as number) - 1)).toBeLessThan(0.05);
    expect(fig.svg).toContain("λGC = ");
  });

  it("accepts a plain array of p-values", () => {
    expect(qq([0.1, 0.5, 0.9]).details["variants"]).toBe(3);
  });
});

describe("histogram and heatmap", () => {
  it("histogram draws one bar per non-empty bin and the reference lines", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 10) / 10 + 0.05);
    const fig = histogram(values, { bins: 10, domain: [0, 1], rules: [0.5], title: "<b>QC</b>" });
    const d = svgDom(fig.svg);
    expect(d.querySelectorAll('g[aria-label="rect"] rect').length).toBe(10);
    expect(d.querySelectorAll('g[aria-label="rule"] line').length).toBe(2); // the rule at 0.5 and the baseline
    expect(fig.details["count"]).toBe(1000);
    expect(fig.html).toContain("&lt;b&gt;QC&lt;/b&gt;");
  });

  it("histogram rejects empty input with a clear error", () => {
    expect(() => histogram([NaN, NaN])).toThrow(/no finite values/);
  });

  it("heatmap shows block means on at most maxCells per side", () => {
    const rows = 100, cols = 7;
    const data = Float64Array.from({ length: rows * cols }, (_, k) => Math.floor(k / cols));
    const fig = heatmap({ rows, cols, data }, { maxCells: 20 });
    expect(fig.details["rowStep"]).toBe(5);
    expect(svgDom(fig.svg).querySelectorAll('g[aria-label="cell"] rect').length).toBe(20 * 7);
  });
});

describe("PlotFigure", () => {
  it("has a MIME bundle with inline SVG, and saves .svg, .html and .png", async () => {
    const fig = histogram([1, 2, 2, 3]);
    const b = await fig[MIME_BUNDLE]();
    expect(b["text/html"]).toContain("<svg");
    expect(b["text/plain"]).toContain("Histogram");
    const svgFile = fig.save(path.join(tmp, "h.svg"));
    expect(readFileSync(svgFile, "utf8")).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const htmlFile = fig.save(path.join(tmp, "h.html"));
    expect(readFileSync(htmlFile, "utf8")).toMatch(/^<!doctype html>[\s\S]*<svg/);
    expect(() => fig.save(path.join(tmp, "h.jpg"))).toThrow(/unsupported extension/);
    expect(() => fig.save(path.join(tmp, "h.png"))).toThrow(/savePng/);
    const png = readFileSync(await fig.savePng(path.join(tmp, "h.png")));
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  });

  it("thinPoints keeps every point above the threshold and one per cell below", () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    const y = Float64Array.from({ length: 1000 }, (_, i) => (i % 100) / 10); // 0..9.9
    const t = thinPoints(x, y, { keepAbove: 5, bins: [10, 5], xDomain: [0, 1000] });
    expect(t.above).toBe(500);
    expect(t.indices.length).toBe(500 + 10 * 5);
    const capped = thinPoints(x, y, { keepAbove: 5, bins: [10, 5], xDomain: [0, 1000], maxAbove: 100 });
    expect(capped.threshold).toBeCloseTo(9, 12); // the 100 largest y are 9.0..9.9 (10 each)
    expect(capped.above).toBe(100);
  });
});
