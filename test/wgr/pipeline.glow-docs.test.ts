/**
 * The GloWGR doc-test pipeline of Glow's `docs/source/tertiary/whole-genome-regression.rst` on
 * `glow/gwas` (reference §3): VCF → meanSubstitute(genotypeStates) → blocks of 1000 variants and
 * 10 sample blocks → RidgeReduction (with covariates) → RidgeRegression.transformLoco; and the binary
 * variant with LogisticRidgeRegression.fitTransformLoco().
 * Oracles (Glow's golden numbers): ŷ(HG00096, '22', Continuous_Trait_1) = −0.5627750538139388 and
 * ŷ(HG00096, '22', Binary_Trait_1) = 0.0014362933881161765. Tolerance: 1e-9 relative (Glow: math.isclose).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import { DATA, HAVE_DATA, silent } from "./helpers.js";

const G = path.join(DATA, "glow/gwas");
const QUANT = -0.5627750538139388;
const BINARY = 0.0014362933881161765;
if (!HAVE_DATA) console.warn("skipping the GloWGR doc-test pipeline: ../shared/data is absent");

describe.skipIf(!HAVE_DATA)("GloWGR docs pipeline on glow/gwas", () => {
  let blocked: glow.wgr.BlockedVariants;
  let covariateDf: Awaited<ReturnType<typeof glow.readSampleTable>>;

  beforeAll(async () => {
    const variants = glow.read("vcf", path.join(G, "genotypes.vcf.gz"))
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    const sampleIds = await glow.wgr.getSampleIds(variants);
    blocked = await glow.wgr.blockVariantsAndSamples(variants, sampleIds, 1000, 10);
    covariateDf = await glow.readSampleTable(path.join(G, "covariates.csv.gz"), { indexColumn: "sample_id" });
  });

  afterAll(async () => {
    await glow.shutdown();
  });

  it("blocks 13 variants × 10 sample blocks with HALF_UP sample slicing", () => {
    const { blockDf, sampleBlocks } = blocked;
    expect(blockDf.numRows).toBe(13 * 10);
    expect(Object.keys(sampleBlocks)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    // reference §2.1: 2504 samples / 10 blocks
    expect(Object.values(sampleBlocks).map((s) => s.length)).toEqual([250, 251, 250, 251, 250, 250, 251, 250, 251, 250]);
    expect(blockDf.headerBlockIds().sort()).toEqual(["chr_21_block_0", "chr_22_block_0"]);
    expect(blockDf.header).toContain("22:16050114:G:A"); // reference §2.1 header example (0-based start)
  });

  it("quantitative: ŷ(HG00096, '22', Continuous_Trait_1) = −0.5627750538139388 (1e-9 relative)", async () => {
    const labelDf = await glow.readSampleTable(path.join(G, "continuous-phenotypes.csv.gz"), {
      indexColumn: "sample_id", columns: ["Continuous_Trait_1", "Continuous_Trait_2"],
    });
    const reduction = new glow.wgr.RidgeReduction(blocked.blockDf, labelDf, blocked.sampleBlocks, covariateDf, silent);
    await reduction.fitTransform();
    const regression = glow.wgr.RidgeRegression.fromRidgeReduction(reduction, [], silent);
    await regression.fit();
    const yHat = await regression.transformLoco();
    const key = glow.io.offsetKey("HG00096", "22");
    const row = yHat.index.indexOf(key);
    expect(row).toBeGreaterThanOrEqual(0);
    const v = yHat.column("Continuous_Trait_1").values[row] as number;
    expect(Math.abs(v - QUANT) / Math.abs(QUANT)).toBeLessThan(1e-9);
  });

  it("binary: ŷ(HG00096, '22', Binary_Trait_1) = 0.0014362933881161765 (1e-9 relative)", async () => {
    const labelDf = await glow.readSampleTable(path.join(G, "binary-phenotypes.csv.gz"), { indexColumn: "sample_id" });
    const reduction = new glow.wgr.RidgeReduction(blocked.blockDf, labelDf, blocked.sampleBlocks, covariateDf, silent);
    await reduction.fitTransform();
    expect(reduction.isBinary()).toBe(true);
    const regression = glow.wgr.LogisticRidgeRegression.fromRidgeReduction(reduction, [], silent);
    await regression.fit();
    const loco = await regression.transformLocoToTable();
    const v = loco.get("HG00096", "22", "Binary_Trait_1");
    expect(Math.abs(v - BINARY) / Math.abs(BINARY)).toBeLessThan(1e-9);
  });
});
