/**
 * Label and covariate preparation and alphas (reference §2.2–2.3): NaN → mean, ddof-1
 * standardization, binary detection and Glow's errors, intercept first, alpha naming and the
 * lexicographic alpha-name order. Expected values follow the definitions in the reference.
 */
import { describe, expect, it } from "vitest";
import * as wgr from "../../dist/wgr/index.js";

const table = (cols: Record<string, number[]>, index?: string[]): wgr.SampleTable => {
  const names = Object.keys(cols);
  const n = cols[names[0]!]!.length;
  return wgr.toSampleTable({ index: index ?? Array.from({ length: n }, (_, i) => `s${i}`), columns: names, data: cols });
};

describe("label preparation", () => {
  it("standardizes with the mean and sd (ddof 1) of the present values; NaN becomes 0", () => {
    const t = wgr.stages.fillNaAndStandardize(table({ y: [1, 2, NaN, 5] }));
    const x = [1, 2, 5];
    const mean = 8 / 3;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    const got = Array.from(t.column("y"));
    expect(got[0]).toBeCloseTo((1 - mean) / sd, 14);
    expect(got[2]).toBe(0);
    expect(got[3]).toBeCloseTo((5 - mean) / sd, 14);
  });

  it("raises Glow's error for zero-variance columns", () => {
    expect(() => wgr.stages.fillNaAndStandardize(table({ a: [1, 2, 3], b: [4, 4, 4] }))).toThrow("Column(s) ['b'] have zero std. dev.!");
  });

  it("detects binary labels (0, 1, NaN) and rejects non-binary labels when labelType is 'binary'", () => {
    expect(wgr.stages.isBinary(table({ y: [0, 1, NaN, 1] }))).toBe(true);
    expect(wgr.stages.isBinary(table({ y: [0, 1, 2] }))).toBe(false);
    const log: string[] = [];
    expect(() => wgr.stages.prepareLabelsAndWarn(table({ y: [0, 1, 2] }), false, "binary", (m) => log.push(m))).toThrow("Binary label DataFrame expected!");
    expect(log).toEqual(["Warning: Column y is not binary. It has 1 non-binary value(s)."]);
    expect(() => wgr.stages.prepareLabelsAndWarn(table({ y: [0, 1, 2] }), false, "other", () => {})).toThrow('label_type should be "quantitative", "binary", or "detect". Found other.');
  });

  it("covariates: intercept alone, or standardized with intercept first; row count must match", () => {
    const labels = table({ y: [1, 2, 3] });
    const none = wgr.stages.prepareCovariates(new wgr.SampleTable([], []), labels, true);
    expect(none.columns).toEqual(["intercept"]);
    expect(Array.from(none.values)).toEqual([1, 1, 1]);
    expect(wgr.stages.prepareCovariates(new wgr.SampleTable([], []), labels, false).empty).toBe(true);
    const c = wgr.stages.prepareCovariates(table({ c1: [1, 2, 3] }), labels, true);
    expect(c.columns).toEqual(["intercept", "c1"]);
    expect(Array.from(c.column("c1"))).toEqual([-1, 0, 1]);
    expect(() => wgr.stages.prepareCovariates(table({ c1: [1, 2] }), labels, true)).toThrow("cov_df must be either empty of have the same number of rows as label_df (3 != 2");
  });

  it("missing sample ids in the label table are reported by id", async () => {
    const labels = table({ y: [1, 2, 3] }, ["a", "b", "c"]);
    const inputs = new wgr.stages.WgrInputs(labels, new wgr.SampleTable([], []), { "1": ["a", "zz"] });
    expect(() => inputs.labelPositions("1")).toThrow(/zz/);
  });
});

describe("alphas", () => {
  it("generates h/[0.99, 0.75, 0.5, 0.25, 0.01] named alpha_0..alpha_4 from label-free headers", () => {
    const h = wgr.stages.countLabelFreeHeaders(["chr_1_block_0_alpha_0_label_a", "chr_1_block_0_alpha_0_label_b", "chr_1_block_0_alpha_1_label_a", "22:1:A:C"]);
    expect(h).toBe(3);
    expect(wgr.stages.alphasForHeaderCount(3)).toEqual({ alpha_0: 3 / 0.99, alpha_1: 3 / 0.75, alpha_2: 3 / 0.5, alpha_3: 3 / 0.25, alpha_4: 3 / 0.01 });
  });

  it("iterates alpha names lexicographically (alpha_10 before alpha_2) and rejects negatives", () => {
    const d = wgr.stages.createAlphaDict(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(wgr.stages.sortedAlphaNames(d).slice(0, 4)).toEqual(["alpha_0", "alpha_1", "alpha_10", "alpha_2"]);
    expect(() => wgr.stages.createAlphaDict([1, -1])).toThrow("Alpha values must all be non-negative.");
  });
});
