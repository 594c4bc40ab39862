/**
 * Glow's `regression-tests.rst` doc-test rows (reference §3, "Expected values in
 * regression-tests.rst"): `glow/gwas/genotypes.vcf.gz` (13 biallelic variants × 2504 samples),
 * values = mean_substitute(genotype_states(genotypes)), all 6 covariates (intercept added), the
 * continuous or binary phenotype table, optional per-sample offsets, approx-Firth at p < 0.05.
 * Tolerance: 1e-9 relative (Glow's `math.isclose`). Logistic runs use `scoreEffects: false` (Glow's
 * null effect/stderror where the Firth correction was not applied).
 */
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DATA, HAVE_DATA, parseTable, readText, readVcfValues, toFrame } from "./helpers.js";
import { linearRegression, logisticRegression } from "../../dist/gwas/index.js";
import * as glow from "../../dist/index.js";

const G = path.join(DATA, "glow/gwas");
const REL = 1e-9;

type Row = Record<string, unknown>;
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Reference §3 table. */
const EXPECTED = {
  linear: { contigName: "22", start: 16050114, phenotype: "Continuous_Trait_1", effect: 0.14722512852575978, stderror: 0.14155327969643167, tvalue: 1.0400686500623064, pvalue: 0.2984087428847886 },
  linearOffset: { contigName: "22", start: 16050114, phenotype: "Continuous_Trait_1", effect: 0.14270211676783012, stderror: 0.16438780778222647, tvalue: 0.8680821205236547, pvalue: 0.38543283172628373 },
  firthCorrected: { contigName: "21", start: 9411301, phenotype: "Binary_Trait_2", effect: 1.6771295643163748, stderror: 0.727886866796042, chisq: 7.561977300936178, pvalue: 0.005961255160993639, correctionSucceeded: true },
  firthUncorrected: { contigName: "22", start: 16050114, phenotype: "Binary_Trait_1", effect: null, stderror: null, chisq: 2.8620926885005393, pvalue: 0.09068944361066741, correctionSucceeded: null },
  logisticOffsetCorrected: { contigName: "21", start: 9411301, phenotype: "Binary_Trait_2", effect: 1.7685129759078362, stderror: 0.7304047109477187, chisq: 8.406635446007385, pvalue: 0.003738539179357663, correctionSucceeded: true },
  logisticOffsetUncorrected: { contigName: "22", start: 16050114, phenotype: "Binary_Trait_1", effect: null, stderror: null, chisq: 3.637471149006905, pvalue: 0.05649268083569545, correctionSucceeded: null },
};

let worst = 0;

function expectRow(rows: Row[], exp: Record<string, unknown>): void {
  const hits = rows.filter((r) => r["contigName"] === exp["contigName"] && r["start"] === exp["start"] && r["phenotype"] === exp["phenotype"]);
  expect(hits).toHaveLength(1);
  const row = hits[0]!;
  for (const [k, v] of Object.entries(exp)) {
    if (typeof v === "number" && k !== "start") {
      const e = relErr(row[k] as number, v);
      worst = Math.max(worst, e);
      expect(e, `${k}: ${row[k]} vs ${v}`).toBeLessThan(REL);
    } else {
      expect(row[k], k).toBe(v);
    }
  }
  // negLog10pValue is −log10(pvalue) where pvalue is representable
  expect(Math.abs((row["negLog10pValue"] as number) + Math.log10(exp["pvalue"] as number))).toBeLessThan(REL);
}

describe.skipIf(!HAVE_DATA)("regression-tests.rst rows (../shared/data/glow/gwas), 1e-9 relative", () => {
  const tables = HAVE_DATA ? {
    covariates: parseTable(readText(path.join(G, "covariates.csv.gz"))),
    continuous: parseTable(readText(path.join(G, "continuous-phenotypes.csv.gz"))),
    continuousOffsets: parseTable(readText(path.join(G, "continuous-offsets.csv.gz"))),
    binary: parseTable(readText(path.join(G, "binary-phenotypes.csv.gz"))),
    binaryOffsets: parseTable(readText(path.join(G, "binary-offsets.csv.gz"))),
  } : null!;
  const variants = HAVE_DATA ? readVcfValues(path.join(G, "genotypes.vcf.gz")) : null!;

  afterAll(async () => {
    console.log(`regression-tests.rst: worst relative deviation ${worst.toExponential(2)} over the 6 rows`);
    await glow.shutdown();
  });

  test("linear regression, without and with offsets", async () => {
    const frame = toFrame(variants);
    const res = await linearRegression(frame, tables.continuous, { covariateDf: tables.covariates, valuesColumn: "values" });
    const rows = await res.collect();
    expect(rows).toHaveLength(13 * 10);
    expect(Object.keys(rows[0]!)).toEqual(["contigName", "start", "end", "names", "referenceAllele", "alternateAlleles", "effect", "stderror", "tvalue", "pvalue", "phenotype", "negLog10pValue"]);
    expectRow(rows, EXPECTED.linear);
    const withOffset = await (linearRegression(frame, tables.continuous, { covariateDf: tables.covariates, offsetDf: tables.continuousOffsets })).collect();
    expectRow(withOffset, EXPECTED.linearOffset);
  });

  test("logistic regression, approx-Firth at 0.05, without and with offsets", async () => {
    const frame = toFrame(variants);
    const res = await logisticRegression(frame, tables.binary, { covariateDf: tables.covariates, correction: "approx-firth", pvalueThreshold: 0.05, scoreEffects: false });
    const rows = await res.collect();
    expect(Object.keys(rows[0]!)).toEqual(["contigName", "start", "end", "names", "referenceAllele", "alternateAlleles", "effect", "stderror", "correctionSucceeded", "chisq", "pvalue", "phenotype", "negLog10pValue"]);
    expectRow(rows, EXPECTED.firthCorrected);
    expectRow(rows, EXPECTED.firthUncorrected);
    const withOffset = await (logisticRegression(frame, tables.binary, { covariateDf: tables.covariates, offsetDf: tables.binaryOffsets, scoreEffects: false })).collect();
    expectRow(withOffset, EXPECTED.logisticOffsetCorrected);
    expectRow(withOffset, EXPECTED.logisticOffsetUncorrected);
  });

  test("through glow.read('vcf') + meanSubstitute(genotypeStates) on the worker pool, danfo tables", async () => {
    const dfd = await import("danfojs-node");
    const danfo = (t: typeof tables.covariates) => new dfd.DataFrame(t.values, { index: t.index, columns: t.columns });
    const df = glow.read("vcf", path.join(G, "genotypes.vcf.gz"))
      .withColumn("gt", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
      .select("contigName", "start", "names", "gt");
    const lin = await linearRegression(df, danfo(tables.continuous), { covariateDf: danfo(tables.covariates), valuesColumn: "gt" });
    const rows = await lin.collect();
    expect(Object.keys(rows[0]!)).toEqual(["contigName", "start", "names", "effect", "stderror", "tvalue", "pvalue", "phenotype", "negLog10pValue"]);
    expectRow(rows, EXPECTED.linear);
    // Traits are tested independently, so two of the ten binary traits suffice here.
    const two = (t: typeof tables.binary) => ({ index: t.index, columns: t.columns.slice(0, 2), values: t.values.map((r) => r.slice(0, 2)) });
    const log = await logisticRegression(df, danfo(two(tables.binary)), { covariateDf: danfo(tables.covariates), offsetDf: danfo(two(tables.binaryOffsets)), valuesColumn: "gt", scoreEffects: false });
    const lrows = await log.collect();
    expectRow(lrows, EXPECTED.logisticOffsetCorrected);
    expectRow(lrows, EXPECTED.logisticOffsetUncorrected);
    const table = await log.toDanfo();
    expect(table.shape).toEqual([13 * 2, 10]);
  });
});
