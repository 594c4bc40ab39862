/**
 * Results do not depend on how the variants are batched nor on the number of workers: the same
 * analysis over 1 batch and over several batches (and through the worker pool) agrees to ≤ 1e-12
 * relative per (variant, phenotype) row.
 */
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DATA, HAVE_DATA, locoOffsetTable, parseFidIidTable, parseTable, readBed, readText, readVcfValues, toFrame } from "./helpers.js";
import { linearRegression, logisticRegression } from "../../dist/gwas/index.js";
import * as glow from "../../dist/index.js";

type Row = Record<string, unknown>;
const TOL = 1e-12;

/** Max relative difference over the numeric result columns, rows matched by (names, phenotype). */
function maxDifference(a: Row[], b: Row[], columns: string[]): number {
  expect(b).toHaveLength(a.length);
  const key = (r: Row): string => `${r["contigName"]}:${r["start"]}:${(r["names"] as string[]).join(";")}/${r["phenotype"]}`;
  const byKey = new Map(b.map((r) => [key(r), r]));
  let worst = 0;
  for (const r of a) {
    const o = byKey.get(key(r));
    expect(o).toBeDefined();
    for (const c of columns) {
      const x = r[c] as number | null | boolean;
      const y = o![c] as number | null | boolean;
      if (x === null || y === null || typeof x === "boolean") { expect(y).toBe(x); continue; }
      if (Number.isNaN(x) || x === y) { expect(Number.isNaN(y as number) || x === y).toBe(true); continue; }
      worst = Math.max(worst, Math.abs(x - (y as number)) / Math.abs(x));
    }
  }
  return worst;
}

describe.skipIf(!HAVE_DATA)("batching and worker independence", () => {
  afterAll(async () => { await glow.shutdown(); });

  test("linear regression with LOCO offsets: 1 batch vs batches of 7 and of 333 (REGENIE example, 1000 variants × 2 traits)", async () => {
    const R = path.join(DATA, "glow/regenie");
    const v = readBed(path.join(DATA, "regenie/example"));
    const opts = {
      covariateDf: parseFidIidTable(readText(path.join(R, "covariates.txt"))),
      offsetDf: locoOffsetTable({ Y1: path.join(R, "fit_lin_out_1.loco"), Y2: path.join(R, "fit_lin_out_2.loco") }),
    };
    const pheno = parseFidIidTable(readText(path.join(R, "phenotype.txt")));
    const one = await (linearRegression(toFrame(v), pheno, opts)).collect();
    const cols = ["effect", "stderror", "tvalue", "pvalue", "negLog10pValue"];
    for (const size of [7, 333]) {
      const many = await (linearRegression(toFrame(v, size), pheno, opts)).collect();
      expect(maxDifference(one, many, cols)).toBeLessThanOrEqual(TOL);
    }
  });

  test("logistic regression with approx-Firth: 1 batch vs 1-variant and 4-variant batches (Glow gwas data, 13 variants × 10 traits)", async () => {
    const G = path.join(DATA, "glow/gwas");
    const v = readVcfValues(path.join(G, "genotypes.vcf.gz"));
    const pheno = parseTable(readText(path.join(G, "binary-phenotypes.csv.gz")));
    const opts = { covariateDf: parseTable(readText(path.join(G, "covariates.csv.gz"))), offsetDf: parseTable(readText(path.join(G, "binary-offsets.csv.gz"))), pvalueThreshold: 0.1 };
    const one = await (logisticRegression(toFrame(v), pheno, opts)).collect();
    expect(one.filter((r) => r["correctionSucceeded"] !== null).length).toBeGreaterThan(3);
    const cols = ["effect", "stderror", "correctionSucceeded", "chisq", "pvalue", "negLog10pValue"];
    for (const size of [1, 4]) {
      const many = await (logisticRegression(toFrame(v, size), pheno, opts)).collect();
      expect(maxDifference(one, many, cols)).toBeLessThanOrEqual(TOL);
    }
  });

  test("logistic regression with LOCO offsets (contigs: ['1']): glow.read('bgen') on 0 vs 2 workers, 1 vs 10 partitions", async () => {
    const R = path.join(DATA, "glow/regenie");
    const pheno = parseFidIidTable(readText(path.join(R, "phenotype_bin.txt")));
    const opts = {
      covariateDf: parseFidIidTable(readText(path.join(R, "covariates.txt"))),
      offsetDf: locoOffsetTable({ Y1: path.join(R, "fit_lin_out_1.loco"), Y2: path.join(R, "fit_lin_out_2.loco") }),
      contigs: ["1"],
      pvalueThreshold: 0.2,
    };
    const frame = () => glow.read("bgen", path.join(R, "example.bgen")).withColumn("values", glow.functions.genotypeStates("genotypes"));
    const before = glow.config().variantsPerPartition;
    try {
      glow.config({ variantsPerPartition: 100 });
      const res = await logisticRegression(frame(), pheno, opts);
      const pooled = await (res as unknown as { collect(o: { workers: number }): Promise<Row[]> }).collect({ workers: 2 });
      glow.config({ variantsPerPartition: 100000 });
      const single = await (logisticRegression(frame(), pheno, opts) as unknown as { collect(o: { workers: number }): Promise<Row[]> }).collect({ workers: 0 });
      expect(pooled).toHaveLength(2000);
      expect(maxDifference(single, pooled, ["effect", "stderror", "correctionSucceeded", "chisq", "pvalue", "negLog10pValue"])).toBeLessThanOrEqual(TOL);
    } finally {
      glow.config({ variantsPerPartition: before });
    }
  });
});
