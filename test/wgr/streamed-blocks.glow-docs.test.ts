/**
 * The streamed level 0 (`blockVariantsAndSamples(..., { materialize: false })`): the block matrix is
 * never held; each header block is read again from the frame, fitted and applied in one task.
 *
 * Oracles: Glow's doc-test numbers on glow/gwas (the same pipeline as pipeline.glow-docs.test.ts,
 * ŷ(HG00096, '22', Continuous_Trait_1) = −0.5627750538139388, binary 0.0014362933881161765;
 * tolerance 1e-9 relative, Glow's math.isclose), and the materialized path of the same inputs, which
 * the streamed path must equal bit for bit (tolerance 0: same stage functions on the same rows) —
 * model coefficients, reduced matrix and LOCO predictions, for 0 and 2 fit workers, on sorted,
 * shuffled and filtered inputs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as glow from "../../dist/index.js";
import type { VariantBatch } from "../../dist/core/column.js";
import { takeBatch, concatBatches } from "../../dist/core/column.js";
import { DATA, HAVE_DATA, silent } from "./helpers.js";

const G = path.join(DATA, "glow/gwas");
const QUANT = -0.5627750538139388;
const BINARY = 0.0014362933881161765;

/** Every column of two block matrices, exactly. */
function expectSameBlockMatrix(a: glow.wgr.BlockMatrix, b: glow.wgr.BlockMatrix): void {
  // every column (header, size, values, header/sample block, sort key, mu, sig, alpha, label), row by row
  expect(a.toBatch()).toEqualBatch(b.toBatch());
  expect(a.alpha === null).toBe(b.alpha === null);
  expect(a.label === null).toBe(b.label === null);
  for (let i = 0; i < a.numRows; i++) expect(Array.from(a.values[i]!)).toEqual(Array.from(b.values[i]!));
}

function expectSameModel(a: glow.wgr.RidgeModel, b: glow.wgr.RidgeModel): void {
  expect(a.blocks.length).toBe(b.blocks.length);
  a.blocks.forEach((x, i) => {
    const y = b.blocks[i]!;
    expect([x.headerBlock, x.sampleBlock, x.label]).toEqual([y.headerBlock, y.sampleBlock, y.label]);
    expect(x.headers).toEqual(y.headers);
    expect(Array.from(x.coefficients)).toEqual(Array.from(y.coefficients));
  });
}

/** The LOCO pipeline (level 0 + level 1) on a given blockDf. */
async function loco(blockDf: glow.wgr.BlockMatrix | glow.wgr.StreamedBlockMatrix, labelDf: unknown, sampleBlocks: glow.wgr.SampleBlocks, cov: unknown, workers: number) {
  const reduction = new glow.wgr.RidgeReduction(blockDf, labelDf as never, sampleBlocks, cov as never, { ...silent, workers });
  await reduction.fitTransform();
  const regression = glow.wgr.RidgeRegression.fromRidgeReduction(reduction, [], silent);
  await regression.fit();
  return { reduction, table: await regression.transformLocoToTable() };
}

if (!HAVE_DATA) console.warn("skipping the streamed GloWGR doc-test pipeline: ../shared/data is absent");

describe.skipIf(!HAVE_DATA)("streamed level 0 on glow/gwas (Glow's doc test)", () => {
  let variants: glow.VariantFrame;
  let sampleIds: string[];
  let materialized: glow.wgr.BlockedVariants;
  let streamed: glow.wgr.StreamedBlockedVariants;
  let covariateDf: Awaited<ReturnType<typeof glow.readSampleTable>>;

  beforeAll(async () => {
    variants = glow.read("vcf", path.join(G, "genotypes.vcf.gz"))
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
    sampleIds = await glow.wgr.getSampleIds(variants);
    materialized = await glow.wgr.blockVariantsAndSamples(variants, sampleIds, 1000, 10);
    streamed = await glow.wgr.blockVariantsAndSamples(variants, sampleIds, 1000, 10, { materialize: false });
    covariateDf = await glow.readSampleTable(path.join(G, "covariates.csv.gz"), { indexColumn: "sample_id" });
  });

  afterAll(async () => {
    await glow.shutdown();
  });

  it("has the materialized layout, and materializes to the same block matrix (exactly)", async () => {
    expect(streamed.sampleBlocks).toEqual(materialized.sampleBlocks);
    expect(streamed.blockDf.numRows).toBe(materialized.blockDf.numRows);
    expect(streamed.blockDf.headerBlockIds()).toEqual(materialized.blockDf.headerBlockIds());
    expectSameBlockMatrix(await streamed.blockDf.materialize(), materialized.blockDf);
  });

  for (const workers of [0, 2]) {
    it(`quantitative, ${workers} fit workers: Glow's ŷ (1e-9) and the materialized model, reduced matrix and LOCO bit for bit`, async () => {
      const labelDf = await glow.readSampleTable(path.join(G, "continuous-phenotypes.csv.gz"), {
        indexColumn: "sample_id", columns: ["Continuous_Trait_1", "Continuous_Trait_2"],
      });
      const m = await loco(materialized.blockDf, labelDf, materialized.sampleBlocks, covariateDf, workers);
      const s = await loco(streamed.blockDf, labelDf, streamed.sampleBlocks, covariateDf, workers);
      expectSameModel(s.reduction.modelDf!, m.reduction.modelDf!);
      expectSameBlockMatrix(s.reduction.reducedBlockDf!, m.reduction.reducedBlockDf!);
      const v = s.table.get("HG00096", "22", "Continuous_Trait_1");
      expect(Math.abs(v - QUANT) / Math.abs(QUANT)).toBeLessThan(1e-9);
      for (const c of m.table.chromosomes) for (const l of ["Continuous_Trait_1", "Continuous_Trait_2"]) {
        for (const id of sampleIds.slice(0, 50)) expect(s.table.get(id, c, l)).toBe(m.table.get(id, c, l));
      }
    });
  }

  it("binary: estimateLocoOffsets on the streamed matrix gives Glow's ŷ and the materialized offsets exactly", async () => {
    const labelDf = await glow.readSampleTable(path.join(G, "binary-phenotypes.csv.gz"), { indexColumn: "sample_id" });
    const s = await glow.wgr.estimateLocoOffsetsToTable(streamed.blockDf, labelDf, streamed.sampleBlocks, covariateDf, silent);
    const m = await glow.wgr.estimateLocoOffsetsToTable(materialized.blockDf, labelDf, materialized.sampleBlocks, covariateDf, silent);
    const v = s.get("HG00096", "22", "Binary_Trait_1");
    expect(Math.abs(v - BINARY) / Math.abs(BINARY)).toBeLessThan(1e-9);
    for (const c of m.chromosomes) for (const id of sampleIds) expect(s.get(id, c, "Binary_Trait_1")).toBe(m.get(id, c, "Binary_Trait_1"));
  });
});

/** A source over fixed batches without a worker-side map (the blocking's on-thread first pass). */
function batchSource(batches: VariantBatch[]): glow.wgr.BatchSource {
  return { async *partitions() { for (const b of batches) yield b; } };
}

describe("streamed level 0 on a simulated cohort (PLINK), sorted, shuffled and filtered", () => {
  let dir: string;
  let frame: glow.VariantFrame;
  let ids: string[];
  let labels: Awaited<ReturnType<typeof glow.readSampleTable>>;
  let covs: Awaited<ReturnType<typeof glow.readSampleTable>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "glowts-streamed-"));
    await glow.simulate.cohort({ samples: 400, variants: 1500, chromosomes: 3, quantitativeTraits: 2, causal: 30, out: dir, formats: ["plink"], seed: 11 });
    frame = glow.read("plink", path.join(dir, "cohort.bed"))
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
      .filter(glow.col("start").gt(1000));
    ids = await glow.wgr.getSampleIds(frame);
    labels = await glow.readSampleTable(path.join(dir, "cohort.phenotypes.txt"));
    covs = await glow.readSampleTable(path.join(dir, "cohort.covariates.txt"));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await glow.shutdown();
  });

  it("equals the materialized blocking, model and reduced matrix exactly (frame read twice, 2 fit workers)", async () => {
    const m = await glow.wgr.blockVariantsAndSamples(frame, ids, 100, 4);
    const s = await glow.wgr.blockVariantsAndSamples(frame, ids, 100, 4, { materialize: false });
    expect(s.blockDf.headerBlockIds().length).toBeGreaterThan(10);
    expectSameBlockMatrix(await s.blockDf.materialize(), m.blockDf);
    const rm = new glow.wgr.RidgeReduction(m.blockDf, labels, m.sampleBlocks, covs, { ...silent, workers: 2 });
    const rs = new glow.wgr.RidgeReduction(s.blockDf, labels, s.sampleBlocks, covs, { ...silent, workers: 2 });
    expect(rs.getAlphas()).toEqual(rm.getAlphas());
    await rm.fitTransform();
    await rs.fitTransform();
    expectSameModel(rs.modelDf!, rm.modelDf!);
    expectSameBlockMatrix(rs.reducedBlockDf!, rm.reducedBlockDf!);
  });

  it("handles variants out of order within contigs (header blocks complete out of order)", async () => {
    const all = await frame.collectBatch();
    // a deterministic shuffle of the rows, cut into 7 batches
    const order = Array.from({ length: all.numRows }, (_, i) => i).sort((a, b) => ((a * 7919) % 1013) - ((b * 7919) % 1013) || a - b);
    const shuffled = takeBatch(all, Int32Array.from(order));
    const cuts = [0, 100, 250, 400, 700, 900, 1100, shuffled.numRows];
    const batches = cuts.slice(1).map((e, k) => takeBatch(shuffled, Int32Array.from({ length: e - cuts[k]! }, (_, i) => cuts[k]! + i)));
    expect(concatBatches(batches).numRows).toBe(all.numRows);
    const m = await glow.wgr.blockVariantsAndSamples(batchSource(batches), ids, 100, 4);
    const s = await glow.wgr.blockVariantsAndSamples(batchSource(batches), ids, 100, 4, { materialize: false });
    expectSameBlockMatrix(await s.blockDf.materialize(), m.blockDf);
    const rm = new glow.wgr.RidgeReduction(m.blockDf, labels, m.sampleBlocks, covs, { ...silent, workers: 0 });
    const rs = new glow.wgr.RidgeReduction(s.blockDf, labels, s.sampleBlocks, covs, { ...silent, workers: 0 });
    await rm.fitTransform();
    await rs.fitTransform();
    expectSameBlockMatrix(rs.reducedBlockDf!, rm.reducedBlockDf!);
  });

  it("gives Glow's blocking errors (value count against the sample list)", async () => {
    await expect(glow.wgr.blockVariantsAndSamples(frame, ids.slice(1), 100, 4, { materialize: false }))
      .rejects.toThrow(/Number of values does not match/);
  });
});
