/**
 * The modal products of the linear kernel (Kernels.modalCross / bedModalCross: each genotype row
 * skips the samples at its most common value), taken with ≥ 8 covariate and trait columns: here
 * 6 quantitative traits and 3 covariates + intercept on a simulated cohort with ~5 % missing
 * genotypes (one variant without any call, an odd number of samples).
 * Oracles: the general path (the plan evaluates meanSubstitute(genotypeStates), the kernel gets
 * dense values) must be identical bit for bit to the fused path (the kernel reads the packed
 * genotypes), with 0 and 2 workers; and the residualize-first form (Glow's algebra, dense
 * products) agrees within 1e-10 relative on effect, stderror, tvalue and negLog10pValue.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as glow from "../../dist/index.js";
import { mapStates, planStates } from "../../dist/gwas/patterns.js";
import { prepareLinearRegression } from "../../dist/gwas/linear-regression.js";
import { markMissingCalls } from "../helpers/bed-missing.js";

type Row = Record<string, unknown>;
const { genotypeStates, meanSubstitute } = glow.functions;
const LINEAR = new URL("../../dist/gwas/linear-regression.js", import.meta.url).href;
const TRAITS = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"];

let dir = "";
let bed = "";
let pheno: { index: string[]; columns: string[]; data: Record<string, Float64Array> };
let covariates: typeof pheno;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "glowts-modal-"));
  const c = await glow.simulate.cohort({ samples: 407, variants: 300, quantitativeTraits: 6, binaryTraits: 0, causal: 5, out: dir, formats: ["plink"] });
  bed = c.files.bed!;
  const bytes = readFileSync(bed);
  markMissingCalls(bytes, 407, 300, { seed: 4242, rate: 0.05, allMissingVariant: 11 });
  writeFileSync(bed, bytes);
  const table = (names: string[], values: Record<string, Float64Array>) => ({ index: c.sampleIds, columns: names, data: Object.fromEntries(names.map((n) => [n, values[n]!])) });
  pheno = table(TRAITS, c.phenotypes);
  covariates = table(["age", "sex", "PC1"], c.covariates);
});

afterAll(async () => {
  await glow.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function frame() {
  return glow.read("plink", bed).withColumn("values", meanSubstitute(genotypeStates("genotypes")));
}

describe("linear regression with the modal products (6 traits, 3 covariates)", () => {
  test("fused (packed genotypes) equals the general path (dense values) exactly, 0 and 2 workers", async () => {
    const f0 = frame();
    const state = prepareLinearRegression(pheno, { covariateDf: covariates }, await f0.sampleIds());
    expect(planStates(state)).toHaveLength(1);
    const general: Row[] = await f0.mapPartitions(LINEAR, "linearRegressionPartition", state).collect({ workers: 0, onProgress: false });
    const fused = f0.mapPartitions(LINEAR, "linearRegressionPartition", state, { fusable: "values" });
    expect(general).toHaveLength(300 * TRAITS.length);
    expect(await fused.collect({ workers: 0, onProgress: false })).toEqual(general);
    expect(await fused.collect({ workers: 2, onProgress: false })).toEqual(general);
  });

  test("agrees with the residualize-first dense form within 1e-10 relative", async () => {
    const f0 = frame();
    const state = prepareLinearRegression(pheno, { covariateDf: covariates }, await f0.sampleIds());
    const modal: Row[] = await f0.mapPartitions(LINEAR, "linearRegressionPartition", state, { fusable: "values" }).collect({ workers: 0, onProgress: false });
    const dense: Row[] = await f0.mapPartitions(LINEAR, "linearRegressionPartition", mapStates(state, (s) => ({ ...s, centred: false }))).collect({ workers: 0, onProgress: false });
    expect(dense).toHaveLength(modal.length);
    let worst = 0;
    let compared = 0;
    modal.forEach((r, i) => {
      const o = dense[i]!;
      expect(o["names"]).toEqual(r["names"]);
      expect(o["phenotype"]).toBe(r["phenotype"]);
      if ((r["names"] as string[])[0] === "snp12") return; // no call: constant, both are round-off
      for (const c of ["effect", "stderror", "tvalue", "negLog10pValue"]) {
        const a = r[c] as number;
        const b = o[c] as number;
        worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(6000);
    console.log(`modal vs residualize-first: worst relative difference ${worst.toExponential(2)} over ${compared} values`);
    expect(worst).toBeLessThan(1e-10);
  });
});
