/**
 * REGENIE's example BGEN files (shared/data/regenie): they must decode fully (500 samples),
 * agree with the PLINK .bed/.bim/.fam of the same data (an independent encoding: BIM a1/a2 and
 * 2-bit BED codes, decoded here by a few lines of test code), and the zstd file must equal the
 * zlib one. Tolerance: exact (the files hold hard genotypes, probabilities 0/1).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REGENIE_DIR, canonical, expectSameData, readBgen } from "./bgen-read.js";

const HAVE_DATA = existsSync(REGENIE_DIR);
if (!HAVE_DATA) console.warn(`bgen regenie tests skipped: ${REGENIE_DIR} is absent`);
const r = (name: string): string => path.join(REGENIE_DIR, name);

interface PlinkTruth {
  bim: { chrom: string; id: string; bp: number; a1: string; a2: string }[];
  fam: string[];
  /** Count of a2 alleles per variant × sample, -1 missing. */
  a2Count: Int8Array;
}

/** Reads a PLINK 1 fileset (SNP-major .bed: 00 hom a1, 10 het, 11 hom a2, 01 missing). */
function readPlink(prefix: string): PlinkTruth {
  const bim = readFileSync(`${prefix}.bim`, "utf8").trim().split("\n").map((l) => {
    const [chrom, id, , bp, a1, a2] = l.split(/\s+/) as [string, string, string, string, string, string];
    return { chrom, id, bp: Number(bp), a1, a2 };
  });
  const fam = readFileSync(`${prefix}.fam`, "utf8").trim().split("\n").map((l) => l.split(/\s+/).slice(0, 2).join("_"));
  const bed = readFileSync(`${prefix}.bed`);
  expect([bed[0], bed[1], bed[2]]).toEqual([0x6c, 0x1b, 0x01]);
  const n = fam.length;
  const stride = Math.ceil(n / 4);
  const a2Count = new Int8Array(bim.length * n);
  const code = [0, -1, 1, 2];
  for (let v = 0; v < bim.length; v++) {
    for (let s = 0; s < n; s++) {
      const byte = bed[3 + v * stride + (s >> 2)]!;
      a2Count[v * n + s] = code[(byte >> (2 * (s & 3))) & 3]!;
    }
  }
  return { bim, fam, a2Count };
}

/** BGEN rows against PLINK: same variants, and the alt (= a2) count from the hard calls. */
function expectMatchesPlink(rows: Record<string, any>[], truth: PlinkTruth): void {
  expect(rows.length).toBe(truth.bim.length);
  let checked = 0;
  rows.forEach((row, v) => {
    const b = truth.bim[v]!;
    expect(row.contigName).toBe(b.chrom);
    expect(row.start).toBe(b.bp - 1);
    expect(row.names[1]).toBe(b.id);
    expect(row.referenceAllele).toBe(b.a1);
    expect(row.alternateAlleles).toEqual([b.a2]);
    const n = truth.fam.length;
    for (let s = 0; s < n; s++) {
      const g = row.genotypes[s];
      const want = truth.a2Count[v * n + s]!;
      const got = g.calls[0] === -1 ? -1 : g.calls[0] + g.calls[1];
      if (got !== want) throw new Error(`variant ${v} sample ${s}: alt count ${got} vs PLINK ${want}`);
      checked++;
    }
  });
  expect(checked).toBe(rows.length * truth.fam.length);
}

describe.skipIf(!HAVE_DATA)("bgen: REGENIE example files", () => {
  it("example.bgen: 1000 variants × 500 samples, equal to example.bed", async () => {
    const got = await readBgen(r("example.bgen"));
    const truth = readPlink(r("example"));
    expect(got.plan.sampleIds).toEqual(truth.fam);
    expect(got.rows[0]!.genotypes.length).toBe(500);
    expectMatchesPlink(got.rows, truth);
  });

  it("example_3chr.bgen with its .bgi: equal to example_3chr.bed, and to a scan without the index", async () => {
    const withIndex = await readBgen(r("example_3chr.bgen"));
    const truth = readPlink(r("example_3chr"));
    expect(withIndex.plan.sampleIds).toEqual(truth.fam);
    expectMatchesPlink(withIndex.rows, truth);
    const scanned = await readBgen(r("example_3chr.bgen"), { useBgenIndex: false });
    expectSameData(canonical(scanned), canonical(withIndex));
  });

  it("example_3chr_zstd.bgen equals the zlib file (genotypes exactly)", async () => {
    const z = await readBgen(r("example_3chr_zstd.bgen"));
    const zl = await readBgen(r("example_3chr.bgen"), { includeSampleIds: false });
    expect(z.rows.length).toBe(500);
    expect(z.plan.sampleIds).toBeNull();
    // The zstd file stores the id as variant id too; the zlib one leaves the variant id empty.
    const cz = canonical(z);
    const cl = canonical(zl);
    expect(cz["names[]"]!.filter((_, i) => i % 2 === 1)).toEqual(cl["names[]"]!.filter((_, i) => i % 2 === 1));
    delete cz["names[]"];
    delete cl["names[]"];
    expectSameData(cz, cl);
  });

  it("example_3chr_zstd.bgen with example_3chr.sample: ids from the ID_2 column", async () => {
    const z = await readBgen(r("example_3chr_zstd.bgen"), { sampleFilePath: r("example_3chr.sample") });
    const ids = readFileSync(r("example_3chr.sample"), "utf8").trim().split("\n").slice(2).map((l) => l.split(" ")[1]!);
    expect(z.plan.sampleIds).toEqual(ids);
    expect(z.rows[7]!.genotypes.map((g: any) => g.sampleId)).toEqual(ids);
  });

  it("region pruning with the index and with a scan keeps exactly the overlapping variants", async () => {
    const all = (await readBgen(r("example_3chr.bgen"))).rows;
    const region = { contigName: "2", start: 100, end: 140 };
    const want = all.filter((x) => x.contigName === "2" && x.end > 100 && x.start < 140);
    expect(want.length).toBeGreaterThan(0);
    for (const useBgenIndex of [true, false]) {
      const got = await readBgen(r("example_3chr.bgen"), { useBgenIndex }, { region });
      expect(got.rows).toEqual(want);
    }
    const none = await readBgen(r("example_3chr.bgen"), {}, { region: { contigName: "22" } });
    expect(none.plan.partitions.length).toBe(0);
  });
});
