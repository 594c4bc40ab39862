/**
 * Blocking (reference §2.1) on small inputs whose expected layout is given by the reference:
 * HALF_UP sample slicing (2504 / 10 and 3 / 2 examples), header strings, header-block numbering
 * per contig in (start, ref, alts) order, monomorphic filtering, sample-sd mu/sig, and Glow's errors.
 */
import { describe, expect, it } from "vitest";
import * as wgr from "../../dist/wgr/index.js";
import { col, type VariantBatch } from "../../dist/core/column.js";

const v = (contigName: string, start: number, ref: string, alts: string[], values: number[]): wgr.BlockVariantInput =>
  ({ contigName, start, referenceAllele: ref, alternateAlleles: alts, values: Float64Array.from(values) });

describe("sample blocks (HALF_UP)", () => {
  it("2504 samples in 10 blocks: 250,251,250,251,250,250,251,250,251,250 (reference §2.1)", () => {
    const r = wgr.sampleBlockRanges(2504, 10);
    expect(r.map(([a, b]) => b - a)).toEqual([250, 251, 250, 251, 250, 250, 251, 250, 251, 250]);
    expect(r[0]![0]).toBe(0);
    expect(r[9]![1]).toBe(2504);
  });

  it("3 samples in 2 blocks: {1: [s1, s2], 2: [s3]} (reference §2.1)", () => {
    expect(wgr.makeSampleBlocks(["s1", "s2", "s3"], 2)).toEqual({ "1": ["s1", "s2"], "2": ["s3"] });
  });
});

describe("blockVariantRows", () => {
  const ids = ["a", "b", "c", "d", "e"];

  it("builds Glow's rows: header, size, header_block per contig, sort_key, mu, sd(n-1)", () => {
    const { blockDf, sampleBlocks } = wgr.blockVariantRows(
      [
        v("2", 300, "A", ["G"], [0, 1, 2, 1, 0]),
        v("1", 200, "C", ["T", "G"], [1, 1, 0, 2, 2]),
        v("1", 100, "A", ["C"], [0, 0, 1, 0, 2]),
        v("1", 100, "A", ["AT"], [2, 2, 2, 2, 2]), // monomorphic: dropped
        v("1", 150, "G", ["A"], [0, 1, 0, 1, 0]),
      ],
      ids, 2, 2,
    );
    expect(sampleBlocks).toEqual({ "1": ["a", "b", "c"], "2": ["d", "e"] });
    const rows = blockDf.toRows().filter((r) => r.sample_block === "1");
    const byHeader = new Map(rows.map((r) => [r.header, r]));
    expect([...byHeader.keys()].sort()).toEqual(["1:100:A:C", "1:150:G:A", "1:200:C:T:G", "2:300:A:G"]);
    // two variants per block, numbered per contig in start order
    expect(byHeader.get("1:100:A:C")!.header_block).toBe("chr_1_block_0");
    expect(byHeader.get("1:150:G:A")!.header_block).toBe("chr_1_block_0");
    expect(byHeader.get("1:200:C:T:G")!.header_block).toBe("chr_1_block_1");
    expect(byHeader.get("2:300:A:G")!.header_block).toBe("chr_2_block_0");
    const r = byHeader.get("1:100:A:C")!;
    expect(r.sort_key).toBe(100);
    expect(r.size).toBe(3);
    expect(Array.from(r.values)).toEqual([0, 0, 1]);
    // mu and sig over all samples, sample sd (ddof 1)
    const x = [0, 0, 1, 0, 2];
    const mean = x.reduce((s, y) => s + y, 0) / 5;
    const sd = Math.sqrt(x.reduce((s, y) => s + (y - mean) ** 2, 0) / 4);
    expect(r.mu).toBeCloseTo(mean, 15);
    expect(r.sig).toBeCloseTo(sd, 15);
    const second = blockDf.toRows().find((q) => q.header === "1:100:A:C" && q.sample_block === "2")!;
    expect(Array.from(second.values)).toEqual([0, 2]);
    expect(second.mu).toBe(r.mu);
  });

  it("rejects a value count that differs from the sample list (Glow's message)", () => {
    expect(() => wgr.blockVariantRows([v("1", 1, "A", ["C"], [0, 1, 2])], ids, 10, 2))
      .toThrow("Number of values does not match between DataFrame (3) and sample ID list (5).");
  });

  it("rejects rows with inconsistent value counts (Glow's message)", () => {
    expect(() => wgr.blockVariantRows([v("1", 1, "A", ["C"], [0, 1, 2, 0, 1]), v("1", 2, "A", ["C"], [0, 1])], ids, 10, 2))
      .toThrow("At least one row has an inconsistent number of values (expected 5)");
  });

  it("rejects empty input, empty and duplicated sample ids", () => {
    expect(() => wgr.blockVariantRows([], ids, 10, 2)).toThrow("DataFrame has no values.");
    expect(() => wgr.blockVariantRows([v("1", 1, "A", ["C"], [0, 1])], ["a", ""], 10, 2)).toThrow("Cannot have empty sample IDs.");
    expect(() => wgr.blockVariantRows([v("1", 1, "A", ["C"], [0, 1])], ["a", "a"], 10, 2)).toThrow("Cannot have duplicated sample IDs.");
  });

  it("blockVariantsAndSamples reads the frame's batches (dense values column)", async () => {
    const batch: VariantBatch = {
      numRows: 2,
      columns: {
        contigName: col.strings(["22", "22"]),
        start: col.longs(Float64Array.from([16050114, 16050000])),
        referenceAllele: col.strings(["G", "C"]),
        alternateAlleles: col.stringLists([["A"], ["T"]]),
        values: col.denseDoubles(Float64Array.from([0, 1, 2, 1, 0, 1, 0, 1, 0, 1]), 5),
      },
    };
    const frame = { async *partitions() { yield batch; } };
    const { blockDf } = await wgr.blockVariantsAndSamples(frame, ids, 1, 1);
    expect(blockDf.header).toEqual(["22:16050000:C:T", "22:16050114:G:A"]);
    expect(blockDf.headerBlock).toEqual(["chr_22_block_0", "chr_22_block_1"]);
    expect(blockDf.toBatch().numRows).toBe(2);
  });
});
