/**
 * The fused fast path: when `withColumn("values", meanSubstitute(genotypeStates("genotypes")))`
 * comes right before the GWAS kernel's `mapPartitions` (declared `fusable: "values"`), the frame's
 * optimizer rule (`frame/optimize.ts`) hands the expression to the kernel, which computes the values
 * from the packed PLINK genotypes itself. The oracle is the general
 * path (the plan evaluates the expression): results must be identical, bit for bit, for linear
 * and logistic (approx-Firth) regression, on a simulated cohort with missing genotypes (~5%, one
 * variant with no call, an odd number of samples) and missing phenotypes (~5%).
 * Also: the linear kernel's two algebraic forms (centred one-pass products when the covariates
 * span the constant, residualize-first otherwise) agree within 1e-10 relative.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as glow from "../../dist/index.js";
import { standardValuesExpr } from "../../dist/gwas/batch.js";
import { fuseProjections } from "../../dist/frame/optimize.js";
import { mapStates, planStates } from "../../dist/gwas/patterns.js";
import { prepareLinearRegression } from "../../dist/gwas/linear-regression.js";
import { prepareLogisticRegression } from "../../dist/gwas/logistic-regression.js";
import { markMissingCalls } from "../helpers/bed-missing.js";

type Row = Record<string, unknown>;
const { genotypeStates, meanSubstitute } = glow.functions;
const LINEAR = new URL("../../dist/gwas/linear-regression.js", import.meta.url).href;
const LOGISTIC = new URL("../../dist/gwas/logistic-regression.js", import.meta.url).href;

let dir = "";
let bed = "";
let pheno: { index: string[]; columns: string[]; data: Record<string, Float64Array> };
let binary: typeof pheno;
let covariates: typeof pheno;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "glowts-fused-"));
  const c = await glow.simulate.cohort({ samples: 301, variants: 400, quantitativeTraits: 2, binaryTraits: 1, causal: 5, missingness: 0.05, out: dir, formats: ["plink"] });
  bed = c.files.bed!;
  // ~5% missing genotypes (code 01), and variant 7 with no call at all
  const bytes = readFileSync(bed);
  markMissingCalls(bytes, 301, 400, { seed: 99, rate: 0.05, allMissingVariant: 7 });
  writeFileSync(bed, bytes);
  const table = (names: string[], values: Record<string, Float64Array>) => ({ index: c.sampleIds, columns: names, data: Object.fromEntries(names.map((n) => [n, values[n]!])) });
  pheno = table(["Q1", "Q2"], c.phenotypes);
  binary = table(["B1"], c.phenotypes);
  covariates = table(["age", "sex", "PC1"], c.covariates);
});

afterAll(async () => {
  await glow.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function frame() {
  return glow.read("plink", bed).withColumn("values", meanSubstitute(genotypeStates("genotypes")));
}

describe("fused meanSubstitute(genotypeStates) values", () => {
  test("the optimizer hands the values withColumn to a fusable mapPartitions; the kernel recognizes only the standard expression", () => {
    const last = (f: glow.VariantFrame) => f.ops[f.ops.length - 1] as { expr: unknown };
    expect(standardValuesExpr(last(frame()).expr, "values")).toEqual({ genotypesColumn: "genotypes", missingValue: -1 });
    expect(standardValuesExpr(last(glow.read("plink", bed).withColumn("values", meanSubstitute(genotypeStates("genotypes"), -9))).expr, "values")).toEqual({ genotypesColumn: "genotypes", missingValue: -9 });
    expect(standardValuesExpr(last(glow.read("plink", bed).withColumn("values", genotypeStates("genotypes"))).expr, "values")).toBeNull();
    const fusable = fuseProjections(frame().mapPartitions(LINEAR, "linearRegressionPartition", null, { fusable: "values" }).ops);
    expect(fusable).toHaveLength(1);
    expect(fusable[0]).toMatchObject({ op: "mapPartitions", fused: { name: "values" } });
    // not fused: another column, a filter in between, or a function that did not declare it
    expect(fuseProjections(frame().mapPartitions(LINEAR, "linearRegressionPartition", null, { fusable: "other" }).ops)).toHaveLength(2);
    expect(fuseProjections(frame().filter(glow.col("start").gt(0)).mapPartitions(LINEAR, "x", null, { fusable: "values" }).ops)).toHaveLength(3);
    expect(fuseProjections(frame().mapPartitions(LINEAR, "linearRegressionPartition", null).ops)).toHaveLength(2);
  });

  test("linear regression (2 traits, 3 covariates): fused equals the general path exactly, 0 and 2 workers", async () => {
    const f0 = frame();
    const state = prepareLinearRegression(pheno, { covariateDf: covariates }, await f0.sampleIds());
    const general = await f0.mapPartitions(LINEAR, "linearRegressionPartition", state).collect({ workers: 0, onProgress: false });
    const fused = f0.mapPartitions(LINEAR, "linearRegressionPartition", state, { fusable: "values" });
    const rows0: Row[] = await fused.collect({ workers: 0, onProgress: false });
    const rows2: Row[] = await fused.collect({ workers: 2, onProgress: false });
    expect(general).toHaveLength(800);
    expect(rows0).toEqual(general);
    expect(rows2).toEqual(general);
    // one state (Glow's missing-phenotype shortcut), where the kernel decodes the packed genotypes
    const one = prepareLinearRegression(pheno, { covariateDf: covariates, missingPhenotypes: "glow" }, await f0.sampleIds());
    expect(planStates(one)).toHaveLength(1);
    const generalOne = await f0.mapPartitions(LINEAR, "linearRegressionPartition", one).collect({ workers: 0, onProgress: false });
    expect(await f0.mapPartitions(LINEAR, "linearRegressionPartition", one, { fusable: "values" }).collect({ workers: 2, onProgress: false })).toEqual(generalOne);
    // the all-missing variant (every value −1, i.e. constant) is tested like any other
    expect(general.filter((r) => (r["names"] as string[])[0] === "snp8")).toHaveLength(2);
    // and the public function gives the same rows
    const api: Row[] = await (glow.gwas.linearRegression(frame(), pheno, { covariateDf: covariates })).collect({ workers: 0, onProgress: false });
    expect(api).toEqual(general);
  });

  test("linear regression: centred one-pass products vs residualize-first (1e-10 relative on effect, stderror, tvalue, negLog10pValue)", async () => {
    const f0 = frame();
    const state = prepareLinearRegression(pheno, { covariateDf: covariates }, await f0.sampleIds());
    for (const s of planStates(state)) expect(s.centred).toBe(true);
    const centred: Row[] = await f0.mapPartitions(LINEAR, "linearRegressionPartition", state).collect({ workers: 0, onProgress: false });
    const residualized: Row[] = await f0.mapPartitions(LINEAR, "linearRegressionPartition", mapStates(state, (s) => ({ ...s, centred: false }))).collect({ workers: 0, onProgress: false });
    expect(residualized).toHaveLength(centred.length);
    let worst = 0;
    let compared = 0;
    centred.forEach((r, i) => {
      const o = residualized[i]!;
      expect(o["names"]).toEqual(r["names"]);
      if ((r["names"] as string[])[0] === "snp8") return; // constant (all missing): both are round-off
      for (const c of ["effect", "stderror", "tvalue", "negLog10pValue"]) {
        const a = r[c] as number;
        const b = o[c] as number;
        worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(3000);
    console.log(`centred vs residualize-first: worst relative difference ${worst.toExponential(2)} over ${compared} values`);
    expect(worst).toBeLessThan(1e-10);
  });

  test("logistic regression with approx-Firth (1 binary trait): fused equals the general path exactly", async () => {
    const f0 = frame();
    const state = prepareLogisticRegression(binary, { covariateDf: covariates, pvalueThreshold: 0.3 }, await f0.sampleIds());
    const general: Row[] = await f0.mapPartitions(LOGISTIC, "logisticRegressionPartition", state).collect({ workers: 0, onProgress: false });
    const fused: Row[] = await f0.mapPartitions(LOGISTIC, "logisticRegressionPartition", state, { fusable: "values" }).collect({ workers: 0, onProgress: false });
    expect(general).toHaveLength(400);
    expect(general.some((r) => r["correctionSucceeded"] === true)).toBe(true);
    expect(fused).toEqual(general);
  });
});
