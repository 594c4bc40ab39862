/**
 * The VCF reader on Glow's test files. Oracles: Glow's VCFDatasourceSuite expectations (CEU trio
 * row 20:9999996, NaN/Inf files, VCFv4.3 count, misnumbered INFO, test.chr17 platformnames, INFO_DP
 * mean), the reference doc's description of gwas/genotypes.vcf.gz (13 variants, 5 on chr21 and 8
 * on chr22, 2504 samples, GT only), and the files' own text (record counts = non-# lines).
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { vcfReader } from "../../../dist/io/vcf/reader.js";
import { getValue, type GenotypesColumn, type ListColumn, type VariantBatch } from "../../../dist/core/column.js";
import { GlowtsError } from "../../../dist/core/errors.js";
import * as glow from "../../../dist/index.js";

const DATA = path.resolve(process.cwd(), "../shared/data");
const HAS_DATA = existsSync(DATA);
if (!HAS_DATA) console.warn(`VCF data-file tests skipped: reference data folder ${DATA} is absent`);
const G = path.join(DATA, "glow");

const tmp = mkdtempSync(path.join(tmpdir(), "glowts-vcf-"));
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await glow.shutdown();
});

type Row = Record<string, unknown>;
function rowsOf(b: VariantBatch): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < b.numRows; i++) {
    const r: Row = {};
    for (const [k, c] of Object.entries(b.columns)) r[k] = getValue(c, i);
    out.push(r);
  }
  return out;
}

async function read(paths: string | string[], options: Record<string, unknown> = {}) {
  const o = vcfReader.normalizeOptions(options);
  const plan = await vcfReader.plan(Array.isArray(paths) ? paths : [paths], o, {});
  const batches: VariantBatch[] = [];
  for (const p of plan.partitions) batches.push(await vcfReader.readPartition(p, plan.meta, o));
  return { plan, batches, rows: batches.flatMap(rowsOf) };
}

/** Number of data lines of a (possibly gzipped) text file. */
function dataLines(file: string): number {
  let buf = readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.toString("utf8").split("\n").filter((l) => l.length > 0 && !l.startsWith("#")).length;
}

describe.skipIf(!HAS_DATA)("VCF reader on Glow's vcf/ edge-case files", () => {
  it("1row.vcf.bgz, 1row_bgz.vcf.gz (BGZF) and 1row_not_bgz.vcf.gz (gzip) read the same row", async () => {
    const a = await read(path.join(G, "vcf/1row.vcf.bgz"));
    const b = await read(path.join(G, "vcf/1row_bgz.vcf.gz"));
    const c = await read(path.join(G, "vcf/1row_not_bgz.vcf.gz"));
    expect(a.rows.length).toBe(1);
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
    expect(c.plan.partitions.length).toBe(1);
    expect(a.rows[0]!["contigName"]).toBe("1");
    expect(a.rows[0]!["start"]).toBe(0);
    expect(a.rows[0]!["names"]).toEqual(["a"]);
  });

  it("gzip splits: a non-blocked gzip is one partition even with tiny bytesPerPartition (Glow: 1 row)", async () => {
    const o = vcfReader.normalizeOptions({});
    const plan = await vcfReader.plan([path.join(G, "vcf/1row_not_bgz.vcf.gz")], o, { bytesPerPartition: 10 });
    expect(plan.partitions.length).toBe(1);
  });

  it("read VCFv4.3: 5 rows", async () => {
    const { rows } = await read(path.join(G, "vcf/VCFv4.3.vcf"));
    expect(rows.length).toBe(5);
    expect(rows.map((r) => r["start"])).toEqual([14369, 17329, 1110695, 1230236, 1234566]);
    expect(rows[4]!["end"]).toBe(1234569);
  });

  it("misnumbered fields: 1 row; CUSTOM (Number=1) given '1,2' is null with silent stringency, an error with strict", async () => {
    const f = path.join(G, "vcf/misnumbered_info.vcf");
    const { rows, plan } = await read(f);
    expect(rows.length).toBe(1);
    expect(rows[0]!["INFO_CUSTOM"]).toBeNull();
    expect(plan.schema.some((x) => x.name === "INFO_END")).toBe(false);
    await expect(read(f, { validationStringency: "strict" })).rejects.toThrow(GlowtsError);
  });

  it("contig lines missing length: reading two copies merges the headers", async () => {
    const f = path.join(G, "vcf/missing_contig_length.vcf");
    const { rows } = await read([f, f]);
    expect(rows.length).toBe(2);
    expect(rows[0]).toEqual(rows[1]);
  });

  it("Tolerate inf (QUAL): 4 × -Infinity, 8 × +Infinity", async () => {
    const { rows } = await read(path.join(G, "vcf/test_withInfQual.vcf"));
    const q = rows.map((r) => r["qual"] as number).sort((x, y) => x - y);
    expect(q).toEqual([...Array(4).fill(-Infinity), ...Array(8).fill(Infinity)]);
  });

  it("Tolerate lower-case nan's (QUAL): every qual is NaN", async () => {
    const { rows } = await read(path.join(G, "vcf/test_withNanQual.vcf"));
    expect(rows.length).toBe(10);
    for (const r of rows) expect(Number.isNaN(r["qual"])).toBe(true);
  });

  it("Tolerate genotype inf / nan with strict stringency (GP)", async () => {
    const inf = await read(path.join(G, "vcf/test_withInfGenotype.vcf"), { validationStringency: "strict", flattenInfoFields: false });
    const gp = inf.rows.map((r) => (r["genotypes"] as Row[])[0]!["posteriorProbabilities"] as number).sort((x, y) => x - y);
    expect(gp).toEqual([-Infinity, -Infinity, Infinity, Infinity, Infinity, Infinity]);
    const nan = await read(path.join(G, "vcf/test_withNanGenotype.vcf"), { validationStringency: "strict", flattenInfoFields: false });
    expect(nan.rows.length).toBe(3);
    for (const r of nan.rows) expect(Number.isNaN((r["genotypes"] as Row[])[0]!["posteriorProbabilities"])).toBe(true);
  });

  it("VEP/SnpEff annotations (CSQ, ANN) are read as string arrays for now", async () => {
    const { rows, plan } = await read(path.join(G, "vcf/loftee.vcf"));
    expect(plan.schema.find((f) => f.name === "INFO_CSQ")!.type).toEqual({ list: "string" });
    const csq = rows.flatMap((r) => (r["INFO_CSQ"] as string[] | null) ?? []);
    expect(csq.length).toBe(23); // Glow: explode(INFO_CSQ) has 23 rows
    expect(csq[0]!.startsWith("T|missense_variant&splice_region_variant|MODERATE|CHEK2|")).toBe(true);
    const ann = await read(path.join(G, "vcf/snpeff.vcf"));
    expect(ann.rows.flatMap((r) => (r["INFO_ANN"] as string[] | null) ?? []).length).toBe(5); // Glow: 5
  });
});

describe.skipIf(!HAS_DATA)("VCF reader on the CEU trio and 1000 Genomes files", () => {
  const ceu = path.join(G, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf");

  it("check parsed row with flattened INFO fields (Glow's expected row for 20:9999996 A→ACT)", async () => {
    const { rows, batches } = await read(ceu);
    expect(rows.length).toBe(dataLines(ceu));
    const first = rows.slice().sort((a, b) => String(a["contigName"]).localeCompare(String(b["contigName"])) || (a["start"] as number) - (b["start"] as number))[0]!;
    expect(first).toEqual({
      contigName: "20", start: 9999995, end: 9999996, names: null, referenceAllele: "A", alternateAlleles: ["ACT"],
      qual: 3775.73, filters: null, splitFromMultiAllelic: false,
      INFO_AC: [2], INFO_AF: [1.0], INFO_AN: 2, INFO_BaseQRankSum: null, INFO_DP: 84, INFO_DS: false, INFO_ExcessHet: 3.0103,
      INFO_FS: 0.0, INFO_InbreedingCoeff: null, INFO_MLEAC: [2], INFO_MLEAF: [1.0], INFO_MQ: 60.44, INFO_MQRankSum: null,
      INFO_QD: 25.36, INFO_ReadPosRankSum: null, INFO_SOR: 1.075,
      genotypes: [{ sampleId: "NA12878", alleleDepths: [0, 84], depth: 84, conditionalQuality: 99, phased: false, calls: [1, 1], phredLikelihoods: [3813, 256, 0] }],
    });
    // Schema metadata follows the header line.
    const gt = (batches[0]!.columns["genotypes"] as GenotypesColumn);
    expect(Object.keys(gt.fields)).toEqual(["alleleDepths", "depth", "conditionalQuality", "phased", "calls", "phredLikelihoods"]);
  });

  it("schema: types and vcf_header_count / vcf_header_description metadata", async () => {
    const { plan } = await read(ceu);
    const f = (n: string) => plan.schema.find((x) => x.name === n)!;
    expect(f("INFO_AC")).toEqual({ name: "INFO_AC", type: { list: "int" }, metadata: { vcf_header_count: "A", vcf_header_description: "Allele count in genotypes, for each ALT allele, in the same order as listed" } });
    expect(f("INFO_DS").type).toBe("boolean");
    expect(f("INFO_DS").metadata!["vcf_header_count"]).toBe("0");
    expect(f("qual").type).toBe("double");
    const g = f("genotypes").type as { genotypes: { name: string; type: unknown; metadata?: Record<string, string> }[] };
    expect(g.genotypes.map((x) => x.name)).toEqual(["sampleId", "alleleDepths", "depth", "conditionalQuality", "phased", "calls", "phredLikelihoods"]);
    expect(g.genotypes.find((x) => x.name === "phredLikelihoods")!.metadata!["vcf_header_count"]).toBe("G");
  });

  it("with sample ids: every row's genotypes[0].sampleId is NA12878; none is null", async () => {
    const { rows, plan } = await read(ceu);
    expect(plan.sampleIds).toEqual(["NA12878"]);
    expect(rows.every((r) => (r["genotypes"] as Row[])[0]!["sampleId"] === "NA12878")).toBe(true);
  });

  it("prune a flattened INFO field: mean INFO_DP = 75.50232558139535 (Glow, relTol 0.2; here 1e-12)", async () => {
    const { rows } = await read(ceu);
    const dp = rows.map((r) => r["INFO_DP"] as number | null).filter((x): x is number => x !== null);
    const mean = dp.reduce((s, x) => s + x, 0) / dp.length;
    expect(Math.abs(mean - 75.50232558139535) / 75.50232558139535).toBeLessThan(1e-12);
  });

  it("multiple genotype fields: 1000genomes-phase3-1row.vcf has 2504 genotypes", async () => {
    const { rows } = await read(path.join(G, "1000genomes-phase3-1row.vcf"));
    expect(rows.length).toBe(1);
    expect((rows[0]!["genotypes"] as Row[]).length).toBe(2504);
  });

  it("parse string INFO fields: test.chr17.vcf INFO_platformnames of the first row", async () => {
    const { rows } = await read(path.join(G, "test.chr17.vcf"));
    expect(rows[0]!["INFO_platformnames"]).toEqual(["Illumina", "CG", "10X", "Solid"]);
  });

  it("read file with space in title", async () => {
    const { rows } = await read(path.join(G, "1kg_sample with spaces.vcf"));
    expect(rows.length).toBe(dataLines(path.join(G, "1kg_sample with spaces.vcf")));
  });

  it("Do not break when reading an index file: empty result", async () => {
    const { rows } = await read(path.join(G, "tabix-test-vcf/NA12878_21_10002403.vcf.gz.tbi"));
    expect(rows).toEqual([]);
  });

  it("files with different samples are rejected (glowts requires one sample list)", async () => {
    await expect(read([ceu, path.join(G, "1000genomes-phase3-1row.vcf")])).rejects.toMatchObject({ code: "VCF_SAMPLES" });
  });
});

describe.skipIf(!HAS_DATA)("gwas/genotypes.vcf.gz (13 variants × 2504 samples)", () => {
  it("reads 13 biallelic variants, 5 on chr21 and 8 on chr22, with dense diploid calls", async () => {
    const f = path.join(G, "gwas/genotypes.vcf.gz");
    const { rows, batches, plan } = await read(f);
    expect(rows.length).toBe(13);
    expect(rows.filter((r) => r["contigName"] === "21").length).toBe(5);
    expect(rows.filter((r) => r["contigName"] === "22").length).toBe(8);
    expect(plan.sampleIds!.length).toBe(2504);
    expect(plan.sampleIds![0]).toBe("HG00096");
    for (const r of rows) {
      expect((r["alternateAlleles"] as string[]).length).toBe(1);
      const g = r["genotypes"] as Row[];
      expect(g.length).toBe(2504);
      expect(Object.keys(g[0]!)).toEqual(["sampleId", "phased", "calls"]);
    }
    const calls = (batches[0]!.columns["genotypes"] as GenotypesColumn).fields["calls"] as ListColumn;
    expect(calls.width).toBe(2);
    expect(calls.offsets).toBeUndefined();
    // Cross-check the calls against the text of the file.
    const text = gunzipSync(readFileSync(f)).toString("utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    rows.forEach((r, i) => {
      const cols = text[i]!.split("\t");
      const g = r["genotypes"] as { calls: number[]; phased: boolean }[];
      for (const s of [0, 1, 1000, 2503]) {
        expect(g[s]!.calls.join(g[s]!.phased ? "|" : "/")).toBe(cols[9 + s]);
      }
    });
  });
});

describe.skipIf(!HAS_DATA)("glow.read('vcf', ...) end to end", () => {
  it("collect on the worker pool equals the direct reader; count matches the file", async () => {
    const f = path.join(G, "tabix-test-vcf/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const df = glow.read("vcf", f);
    const rows = await df.collect({ workers: 2 });
    const direct = await read(f);
    expect(rows.length).toBe(direct.rows.length);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(JSON.parse(JSON.stringify(direct.rows)));
    expect(await glow.read("vcf", path.join(G, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf")).count()).toBe(dataLines(path.join(G, "CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf")));
  });

  it("a region filter uses the tabix index and returns the filtered rows", async () => {
    const f = path.join(G, "tabix-test-vcf/CEUTrio.HiSeq.WGS.b37.NA12878.20.21.vcf.gz");
    const df = glow.read("vcf", f).filter(glow.col("contigName").eq("20").and(glow.col("start").gt(10004193)).and(glow.col("start").lt(10050000)));
    const explained = await df.explain(false);
    expect(explained).toMatch(/tabix/);
    const got = await df.collect({ workers: 1 });
    const all = (await read(f)).rows.filter((r) => r["contigName"] === "20" && (r["start"] as number) > 10004193 && (r["start"] as number) < 10050000);
    expect(got.length).toBe(all.length);
    expect(got.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(all)));
  });

  it("a bad option fails at glow.read with GlowtsError OPTION", () => {
    expect(() => glow.read("vcf", path.join(G, "vcf/VCFv4.3.vcf"), { splitToBiallelic: true })).toThrow(/split_multiallelics/);
  });
});

describe("VCF reader errors without data files", () => {
  it("a file without #CHROM is a VCF_HEADER error naming the file", async () => {
    const f = path.join(tmp, "noheader.vcf");
    writeFileSync(f, "1\t5\t.\tA\tC\t.\t.\t.\n");
    await expect(read(f)).rejects.toMatchObject({ code: "VCF_HEADER", file: f });
  });
  it("incompatible INFO lines across files are a VCF_HEADER error", async () => {
    const a = path.join(tmp, "a.vcf");
    const b = path.join(tmp, "b.vcf");
    const head = (t: string) => `##fileformat=VCFv4.2\n##INFO=<ID=X,Number=1,Type=${t},Description="x">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t5\t.\tA\tC\t.\t.\tX=1\n`;
    writeFileSync(a, head("Integer"));
    writeFileSync(b, head("Float"));
    await expect(read([a, b])).rejects.toMatchObject({ code: "VCF_HEADER" });
  });
  it("INFO lines of several files are merged into one schema (first appearance order)", async () => {
    const a = path.join(tmp, "m1.vcf");
    const b = path.join(tmp, "m2.vcf");
    const h = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    writeFileSync(a, `##INFO=<ID=A1,Number=1,Type=Integer,Description="">\n${h}1\t5\t.\tA\tC\t.\t.\tA1=3\n`);
    writeFileSync(b, `##INFO=<ID=B1,Number=.,Type=String,Description="">\n${h}1\t6\t.\tA\tC\t.\t.\tB1=x,y\n`);
    const { rows, plan } = await read([a, b]);
    expect(plan.schema.filter((f) => f.name.startsWith("INFO_")).map((f) => f.name)).toEqual(["INFO_A1", "INFO_B1"]);
    expect(rows.map((r) => [r["INFO_A1"], r["INFO_B1"]])).toEqual([[3, null], [null, ["x", "y"]]]);
  });
});
