// Glow's QC, struct and summary functions against the examples in Glow's function reference
// (python/glow/functions.py doctests, which Glow's CI runs): the same inputs, written as VCF, give
// the documented outputs. Tolerance: exact (the documented values are short decimals), 1e-12 for
// computed doubles.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../dist/index.js";

const f = glow.functions;
afterAll(async () => { await glow.shutdown(); });

const dir = mkdtempSync(path.join(tmpdir(), "glowts-etlfn-"));
function vcf(name: string, samples: string[], format: string, rows: string[], info = ""): string {
  const p = path.join(dir, name);
  writeFileSync(p, [
    "##fileformat=VCFv4.2", "##contig=<ID=1>",
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="">', '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="">',
    '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="">', '##FORMAT=<ID=GP,Number=G,Type=Float,Description="">',
    '##INFO=<ID=ARR,Number=.,Type=Float,Description="">', info,
    ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", ...samples].join("\t"),
    ...rows.map((r) => r.replace(/ +/g, "\t")), "",
  ].filter((l) => l !== "").join("\n") + "\n");
  return p;
}

describe("Glow's documented examples", () => {
  it("sample_call_summary_stats", async () => {
    const p = vcf("scs.vcf", ["NA12878"], "GT", ["1 1 . C G . . . GT 0/0", "1 2 . A G . . . GT 1/1", "1 3 . AG A . . . GT 1/0"]);
    const t = await f.sampleCallSummaryStats(glow.read("vcf", p));
    expect(t.index).toEqual(["NA12878"]);
    const row = Object.fromEntries(t.columns.map((c: string) => [c, t.column(c).values[0]]));
    expect(row).toEqual({ callRate: 1, nCalled: 3, nUncalled: 0, nHomRef: 1, nHet: 1, nHomVar: 1, nSnp: 2, nInsertion: 0, nDeletion: 1,
      nTransition: 2, nTransversion: 0, nSpanningDeletion: 0, rTiTv: Infinity, rInsertionDeletion: 0, rHetHomVar: 1 });
  });

  it("sample_dp_summary_stats, sample_gq_summary_stats, dp_summary_stats, gq_summary_stats", async () => {
    const p = vcf("dp.vcf", ["NA12878"], "GT:DP:GQ", ["1 1 . C G . . . GT:DP:GQ 0/0:1:1", "1 2 . A G . . . GT:DP:GQ 0/0:2:2", "1 3 . A G . . . GT:DP:GQ 0/0:3:3"]);
    const frame = glow.read("vcf", p);
    for (const t of [await f.sampleDpSummaryStats(frame), await f.sampleGqSummaryStats(frame)]) {
      expect(t.index).toEqual(["NA12878"]);
      expect(Object.fromEntries(t.columns.map((c: string) => [c, t.column(c).values[0]]))).toEqual({ mean: 2, stdDev: 1, min: 1, max: 3 });
    }
    // one row, three samples: depth 1, 2, 3
    const q = vcf("dp3.vcf", ["a", "b", "c"], "GT:DP:GQ", ["1 1 . C G . . . GT:DP:GQ 0/0:1:1 0/0:2:2 0/0:3:3"]);
    const rows = await glow.read("vcf", q).select(f.dpSummaryStats().alias("dp"), f.gqSummaryStats().alias("gq")).collect();
    expect(rows[0]).toEqual({ dp: { mean: 2, stdDev: 1, min: 1, max: 3 }, gq: { mean: 2, stdDev: 1, min: 1, max: 3 } });
  });

  it("call_summary_stats and hardy_weinberg", async () => {
    const p = vcf("cs.vcf", ["a", "b", "c"], "GT", ["1 1 . C G . . . GT 0/0 1/0 1/1"]);
    const [r] = await glow.read("vcf", p).select(f.expandStruct(f.callSummaryStats("genotypes")), f.hardyWeinberg("genotypes").alias("hwe")).collect();
    expect(r).toEqual({ callRate: 1, nCalled: 3, nUncalled: 0, nHet: 1, nHomozygous: [1, 1], nNonRef: 2, nAllelesCalled: 6, alleleCounts: [3, 3], alleleFrequencies: [0.5, 0.5],
      hwe: { hetFreqHwe: expect.closeTo(0.6, 12), pValueHwe: expect.closeTo(0.7, 12) } });
  });

  it("genotype_states (sum of calls, -1 when any call is missing)", async () => {
    const p = vcf("gs.vcf", ["a", "b", "c", "d"], "GT", ["1 1 . C G . . . GT 1/1 1/0 0/0 ./."]);
    const [r] = await glow.read("vcf", p).select(f.genotypeStates("genotypes").alias("states")).collect();
    expect(r!["states"]).toEqual([2, 1, 0, -1]);
    // Glow's definition is the sum of the calls, also at a multiallelic site: 1/2 → 3, 0/2 → 2
    const m = vcf("gs-multi.vcf", ["a", "b", "c", "d"], "GT", ["1 1 . C G,T . . . GT 1/2 0/2 2/2 ./1"]);
    const [mr] = await glow.read("vcf", m).select(f.genotypeStates("genotypes").alias("states")).collect();
    expect(mr!["states"]).toEqual([3, 2, 4, -1]);
  });

  it("array_summary_stats, array_quantile, subset_struct, add_struct_fields", async () => {
    const p = vcf("arr.vcf", ["a"], "GT", ["1 1 . C G . . ARR=1,2,3 GT 0/0", "1 2 . C G . . ARR=1,2,3,4,5 GT 0/0", "1 3 . C G . . ARR=5,1,4,2,3 GT 0/0"]);
    const rows = await glow.read("vcf", p)
      .withColumn("s", f.arraySummaryStats("INFO_ARR"))
      .select(glow.col("s"), f.arrayQuantile("INFO_ARR", 0.7).alias("q"), f.subsetStruct("s", "mean", "max").alias("sub"), f.addStructFields("s", "b", 2).alias("added"))
      .collect();
    expect(rows[0]!["s"]).toEqual({ mean: 2, stdDev: 1, min: 1, max: 3 });
    expect(rows[1]!["q"]).toBeCloseTo(3.8, 12); // Glow: [1..5] at 0.7 gives 3.8
    expect(rows[2]!["q"]).toBeCloseTo(3.8, 12); // unsorted input
    expect(rows[0]!["sub"]).toEqual({ mean: 2, max: 3 });
    expect(rows[0]!["added"]).toEqual({ mean: 2, stdDev: 1, min: 1, max: 3, b: 2 });
    const sorted = await glow.read("vcf", p).select(f.arrayQuantile("INFO_ARR", 0.5, true).alias("m")).collect();
    expect(sorted[1]!["m"]).toBe(3);
  });

  it("hard_calls(probabilities, numAlts, phased, threshold)", async () => {
    const p = vcf("hc.vcf", ["a", "b"], "GT:GP", ["1 1 . C G . . . GT:GP 0/0:0.95,0.05,0 0/1:0.05,0.95,0"]);
    const g = glow.read("vcf", p).explode("genotypes", "g");
    const got = await g.select(
      f.hardCalls("g.posteriorProbabilities", 1, false).alias("calls"),
      f.hardCalls("g.posteriorProbabilities", glow.lit(1), glow.lit(false), 0.99).alias("strict"),
    ).collect();
    expect(got.map((r) => r["calls"])).toEqual([[0, 0], [1, 0]]);
    expect(got[1]!["strict"]).toEqual([-1, -1]);
  });
});
