/**
 * regenieRidge (the `regenie` preset) over a streamed block matrix
 * (`blockVariantsAndSamples(..., { materialize: false })`, header blocks read from the source one at
 * a time, what `glowts step1` runs) against the same regenieRidge over the materialized `blockDf`.
 *
 * Oracle: the materialized path on the same inputs. Tolerance 0 (bit for bit): both run the same
 * per-header-block function (regenie-level0-block.ts) on the same values in the same order, so LOCO
 * predictions, whole-genome predictions, residual sds and the level-1 cross-validation must be equal
 * exactly, for 0 and 2 fit workers. Inputs: Glow's glow/gwas fixtures (VCF, 2 quantitative traits,
 * covariates) and REGENIE's example_3chr.bed with its phenotype.txt / covariates.txt (3 chromosomes),
 * mean-substituted (float64 blocks) and as raw genotype states (integers, which the streamed path
 * holds as float32: the same numbers).
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import { DATA, HAVE_DATA, silent } from "./helpers.js";

type Result = Awaited<ReturnType<typeof glow.wgr.regenieRidge>>;

/** Every LOCO and whole-genome value of two results, exactly; returns how many values were compared. */
function expectSame(s: Result, m: Result): number {
  expect(s.chromosomes).toEqual(m.chromosomes);
  expect(s.scale).toEqual(m.scale);
  expect(s.cv).toEqual(m.cv);
  expect(s.loco.sampleIds).toEqual(m.loco.sampleIds);
  let compared = 0, nonZero = 0;
  const traits = Object.keys(m.scale);
  for (const id of m.loco.sampleIds) for (const t of traits) {
    for (const c of m.chromosomes) {
      const v = m.loco.get(id, c, t);
      expect(s.loco.get(id, c, t)).toBe(v);
      compared++; if (v !== 0 && Number.isFinite(v)) nonZero++;
    }
    expect(s.full.get(id, t)).toBe(m.full.get(id, t));
    compared++;
  }
  expect(nonZero).toBeGreaterThan(0); // real predictions, not an empty model
  return compared;
}

async function both(frame: glow.VariantFrame, labels: unknown, cov: unknown, bsize: number, folds: number, workers: number): Promise<{ s: Result; m: Result; blocks: number }> {
  const ids = await glow.wgr.getSampleIds(frame);
  const mat = await glow.wgr.blockVariantsAndSamples(frame, ids, bsize, folds);
  const str = await glow.wgr.blockVariantsAndSamples(frame, ids, bsize, folds, { materialize: false });
  expect(str.sampleBlocks).toEqual(mat.sampleBlocks);
  const m = await glow.wgr.regenieRidge(mat.blockDf, labels as never, mat.sampleBlocks, cov as never, { ...silent, workers });
  const s = await glow.wgr.regenieRidge(str.blockDf, labels as never, str.sampleBlocks, cov as never, { ...silent, workers });
  return { s, m, blocks: str.blockDf.headerBlockIds().length };
}

if (!HAVE_DATA) console.warn("skipping streamed regenieRidge tests: ../shared/data is absent");

describe.skipIf(!HAVE_DATA)("regenieRidge: streamed = materialized, bit for bit", () => {
  afterAll(async () => {
    await glow.shutdown();
  });

  for (const workers of [0, 2]) {
    it(`Glow's glow/gwas fixtures, ${workers} fit workers`, async () => {
      const G = path.join(DATA, "glow/gwas");
      const frame = glow.read("vcf", path.join(G, "genotypes.vcf.gz"))
        .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
      const labels = await glow.readSampleTable(path.join(G, "continuous-phenotypes.csv.gz"), {
        indexColumn: "sample_id", columns: ["Continuous_Trait_1", "Continuous_Trait_2"],
      });
      const cov = await glow.readSampleTable(path.join(G, "covariates.csv.gz"), { indexColumn: "sample_id" });
      const { s, m, blocks } = await both(frame, labels, cov, 1000, 10, workers);
      expect(blocks).toBeGreaterThan(1);
      expect(expectSame(s, m)).toBeGreaterThan(1000);
    }, 300000);

    it(`REGENIE's example_3chr.bed, phenotype.txt, covariates.txt, ${workers} fit workers`, async () => {
      const frame = glow.read("plink", path.join(DATA, "regenie/example_3chr.bed"), { famDelimiter: "whitespace", bimDelimiter: "whitespace" })
        .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
      const labels = await glow.readSampleTable(path.join(DATA, "glow/regenie/phenotype.txt"));
      const cov = await glow.readSampleTable(path.join(DATA, "glow/regenie/covariates.txt"));
      const { s, m, blocks } = await both(frame, labels, cov, 100, 5, workers);
      expect(s.chromosomes.length).toBe(3);
      expect(blocks).toBeGreaterThan(3);
      expect(expectSame(s, m)).toBeGreaterThan(3000);
    }, 300000);
  }

  it("REGENIE's example_3chr.bed as genotype states (integers: the streamed blocks are held as float32), 2 fit workers", async () => {
    const frame = glow.read("plink", path.join(DATA, "regenie/example_3chr.bed"), { famDelimiter: "whitespace", bimDelimiter: "whitespace" })
      .withColumn("values", glow.functions.genotypeStates("genotypes"));
    const labels = await glow.readSampleTable(path.join(DATA, "glow/regenie/phenotype.txt"));
    const cov = await glow.readSampleTable(path.join(DATA, "glow/regenie/covariates.txt"));
    const { s, m } = await both(frame, labels, cov, 100, 5, 2);
    expect(expectSame(s, m)).toBeGreaterThan(3000);
  }, 300000);

  it("rejects sample blocks other than the streamed matrix's own", async () => {
    const frame = glow.read("plink", path.join(DATA, "regenie/example_3chr.bed"), { famDelimiter: "whitespace", bimDelimiter: "whitespace" })
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const ids = await glow.wgr.getSampleIds(frame);
    const str = await glow.wgr.blockVariantsAndSamples(frame, ids, 100, 5, { materialize: false });
    const labels = await glow.readSampleTable(path.join(DATA, "glow/regenie/phenotype.txt"));
    const swapped = { ...str.sampleBlocks, "1": str.sampleBlocks["2"]!, "2": str.sampleBlocks["1"]! };
    await expect(glow.wgr.regenieRidge(str.blockDf, labels, swapped, null, silent)).rejects.toThrow(/sample_blocks must be the matrix's own/);
  });
});
