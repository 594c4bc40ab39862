// The blocked matrix survives a Parquet round trip (as Glow's tutorial persists block_df) and the
// sample blocks a JSON round trip; a fit on the re-read matrix equals the fit on the original.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

afterAll(async () => { await glow.shutdown(); });

describe("blockDf / sampleBlocks persistence", () => {
  it("round-trips through Parquet and JSON, and the LOCO fit is unchanged", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "glowts-wgr-persist-"));
    const c = await glow.simulate.cohort({ samples: 120, variants: 300, chromosomes: 2, out: dir, formats: ["plink"], seed: 12 });
    const frame = glow.read("plink", c.files.bed!)
      .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")))
      .filter(glow.functions.arraySize(glow.functions.arrayDistinct("values")).gt(1));
    const ids = await glow.wgr.getSampleIds(frame);
    const { blockDf, sampleBlocks } = await glow.wgr.blockVariantsAndSamples(frame, ids, 50, 4);
    await glow.wgr.writeBlockMatrixParquet(blockDf, path.join(dir, "block.parquet"));
    glow.wgr.writeSampleBlocksJson(sampleBlocks, path.join(dir, "blocks.json"));
    const back = await glow.wgr.readBlockMatrixParquet(path.join(dir, "block.parquet"));
    const blocksBack = glow.wgr.readSampleBlocksJson(path.join(dir, "blocks.json"));
    expect(blocksBack).toEqual(sampleBlocks);
    // every column (header, size, values, header/sample block, sort key, mu, sig, alpha, label), row by row
    expect(back.toBatch()).toEqualBatch(blockDf.toBatch());
    for (let i = 0; i < blockDf.numRows; i++) expect(Array.from(back.values[i]!)).toEqual(Array.from(blockDf.values[i]!));
    const labels = await glow.readSampleTable(c.files.phenotypes!);
    const a = await glow.wgr.estimateLocoOffsetsToTable(blockDf, labels, sampleBlocks, null, { log: false });
    const b = await glow.wgr.estimateLocoOffsetsToTable(back, labels, blocksBack, null, { log: false });
    expect(b.toRows()).toEqual(a.toRows());
  });
});
