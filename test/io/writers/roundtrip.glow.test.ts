// read → write → read equals the input on Glow's schema, for each output format, on Glow's test
// files (VCF, BGEN at 8/16/32 bits, phased and multi-allelic) and on a simulated PLINK cohort.
// Oracle: the input frame as the readers (themselves checked against Glow's fixtures) decode it.
// Tolerance: exact (BGEN written at the source's bit depth reproduces every probability exactly).
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as glow from "../../../dist/index.js";

const data = path.resolve(process.cwd(), "../shared/data/glow");
const has = existsSync(data);
let dir = "";
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "glowts-write-")); glow.config({ variantsPerPartition: 7 }); });
afterAll(async () => { rmSync(dir, { recursive: true, force: true }); glow.config({ variantsPerPartition: undefined }); await glow.shutdown(); });

async function rows(f: glow.VariantFrame): Promise<Record<string, unknown>[]> {
  return (await f.collect()) as Record<string, unknown>[];
}

describe.skipIf(!has)("round trips on Glow's test data", () => {
  if (!has) console.warn(`skipping: ${data} is absent`);

  for (const bits of [8, 16, 32] as const) {
    it(`bgen ${bits} bits: read → write(bgen, ${bits} bits) → read is equal`, async () => {
      const src = glow.read("bgen", path.join(data, `bgen/example.${bits}bits.bgen`));
      const out = path.join(dir, `ex${bits}.bgen`);
      const n = await src.write("bgen", out, { bitsPerProbability: bits, bgenIndex: true });
      expect(n).toBe(199);
      const a = await rows(src);
      const b = await rows(glow.read("bgen", out));
      expect(b.length).toBe(a.length);
      expect(b).toEqual(a);
      // the .bgi index is used and gives the same partitions' rows
      expect(existsSync(`${out}.bgi`)).toBe(true);
      expect(await rows(glow.read("bgen", out, { useBgenIndex: true }))).toEqual(a);
    });
  }

  it("bgen phased and multi-allelic (complex.16bits), zstd: equal", async () => {
    for (const f of ["phased.16bits.bgen", "complex.16bits.bgen"]) {
      const src = glow.read("bgen", path.join(data, "bgen", f));
      const out = path.join(dir, `z-${f}`);
      await src.write("bgen", out, { compression: "zstd" });
      expect(await rows(glow.read("bgen", out))).toEqual(await rows(src));
    }
  });

  it("vcf: read → write(bigvcf, bgzf) → read and the sharded writer are equal (CEUTrio, 1kg_sample)", async () => {
    for (const f of ["CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf", "1kg_sample.vcf"]) {
      const src = glow.read("vcf", path.join(data, f));
      const a = await rows(src);
      const big = path.join(dir, `${f}.bgz`);
      expect(await src.write("bigvcf", big)).toBe(a.length);
      expect(await rows(glow.read("vcf", big))).toEqual(a);
      const plain = path.join(dir, `${f}.plain.vcf`);
      await src.write("bigvcf", plain);
      expect(await rows(glow.read("vcf", plain))).toEqual(a);
      const shards = path.join(dir, `${f}.shards`);
      await src.write("vcf", shards, { compression: "bgzf" });
      const files = readdirSync(shards).filter((x) => x.endsWith(".vcf.bgz"));
      expect(files.length).toBe(await src.numPartitions());
      expect(await rows(glow.read("vcf", shards))).toEqual(a);
    }
  });

  it("parquet: vcf and bgen frames (genotypes included) read back with the same schema and rows, one partition per row group", async () => {
    for (const [fmt, f] of [["vcf", "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf"], ["bgen", "bgen/example.16bits.bgen"]] as const) {
      const src = glow.read(fmt, path.join(data, f));
      const out = path.join(dir, `${path.basename(f)}.parquet`);
      await src.write("parquet", out);
      const back = glow.read("parquet", out);
      expect(await back.numPartitions()).toBe(await src.numPartitions());
      expect(await back.schema()).toEqual(await src.schema());
      expect(await back.sampleIds()).toEqual(await src.sampleIds());
      expect(await rows(back)).toEqual(await rows(src));
    }
  });
});

describe("round trips on a simulated PLINK cohort", () => {
  it("plink → write(plink) → read is equal, and so are bgen/vcf/parquet written from it", async () => {
    const d = path.join(dir, "sim");
    const c = await glow.simulate.cohort({ samples: 37, variants: 60, seed: 5, out: d, formats: ["plink"], missingness: 0.05 });
    const src = glow.read("plink", c.files.bed!);
    const a = await rows(src);
    await src.write("plink", path.join(d, "copy"));
    expect(await rows(glow.read("plink", path.join(d, "copy.bed")))).toEqual(a);
    // through calls (not the packed bytes): a filter on a decoded field forces decoding
    const decoded = src.withColumn("n", glow.functions.arraySize("genotypes"));
    await decoded.drop("n").write("plink", path.join(d, "decoded"));
    expect(await rows(glow.read("plink", path.join(d, "decoded.bed")))).toEqual(a);
    const strip = (r: Record<string, unknown>[]): unknown => r.map(({ contigName, start, end, referenceAllele, alternateAlleles, genotypes }) => ({
      contigName, start, end, referenceAllele, alternateAlleles,
      calls: (genotypes as { sampleId: string; calls: number[] }[]).map((g) => [g.sampleId, g.calls.map((x) => (x < 0 ? -1 : x))]),
    }));
    await src.write("bgen", path.join(d, "c.bgen"));
    expect(strip(await rows(glow.read("bgen", path.join(d, "c.bgen"))))).toEqual(strip(a));
    await src.write("bigvcf", path.join(d, "c.vcf"));
    expect(strip(await rows(glow.read("vcf", path.join(d, "c.vcf"))))).toEqual(strip(a));
    await src.write("parquet", path.join(d, "c.parquet"));
    expect(await rows(glow.read("parquet", path.join(d, "c.parquet")))).toEqual(a);
  });

  it("a failing write leaves nothing behind", async () => {
    const d = path.join(dir, "fail");
    const c = await glow.simulate.cohort({ samples: 10, variants: 30, seed: 2, out: d, formats: ["plink"] });
    const before = readdirSync(d).sort();
    // frames whose partitions fail in the worker encoders
    const bad = glow.read("plink", c.files.bed!).filter(glow.col("start").gt(-1));
    await expect(bad.select("contigName", "genotypes").write("bgen", path.join(d, "x.bgen"))).rejects.toThrow(/referenceAllele|start/);
    await expect(bad.write("tsv", path.join(d, "x.tsv"))).rejects.toThrow(/genotypes/);
    expect(readdirSync(d).sort()).toEqual(before);
  });
});
