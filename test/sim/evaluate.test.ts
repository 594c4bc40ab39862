// simulate.evaluate on constructed results whose power/FDR are known by construction, and λGC of
// uniform p-values (≈ 1 within sampling error) and of p-values inflated by a known factor.
import { describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";

describe("simulate.evaluate", () => {
  it("counts true/false hits within the window and causal loci found", async () => {
    const c = await glow.simulate.cohort({ samples: 50, variants: 2000, chromosomes: 2, causal: 10, seed: 8 });
    const causal = c.truth.causal;
    const rows: { contigName: string; start: number; pvalue: number; phenotype: string }[] = [];
    // 5 of the 10 causal variants get a genome-wide hit at their own position; 3 false hits far away
    causal.slice(0, 5).forEach((cv) => rows.push({ contigName: cv.contigName, start: cv.position - 1, pvalue: 1e-10, phenotype: "Q1" }));
    for (let k = 0; k < 3; k++) rows.push({ contigName: "9", start: 1000 * k, pvalue: 1e-9, phenotype: "Q1" });
    // a suggestive-only hit at the 6th causal variant
    rows.push({ contigName: causal[5]!.contigName, start: causal[5]!.position - 1, pvalue: 1e-6, phenotype: "Q1" });
    for (let k = 0; k < 991; k++) rows.push({ contigName: "9", start: 1e6 + k, pvalue: (k + 0.5) / 991, phenotype: "Q1" });
    // window 0: a hit counts only at a causal position (neighbouring causal variants would otherwise share hits)
    const e = glow.simulate.evaluate(rows, c.truth, { windowBp: 0 });
    const t = e.traits[0]!;
    expect(t).toMatchObject({ trait: "Q1", variantsTested: 1000, causal: 10, hits: 8, trueHits: 5, causalFoundGenomeWide: 5, causalFoundSuggestive: 6 });
    expect(t.power).toBeCloseTo(0.5, 12);
    expect(t.fdr).toBeCloseTo(3 / 8, 12);
    expect(e.toString()).toContain("Q1");
  });

  it("λGC is 1 for uniform p-values and the inflation factor for scaled χ²", () => {
    const n = 20001;
    const uniform = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    expect(glow.simulate.lambdaGc(uniform)).toBeCloseTo(1, 3);
    // p-values of χ²·1.2: the median χ² scales by 1.2. sf of χ²₁ at x is erfc(sqrt(x/2)); use the
    // uniform grid's χ² quantiles through the normal quantile of the generator's inverse.
    const inflated = uniform.map((p) => {
      // χ² = z² with z = Φ⁻¹(p/2); inflate and map back: p' = 2Φ(−sqrt(1.2)·|z|)
      const z = Math.abs(glow.simulate.normalQuantile(p / 2));
      return 2 * glow.simulate.normalCdf(-Math.sqrt(1.2) * z);
    });
    expect(glow.simulate.lambdaGc(inflated)).toBeCloseTo(1.2, 2);
  });
});
